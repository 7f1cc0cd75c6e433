// Which sampler a study uses, as stored in the study spec. Defaults are filled in by zod, so a stored config
// always says exactly what ran; unknown keys are rejected so a typo does not silently fall back to a default.
import { z } from 'zod';

const startupTrials = z.number().int().min(0).max(10_000).default(10);

/** Grids larger than this need sampler.maxPoints: a typo in a range should not start a billion-trial study. */
export const GRID_POINTS_WITHOUT_CAP = 100_000;

export const GridConfig = z.strictObject({
  type: z.literal('grid'),
  /** The largest grid this study accepts; needed (at least the grid's size) above GRID_POINTS_WITHOUT_CAP points. */
  maxPoints: z.number().int().min(1).optional(),
});
export const RandomConfig = z.strictObject({ type: z.literal('random') });

export const TpeConfig = z.strictObject({
  type: z.literal('tpe'),
  /** Random trials before the model is used. */
  startupTrials,
  /** Candidates drawn from l(x) per group; the best l/g ratio wins. */
  candidates: z.number().int().min(1).max(10_000).default(24),
  /** Sample the params of one conditional group jointly (captures interactions). */
  multivariate: z.boolean().default(true),
  /** Count RUNNING trials as bad results so parallel workers do not propose the same point. */
  constantLiar: z.boolean().default(true),
  /** Weight of the prior kernel relative to one observation. */
  priorWeight: z.number().positive().default(1),
  /** Fraction of trials that form the good group (at most 25 trials). */
  gamma: z.number().gt(0).lt(1).default(0.2),
});

export const GpConfig = z.strictObject({
  type: z.literal('gp'),
  startupTrials,
  /** Random candidates for the acquisition search (local search refines the best of them). */
  candidates: z.number().int().min(16).max(100_000).default(512),
  /** Extra random starts for the kernel-hyperparameter fit, besides the default start. */
  restarts: z.number().int().min(0).max(20).default(2),
});

export const SamplerConfig = z.discriminatedUnion('type', [GridConfig, RandomConfig, TpeConfig, GpConfig]);
/** A config as written in a spec (defaults optional). */
export type SamplerConfigInput = z.input<typeof SamplerConfig>;
/** A parsed config with every default filled in. */
export type SamplerConfig = z.output<typeof SamplerConfig>;

/** A model-based sampler whose random startup trials fill the whole trial budget (issue 14 item 3). */
export interface StartupAdvice {
  sampler: 'tpe' | 'gp';
  startupTrials: number;
  budgetTrials: number;
  /** The smallest budget that leaves as many model-guided trials as random ones. */
  suggestedBudget: number;
  /** Startup trials that leave two thirds of this budget to the model (at least 1). */
  suggestedStartup: number;
}

/**
 * TPE and GP propose random points for their first `startupTrials` trials; with a budget of no more trials
 * than that (Optuna's default 10 startup trials and a 10-trial budget) the model never runs and the study is
 * a random search. Returns what to change, or null when the model gets trials (or the budget is in seconds).
 */
export function startupCoversBudget(input: SamplerConfigInput, budgetTrials: number | undefined): StartupAdvice | null {
  const parsed = SamplerConfig.safeParse(input); // fills the default startupTrials
  if (!parsed.success) return null;
  const sampler = parsed.data;
  if ((sampler.type !== 'tpe' && sampler.type !== 'gp') || budgetTrials === undefined) return null;
  if (sampler.startupTrials < budgetTrials) return null;
  return {
    sampler: sampler.type,
    startupTrials: sampler.startupTrials,
    budgetTrials,
    suggestedBudget: Math.max(2, sampler.startupTrials * 2),
    suggestedStartup: Math.max(1, Math.floor(budgetTrials / 3)),
  };
}
