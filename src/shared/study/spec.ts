// A study spec: everything needed to run (and resume) a search, as JSON. Written by the wizard or by hand,
// parsed by the engine: one schema for both. Every object is strict, so a misspelt key is an error that
// names the closest valid key instead of a silently applied default.
import { z } from 'zod';
import { databaseUrlHasPassword, isDatabaseUrl } from '../databaseUrl';
import { humanErrorMap, issueLines } from '../issueLines';
import { JsonValueSchema } from '../json';
import { Channels } from '../schemas';
import { Direction, metricDirection, Objective, objectiveDirection } from './objectives';
import { ClassifierSpec } from './probes';
import { PrunerConfig } from './prunerConfig';
import { GRID_POINTS_WITHOUT_CAP, SamplerConfig } from './samplerConfig';
import { SearchSpace } from './searchSpace';
import { gridSize, paramPathLabel, validateSpace } from './space';

/** dataset.path of the bundled sample (10,000 MNIST digits, written into the data folder on first use). */
export const SAMPLE_DATASET = 'sample:mnist';

export const DatasetSpec = z.strictObject({
  /** The image folder (one sub-folder per class, or flat), or SAMPLE_DATASET. */
  path: z.string().min(1, 'Give the image folder as dataset.path.'),
  imageSize: z.number().int().min(4).max(256).default(28),
  channels: Channels.default(1),
  valFraction: z.number().min(0.05).max(0.5).default(0.2),
  testFraction: z.number().min(0).max(0.5).default(0),
  /** Optional regression targets: a CSV of file,value matched to the images. */
  targetsCsv: z.string().min(1).optional(),
});

export const Budget = z
  .strictObject({
    trials: z.number().int().min(1).max(100_000).optional(),
    /** Wall-clock seconds for one run (search or resume) of the study. */
    seconds: z.number().positive().optional(),
  })
  .refine((b) => b.trials !== undefined || b.seconds !== undefined, {
    message: 'Give a budget: budget.trials (a number of trials) and/or budget.seconds (wall time).',
  });

const StudySpecFields = z.strictObject({
  name: z.string().min(1).max(200),
  dataset: DatasetSpec,
  searchSpace: SearchSpace,
  /** What the study optimises (see objectives.ts); directions follow the metric. */
  objectives: z.array(Objective).min(1).prefault([{ name: 'val_recon' }]),
  /** With several objectives: which one picks the single best trial (the one given test metrics). */
  primaryObjective: z.number().int().min(0).default(0),
  /** The downstream probe trained on each trial's codes. */
  probe: ClassifierSpec.prefault({ kind: 'logistic' }),
  sampler: SamplerConfig.prefault({ type: 'tpe' }),
  /** Omitted: Hyperband for a study with a downstream objective, the median pruner otherwise (defaultPruner). */
  pruner: PrunerConfig.optional(),
  budget: Budget,
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Trainer processes sharing the study; 'auto' = cores on single-threaded backends, 1 on tfjs-node. */
  parallel: z.union([z.literal('auto'), z.number().int().min(1).max(32)]).default('auto'),
  /** Hand-picked configurations to run first (manual search), each a map of parameter values. */
  enqueue: z.array(z.record(z.string(), JsonValueSchema)).default([]),
  /**
   * The shared study database the study lives in (postgresql://user@host/database); absent: the local one.
   * Never a password (a spec is copied and committed): PGPASSWORD, ~/.pgpass or the app's saved connection.
   * The CLI's --storage / --db wins over it, with a printed note.
   */
  storage: z
    .string()
    .refine(isDatabaseUrl, 'storage names a shared study database, as postgresql://user@host:5432/database (leave it out for the local database)')
    .refine((u) => !databaseUrlHasPassword(u), 'storage must not hold a password (a spec is shared and copied): remove it from the address, and give it with PGPASSWORD or ~/.pgpass (CLI) or save it in the app (Connect to a shared study database)')
    .optional(),
});

/** The median pruner, the default of a study that optimises reconstruction only. */
export const MEDIAN_PRUNER_DEFAULT: PrunerConfig = { type: 'median', startupTrials: 5, warmupSteps: 1, intervalSteps: 1, signal: 'reconstruction' };
/**
 * Hyperband, the default of a study with a downstream objective (issue 15): feature quality needs longer
 * training, which multi-fidelity pruning makes affordable. Its first rung is after 1 epoch so any epoch count
 * works; the top rung is the epochs parameter. It prunes on the downstream objective itself when that is the
 * primary one (see PruneSignal).
 */
export const HYPERBAND_PRUNER_DEFAULT: Extract<PrunerConfig, { type: 'hyperband' }> = { type: 'hyperband', minResource: 1, reductionFactor: 3, signal: 'downstream' };

const isDownstream = (o: Objective): boolean => o.name !== 'val_recon';

/** The pruner of a spec that names none: Hyperband when any objective is a downstream metric, else median. */
export function defaultPruner(objectives: readonly Objective[], primaryObjective = 0): PrunerConfig {
  if (!objectives.some(isDownstream)) return MEDIAN_PRUNER_DEFAULT;
  const primary = objectives[primaryObjective];
  return { ...HYPERBAND_PRUNER_DEFAULT, signal: primary && isDownstream(primary) ? 'downstream' : 'reconstruction' };
}

export const StudySpec = StudySpecFields.transform((s) => ({ ...s, pruner: s.pruner ?? defaultPruner(s.objectives, s.primaryObjective) }));

/** A parsed spec, every default filled in: what the engine runs and stores. */
export type StudySpec = z.output<typeof StudySpec>;
/** A spec as written (defaults optional): what the wizard builds and study.start / study.validate take. */
export type StudySpecInput = z.input<typeof StudySpec>;

export function studyDirections(spec: Pick<StudySpec, 'objectives'>): Direction[] {
  return spec.objectives.map((o) => objectiveDirection(o));
}

/** Which way a trial's intermediate values improve: down for reconstruction error, the primary objective's way for 'downstream'. */
export function pruneDirection(spec: Pick<StudySpec, 'objectives' | 'primaryObjective' | 'pruner'>): Direction {
  const primary = spec.objectives[spec.primaryObjective];
  return spec.pruner.type !== 'nop' && spec.pruner.signal === 'downstream' && primary ? objectiveDirection(primary) : 'minimize';
}

/**
 * Earlier specs wrote an objective as {metric: 'val_loss'} (validation reconstruction loss) or {metric: X}
 * (= {name: X}), optionally with the metric's own direction. Rewritten before parsing, so the schema itself
 * stays strict and its input type exact; a direction against the metric's is left for the schema to refuse.
 */
export function upgradeObjectiveShorthand(o: unknown): unknown {
  if (!o || typeof o !== 'object' || 'name' in o || !('metric' in o)) return o;
  const { metric, direction, ...rest } = o as { metric: unknown; direction?: unknown };
  if (Object.keys(rest).length || typeof metric !== 'string') return o;
  const name = metric === 'val_loss' ? 'val_recon' : metric;
  return direction === undefined || direction === metricDirection(name) ? { name } : o;
}

function upgradeShorthands(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const objectives = (raw as { objectives?: unknown }).objectives;
  return Array.isArray(objectives) ? { ...raw, objectives: objectives.map(upgradeObjectiveShorthand) } : raw;
}

export type ParsedSpec = { ok: true; spec: StudySpec } | { ok: false; errors: string[] };

/**
 * Parses a spec and checks it as a study: the primary objective, the search space (see space.ts) and, for a
 * grid, its size; `more` adds checks of the parsed spec (the autoencoder's parameters). Errors name the
 * field and the fix, one line per problem. Nothing here reads files: the engine checks the dataset folder.
 */
export function parseStudySpec(raw: unknown, more: (spec: StudySpec) => string[] = () => []): ParsedSpec {
  const input = upgradeShorthands(raw);
  const r = StudySpec.safeParse(input, { error: humanErrorMap });
  if (!r.success) return { ok: false, errors: issueLines(r.error.issues, { root: 'spec', label: paramPathLabel(input, ['searchSpace']) }) };
  const spec = r.data;
  const errors: string[] = [];
  if (spec.primaryObjective >= spec.objectives.length) {
    errors.push(`primaryObjective: ${spec.primaryObjective} is not one of the ${spec.objectives.length} objectives (count from 0).`);
  }
  const primary = spec.objectives[spec.primaryObjective];
  if (spec.pruner.type !== 'nop' && spec.pruner.signal === 'downstream' && primary && !isDownstream(primary)) {
    errors.push(
      `pruner.signal: "downstream" prunes on the primary objective, but it is ${primary.name} (reconstruction); use "signal": "reconstruction", or make a downstream metric (e.g. val_accuracy) the primary objective.`,
    );
  }
  const space = validateSpace(spec.searchSpace);
  if (!space.ok) errors.push(...space.errors);
  else {
    const grid = gridProblem(spec);
    if (grid) errors.push(grid);
  }
  errors.push(...more(spec));
  return errors.length ? { ok: false, errors } : { ok: true, spec };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A grid search must be enumerable (no continuous range) and, above 100,000 points, capped on purpose. */
function gridProblem(spec: StudySpec): string | null {
  if (spec.sampler.type !== 'grid') return null;
  const size = gridSize(spec.searchSpace);
  if (typeof size !== 'number') return size.error;
  const cap = spec.sampler.maxPoints;
  if (cap === undefined && size > GRID_POINTS_WITHOUT_CAP) {
    return (
      `sampler: the grid has ${count(size)} points, more than the ${count(GRID_POINTS_WITHOUT_CAP)} allowed without a cap; ` +
      `give fewer choices or coarser steps, or set "maxPoints": ${size} in the grid sampler to accept it.`
    );
  }
  if (cap !== undefined && size > cap) {
    return `sampler: the grid has ${count(size)} points, more than its maxPoints (${count(cap)}); raise maxPoints to ${size} or shrink the grid.`;
  }
  return null;
}
