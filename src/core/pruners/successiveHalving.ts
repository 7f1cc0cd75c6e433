// Asynchronous successive halving (ASHA): at rung k (epoch minResource * eta^(s+k)) a trial continues only
// if its value is in the top 1/eta of all trials that reached that rung so far. No waiting for a full
// bracket, so parallel workers never idle.
import type { Direction } from '../../shared/study/objectives';
import type { FrozenTrial, Pruner } from '../search/types';
import { valueAt } from './common';

export interface SuccessiveHalvingOptions {
  minResource: number;
  reductionFactor: number;
  minEarlyStoppingRate: number;
}

/** The epoch of rung k. */
export const rungStep = (o: SuccessiveHalvingOptions, k: number): number =>
  o.minResource * o.reductionFactor ** (o.minEarlyStoppingRate + k);

function promotable(value: number, competing: number[], eta: number, direction: Direction): boolean {
  const sorted = [...competing].sort((a, b) => (direction === 'minimize' ? a - b : b - a));
  const idx = Math.max(0, Math.floor(sorted.length / eta) - 1);
  return direction === 'minimize' ? value <= sorted[idx] : value >= sorted[idx];
}

/** Whether `step` is one of the rung epochs. */
export function isRungStep(o: SuccessiveHalvingOptions, step: number): boolean {
  let k = 0;
  while (rungStep(o, k) < step) k++;
  return rungStep(o, k) === step;
}

/** Decides at `step` against the given population (Hyperband passes one bracket's trials). */
export function shouldPruneAtRung(o: SuccessiveHalvingOptions, trial: FrozenTrial, step: number, population: readonly FrozenTrial[], direction: Direction): boolean {
  if (!isRungStep(o, step)) return false; // only decide on rung epochs
  const value = valueAt(trial, step);
  if (value === undefined || !Number.isFinite(value)) return true;
  const competing = population
    .map((t) => (t.number === trial.number ? value : valueAt(t, step)))
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (!population.some((t) => t.number === trial.number)) competing.push(value);
  return !promotable(value, competing, o.reductionFactor, direction);
}

export function successiveHalvingPruner(o: SuccessiveHalvingOptions): Pruner {
  return {
    name: 'successiveHalving',
    decidesAt: (step) => isRungStep(o, step),
    shouldPrune: ({ trial, step, trials, direction }) => shouldPruneAtRung(o, trial, step, trials, direction),
  };
}
