// Hyperparameter importance, "fANOVA-lite": deterministic and explainable in one sentence.
//
// For each parameter, the completed trials where it was active are grouped: categorical params by level,
// numeric params into quantile bins (equal-count bins of the sorted values; ties never split). The
// objective values are replaced by their ranks, so one diverged trial cannot dominate. The share of the
// rank variance explained by the groups is the correlation ratio eta^2 = SS_between / SS_total; because
// more groups explain more by chance, the score uses the bias-corrected epsilon^2 =
// (SS_between - (k - 1) * MS_within) / SS_total, clamped at 0. Scores are normalised to sum to 1.
// It is a one-parameter-at-a-time (main effect) analysis: interactions are not attributed.
import type { TrialSummary } from '../dto';
import { averageRanks, objectiveValue } from './objective';
import { paramValue, type ParamAxis } from './params';

export interface ParamImportance {
  name: string;
  /** Normalised score (all params sum to 1, or all 0 when nothing explains the objective). */
  importance: number;
  /** Bias-corrected explained variance share (0..1), before normalisation. */
  epsilonSquared: number;
  /** Raw explained variance share (0..1). */
  etaSquared: number;
  /** Groups used (levels or bins). */
  groups: number;
  /** Trials that had this param active and a value. */
  trials: number;
}

export interface ImportanceResult {
  params: ParamImportance[];
  /** Completed trials with a finite objective value. */
  trials: number;
  /** True when fewer trials than MIN_TRIALS completed: the scores are not computed. */
  insufficient: boolean;
}

export const MIN_TRIALS = 4;

/** Number of quantile bins for n values: about sqrt(n), at least 2 and at most 10. */
export function binCount(n: number): number {
  return Math.max(2, Math.min(10, Math.round(Math.sqrt(n))));
}

/**
 * Group index per value for numeric values: equal-count bins on the sorted values; equal values always
 * share a group.
 */
export function quantileGroups(values: readonly number[], bins: number): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const groups = new Array<number>(values.length);
  const n = values.length;
  let g = 0;
  let inGroup = 0;
  const target = n / bins;
  let k = 0;
  while (k < n) {
    let j = k;
    while (j + 1 < n && order[j + 1].v === order[k].v) j++;
    const tieSize = j - k + 1;
    // Start a new bin when the current one is full enough (but keep ties together).
    if (inGroup > 0 && inGroup + tieSize / 2 > target && g < bins - 1) {
      g++;
      inGroup = 0;
    }
    for (let m = k; m <= j; m++) groups[order[m].i] = g;
    inGroup += tieSize;
    k = j + 1;
  }
  return groups;
}

interface Explained {
  eta: number;
  epsilon: number;
  groups: number;
}

/** eta^2 and epsilon^2 of `y` grouped by `group`. */
export function explainedVariance(y: readonly number[], group: readonly (number | string)[]): Explained {
  const n = y.length;
  if (n < 2) return { eta: 0, epsilon: 0, groups: 0 };
  const mean = y.reduce((s, v) => s + v, 0) / n;
  let ssTotal = 0;
  for (const v of y) ssTotal += (v - mean) ** 2;
  const sums = new Map<number | string, { s: number; c: number }>();
  y.forEach((v, i) => {
    const g = sums.get(group[i]) ?? { s: 0, c: 0 };
    g.s += v;
    g.c += 1;
    sums.set(group[i], g);
  });
  const k = sums.size;
  if (ssTotal <= 0 || k < 2) return { eta: 0, epsilon: 0, groups: k };
  let ssBetween = 0;
  for (const { s, c } of sums.values()) ssBetween += c * (s / c - mean) ** 2;
  const ssWithin = Math.max(0, ssTotal - ssBetween);
  const eta = Math.min(1, ssBetween / ssTotal);
  const msWithin = n > k ? ssWithin / (n - k) : 0;
  const epsilon = n > k ? Math.max(0, (ssBetween - (k - 1) * msWithin) / ssTotal) : 0;
  return { eta, epsilon: Math.min(1, epsilon), groups: k };
}

export function paramImportance(trials: readonly TrialSummary[], axes: readonly ParamAxis[], objectiveIndex = 0): ImportanceResult {
  const done = trials
    .map((t) => ({ t, v: objectiveValue(t, objectiveIndex) }))
    .filter((x): x is { t: TrialSummary; v: number } => x.v !== null);
  if (done.length < MIN_TRIALS) {
    return {
      trials: done.length,
      insufficient: true,
      params: axes.map((a) => ({ name: a.name, importance: 0, epsilonSquared: 0, etaSquared: 0, groups: 0, trials: 0 })),
    };
  }
  const raw = axes.map((axis) => {
    const rows = done
      .map(({ t, v }) => ({ p: paramValue(t, axis), v }))
      .filter((r): r is { p: number | string; v: number } => r.p !== null);
    if (rows.length < 2) return { name: axis.name, eta: 0, epsilon: 0, groups: 0, n: rows.length };
    const y = averageRanks(rows.map((r) => r.v));
    const groups =
      axis.kind === 'categorical'
        ? rows.map((r) => String(r.p))
        : quantileGroups(
            rows.map((r) => r.p as number),
            binCount(rows.length),
          );
    const e = explainedVariance(y, groups);
    return { name: axis.name, eta: e.eta, epsilon: e.epsilon, groups: e.groups, n: rows.length };
  });
  const total = raw.reduce((s, r) => s + r.epsilon, 0);
  const params = raw
    .map((r) => ({
      name: r.name,
      importance: total > 0 ? r.epsilon / total : 0,
      epsilonSquared: r.epsilon,
      etaSquared: r.eta,
      groups: r.groups,
      trials: r.n,
    }))
    .sort((a, b) => b.importance - a.importance || b.etaSquared - a.etaSquared || a.name.localeCompare(b.name));
  return { params, trials: done.length, insufficient: false };
}
