// Hyperband: several successive-halving brackets with different aggressiveness (min early-stopping rate
// 0..n-1); each trial belongs to one bracket by its number and competes only within it.
import type { Pruner } from '../search/types';
import { isRungStep, shouldPruneAtRung, type SuccessiveHalvingOptions } from './successiveHalving';

export interface HyperbandOptions {
  minResource: number;
  maxResource: number;
  reductionFactor: number;
}

export function bracketCount(o: HyperbandOptions): number {
  return Math.floor(Math.log(o.maxResource / o.minResource) / Math.log(o.reductionFactor) + 1e-9) + 1;
}

export function hyperbandPruner(o: HyperbandOptions): Pruner {
  const n = Math.max(1, bracketCount(o));
  const bracketOf = (trialNumber: number): SuccessiveHalvingOptions => ({ minResource: o.minResource, reductionFactor: o.reductionFactor, minEarlyStoppingRate: trialNumber % n });
  return {
    name: 'hyperband',
    decidesAt: (step, trialNumber) => isRungStep(bracketOf(trialNumber), step),
    shouldPrune({ trial, step, trials, direction }) {
      const bracket = trial.number % n;
      const population = trials.filter((t) => t.number % n === bracket);
      return shouldPruneAtRung(bracketOf(trial.number), trial, step, population, direction);
    },
  };
}
