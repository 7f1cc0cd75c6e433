// A study spec: everything needed to run (and resume) a search, as JSON. Written by the wizard or by hand.
import { z } from 'zod';
import { Channels } from '../../shared/schemas';
import { JsonValueSchema, SearchSpace } from '../../shared/searchSpace';
import { PrunerConfig } from '../pruners/config';
import { SamplerConfig } from '../search/samplers/config';

export const DatasetSpec = z.object({
  path: z.string().min(1, 'Give the image folder as dataset.path.'),
  imageSize: z.number().int().min(4).max(256).default(28),
  channels: Channels.default(1),
  valFraction: z.number().min(0.05).max(0.5).default(0.2),
  testFraction: z.number().min(0).max(0.5).default(0),
});

export const Objective = z.object({
  /** What the study optimises; 'val_loss' is the validation reconstruction loss. */
  metric: z.string().min(1).default('val_loss'),
  direction: z.enum(['minimize', 'maximize']).default('minimize'),
});

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
  objectives: z.array(Objective).min(1).default([{ metric: 'val_loss', direction: 'minimize' }]),
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

/** Parses a spec; errors name the field and the fix, one per line. */
export function parseStudySpec(raw: unknown): { ok: true; spec: StudySpec } | { ok: false; errors: string[] } {
  const r = StudySpec.safeParse(raw);
  if (r.success) return { ok: true, spec: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(spec)'}: ${i.message}`),
  };
}
