// What samplers and pruners see of a study: read-only snapshots of its trials. They never write storage.
import type { TrialState } from '../../shared/dto';
import type { JsonValue } from '../../shared/json';
import type { Direction } from '../../shared/study/objectives';
import type { SearchSpace } from '../../shared/study/searchSpace';

export interface FrozenTrial {
  number: number;
  state: TrialState;
  /** Values of the parameters that were active in this trial (inactive conditional ones are absent). */
  params: Record<string, JsonValue>;
  /** Objective values, one per direction, when COMPLETE; otherwise null. */
  values: number[] | null;
  /** Intermediate values by step (epoch), reported while the trial ran. */
  intermediate: Array<{ step: number; value: number }>;
}

export interface SampleContext {
  space: SearchSpace;
  /** Every trial of the study so far, including RUNNING ones (parallel workers; see constant liar). */
  trials: readonly FrozenTrial[];
  directions: readonly Direction[];
  /** Which way trials' intermediate values improve (pruned trials are ranked by their last one): see pruneDirection. */
  pruneDirection: Direction;
  /** Number of the trial being proposed; with `seed` it fixes the proposal's random stream. */
  trialNumber: number;
  seed: number;
}

/** Proposes parameters. Given the same context, a sampler returns the same proposal on any machine. */
export interface Sampler {
  readonly name: string;
  /** A value for every parameter active under the proposal, or null when nothing is left (grid). */
  sample(ctx: SampleContext): Record<string, JsonValue> | null;
}

export interface PruneContext {
  trial: FrozenTrial;
  step: number;
  trials: readonly FrozenTrial[];
  direction: Direction;
}

/** Decides, after each reported step, whether a running trial should stop. */
export interface Pruner {
  readonly name: string;
  shouldPrune(ctx: PruneContext): boolean;
  /**
   * Whether the pruner can decide on trial `trialNumber` at `step`, whatever the other trials did: the steps at
   * which an expensive intermediate value (the downstream signal's probe) must be measured, for this trial and
   * for the trials it will be compared with.
   */
  decidesAt(step: number, trialNumber: number): boolean;
}
