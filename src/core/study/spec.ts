// A study spec: everything needed to run (and resume) a search, as JSON. Written by the wizard or by hand.
import { z } from 'zod';
import { Channels } from '../../shared/schemas';
import { JsonValueSchema, SearchSpace } from '../../shared/searchSpace';
import { PrunerConfig } from '../pruners/config';
import { SamplerConfig } from '../search/samplers/config';
import { Objective as EvalObjective, objectiveDirection } from '../evaluation/objectives';
import { ClassifierSpec } from '../evaluation/probes/types';

export const DatasetSpec = z.object({
  path: z.string().min(1, 'Give the image folder as dataset.path.'),
  imageSize: z.number().int().min(4).max(256).default(28),
  channels: Channels.default(1),
  valFraction: z.number().min(0.05).max(0.5).default(0.2),
  testFraction: z.number().min(0).max(0.5).default(0),
  /** Optional regression targets: a CSV of file,value matched to the images. */
  targetsCsv: z.string().min(1).optional(),
});

/**
 * What the study optimises (see evaluation/objectives.ts). The shorthand {metric: 'val_loss'} (earlier
 * specs) means validation reconstruction loss; {metric: X} means {name: X}. Directions follow the metric.
 */
export const Objective = z.preprocess((raw) => {
  if (raw && typeof raw === 'object' && !('name' in raw) && 'metric' in raw) {
    const metric = (raw as { metric: unknown }).metric;
    return { name: metric === 'val_loss' ? 'val_recon' : metric };
  }
  return raw;
}, EvalObjective);

export const Budget = z
  .object({
    trials: z.number().int().min(1).max(100_000).optional(),
    /** Wall-clock seconds for one run (search or resume) of the study. */
    seconds: z.number().positive().optional(),
  })
  .refine((b) => b.trials !== undefined || b.seconds !== undefined, {
    message: 'Give a budget: budget.trials (a number of trials) and/or budget.seconds (wall time).',
  });

export const StudySpec = z.object({
  name: z.string().min(1).max(200),
  dataset: DatasetSpec,
  searchSpace: SearchSpace,
  objectives: z.array(Objective).min(1).prefault([{ name: 'val_recon' }]),
  /** With several objectives: which one picks the single best trial (the one given test metrics). */
  primaryObjective: z.number().int().min(0).default(0),
  /** The downstream probe trained on each trial's codes. */
  probe: ClassifierSpec.prefault({ kind: 'logistic' }),
  sampler: SamplerConfig.prefault({ type: 'tpe' }),
  pruner: PrunerConfig.default({ type: 'median', startupTrials: 5, warmupSteps: 1, intervalSteps: 1 }),
  budget: Budget,
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Trainer processes sharing the study; 'auto' = cores on single-threaded backends, 1 on tfjs-node. */
  parallel: z.union([z.literal('auto'), z.number().int().min(1).max(32)]).default('auto'),
  /** Hand-picked configurations to run first (manual search), each a map of parameter values. */
  enqueue: z.array(z.record(z.string(), JsonValueSchema)).default([]),
});

export type StudySpec = z.output<typeof StudySpec>;
export type StudySpecInput = z.input<typeof StudySpec>;

export function studyDirections(spec: StudySpec): Array<'minimize' | 'maximize'> {
  return spec.objectives.map((o) => objectiveDirection(o));
}

/** Parses a spec; errors name the field and the fix, one per line. */
export function parseStudySpec(raw: unknown): { ok: true; spec: StudySpec } | { ok: false; errors: string[] } {
  const r = StudySpec.safeParse(raw);
  if (r.success && r.data.primaryObjective >= r.data.objectives.length) {
    return { ok: false, errors: [`primaryObjective: ${r.data.primaryObjective} is not one of the ${r.data.objectives.length} objectives (count from 0).`] };
  }
  if (r.success) return { ok: true, spec: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(spec)'}: ${i.message}`),
  };
}
