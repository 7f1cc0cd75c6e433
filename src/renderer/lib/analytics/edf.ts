// optuna-dashboard's empirical distribution function: for each study, the fraction of its finished trials
// whose objective is at most x. Several studies on one chart tell which search finds good values more often.
import { objectiveValue } from '../../../shared/analytics/objective';
import type { TrialSummary } from '../../../shared/dto';

export interface EdfCurve {
  name: string;
  /** Step points [value, fraction of trials with objective <= value], values ascending, fractions in (0, 1]. */
  steps: Array<[number, number]>;
  trials: number;
}

/** The EDF of the finite objective values (ties share one step at their highest fraction). */
export function empiricalDistribution(values: readonly number[]): Array<[number, number]> {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  const out: Array<[number, number]> = [];
  sorted.forEach((v, i) => {
    if (i + 1 < n && sorted[i + 1] === v) return;
    out.push([v, (i + 1) / n]);
  });
  return out;
}

export function edfCurve(name: string, trials: readonly TrialSummary[], index = 0): EdfCurve {
  const values = trials.flatMap((t) => {
    const v = t.state === 'COMPLETE' ? objectiveValue(t, index) : null;
    return v === null || !Number.isFinite(v) ? [] : [v];
  });
  return { name, steps: empiricalDistribution(values), trials: values.length };
}
