// Which pruner a study uses, as stored in the study spec (defaults filled in by zod; unknown keys rejected).
import { z } from 'zod';

/**
 * What a pruner compares between trials at an epoch (a trial's intermediate value):
 * - 'reconstruction': the validation reconstruction MSE, reported every epoch; lower is better.
 * - 'downstream': the study's primary objective (a downstream metric such as val_accuracy) on the validation
 *   split, scored by a quick probe (no cross-validation; at most PRUNE_PROBE_TRAIN_IMAGES training codes) at the
 *   epochs where the pruner decides; in the objective's own direction. Reconstruction error is a poor proxy for
 *   feature quality: input noise and code dropout raise it while making better features.
 * Absent from a stored spec: 'reconstruction', what every study pruned on before the choice existed.
 */
export const PRUNE_SIGNALS = ['reconstruction', 'downstream'] as const;
export const PruneSignal = z.enum(PRUNE_SIGNALS);
export type PruneSignal = z.output<typeof PruneSignal>;
const signal = PruneSignal.default('reconstruction');

/** Training images whose codes the 'downstream' signal's quick probe learns from (a seeded subset when more). */
export const PRUNE_PROBE_TRAIN_IMAGES = 2000;

export const PrunerConfig = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('nop') }),
  z.strictObject({
    type: z.literal('median'),
    /** Completed trials needed before anything is pruned. */
    startupTrials: z.number().int().min(0).default(5),
    /** Epochs a trial always runs before it can be pruned. */
    warmupSteps: z.number().int().min(0).default(1),
    intervalSteps: z.number().int().min(1).default(1),
    signal,
  }),
  z.strictObject({
    type: z.literal('successiveHalving'),
    minResource: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(3),
    minEarlyStoppingRate: z.number().int().min(0).default(0),
    signal,
  }),
  z.strictObject({
    type: z.literal('hyperband'),
    minResource: z.number().int().min(1).default(1),
    /** The most epochs a trial can run; the study fills it from the epochs parameter when omitted. */
    maxResource: z.number().int().min(1).optional(),
    reductionFactor: z.number().int().min(2).default(3),
    signal,
  }),
]);
export type PrunerConfig = z.output<typeof PrunerConfig>;
export type PrunerConfigInput = z.input<typeof PrunerConfig>;

/** The signal a pruner compares; a nop pruner compares nothing. */
export const pruneSignalOf = (p: PrunerConfig): PruneSignal | null => (p.type === 'nop' ? null : p.signal);
