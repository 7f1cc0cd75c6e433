// Which pruner a study uses, as stored in the study spec (defaults filled in by zod; unknown keys rejected).
import { z } from 'zod';

export const PrunerConfig = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('nop') }),
  z.strictObject({
    type: z.literal('median'),
    /** Completed trials needed before anything is pruned. */
    startupTrials: z.number().int().min(0).default(5),
    /** Epochs a trial always runs before it can be pruned. */
    warmupSteps: z.number().int().min(0).default(1),
    intervalSteps: z.number().int().min(1).default(1),
  }),
  z.strictObject({
    type: z.literal('successiveHalving'),
    minResource: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(3),
    minEarlyStoppingRate: z.number().int().min(0).default(0),
  }),
  z.strictObject({
    type: z.literal('hyperband'),
    minResource: z.number().int().min(1).default(1),
    /** The most epochs a trial can run; the study fills it from the epochs parameter when omitted. */
    maxResource: z.number().int().min(1).optional(),
    reductionFactor: z.number().int().min(2).default(3),
  }),
]);
export type PrunerConfig = z.output<typeof PrunerConfig>;
export type PrunerConfigInput = z.input<typeof PrunerConfig>;
