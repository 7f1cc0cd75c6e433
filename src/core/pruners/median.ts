// Median pruning: stop a trial whose best value so far is worse than the median of what completed trials
// reported at the same epoch (Optuna's MedianPruner semantics).
import type { Pruner } from '../search/types';
import { bestUpTo, better, valueAt } from './common';

export interface MedianOptions {
  startupTrials: number;
  warmupSteps: number;
  intervalSteps: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function medianPruner(o: MedianOptions): Pruner {
  const decidesAt = (step: number): boolean => step > o.warmupSteps && (step - o.warmupSteps) % o.intervalSteps === 0;
  return {
    name: 'median',
    decidesAt,
    shouldPrune({ trial, step, trials, direction }) {
      if (!decidesAt(step)) return false;
      const completed = trials.filter((t) => t.state === 'COMPLETE' && t.number !== trial.number);
      if (completed.length < o.startupTrials) return false;
      const best = bestUpTo(trial, step, direction);
      if (best === undefined) return true; // only non-finite values so far: nothing worth continuing
      const others = completed.map((t) => valueAt(t, step)).filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (others.length === 0) return false;
      return better(median(others), best, direction);
    },
  };
}
