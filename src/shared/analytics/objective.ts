// Objective values of trials, best-so-far, ranks and the top-k% selection. Pure.
import type { TrialSummary } from '../dto';
import type { Direction } from '../study/objectives';

/** The study-level facts the analytics read (a subset of StudySummary). */
export interface ObjectiveInfo {
  directions: readonly Direction[];
  objectives: readonly string[];
}

/** A COMPLETE trial's finite value of objective `index`, else null. */
export function objectiveValue(t: TrialSummary, index = 0): number | null {
  if (t.state !== 'COMPLETE') return null;
  const v = t.values[index];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function better(a: number, b: number, direction: Direction): boolean {
  return direction === 'minimize' ? a < b : a > b;
}

export interface HistoryPoint {
  trialId: number;
  number: number;
  value: number;
  /** Best value among this and all earlier (by number) trials. */
  best: number;
  /** This trial set a new best. */
  improved: boolean;
}

/** Completed trials in trial-number order, with the running best. */
export function optimizationHistory(trials: readonly TrialSummary[], direction: Direction, index = 0): HistoryPoint[] {
  const done = trials
    .map((t) => ({ t, v: objectiveValue(t, index) }))
    .filter((x): x is { t: TrialSummary; v: number } => x.v !== null)
    .sort((a, b) => a.t.number - b.t.number || a.t.id - b.t.id);
  const out: HistoryPoint[] = [];
  let best: number | null = null;
  for (const { t, v } of done) {
    const improved = best === null || better(v, best, direction);
    if (improved) best = v;
    out.push({ trialId: t.id, number: t.number, value: v, best: best as number, improved });
  }
  return out;
}

/** The best COMPLETE trial by objective `index` (ties: the earlier trial). */
export function bestTrial(trials: readonly TrialSummary[], direction: Direction, index = 0): TrialSummary | null {
  let best: TrialSummary | null = null;
  let bestV = 0;
  for (const t of trials) {
    const v = objectiveValue(t, index);
    if (v === null) continue;
    if (best === null || better(v, bestV, direction) || (v === bestV && t.number < best.number)) {
      best = t;
      bestV = v;
    }
  }
  return best;
}

/**
 * Ids of the best `percent`% of completed trials (at least one when any completed). 100 keeps all of them.
 */
export function topPercentIds(trials: readonly TrialSummary[], direction: Direction, percent: number, index = 0): Set<number> {
  const scored = trials
    .map((t) => ({ id: t.id, n: t.number, v: objectiveValue(t, index) }))
    .filter((x): x is { id: number; n: number; v: number } => x.v !== null)
    .sort((a, b) => (direction === 'minimize' ? a.v - b.v : b.v - a.v) || a.n - b.n);
  const p = Math.min(100, Math.max(0, percent));
  const keep = scored.length === 0 ? 0 : Math.max(1, Math.ceil((scored.length * p) / 100));
  return new Set(scored.slice(0, keep).map((x) => x.id));
}

/** Average ranks (1-based; ties share the mean rank), as used for Spearman correlation. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  let k = 0;
  while (k < order.length) {
    let j = k;
    while (j + 1 < order.length && order[j + 1].v === order[k].v) j++;
    const r = (k + j) / 2 + 1;
    for (let m = k; m <= j; m++) ranks[order[m].i] = r;
    k = j + 1;
  }
  return ranks;
}

/** Seconds from creation to finish of a finished trial, else null. */
export function trialDurationSeconds(t: Pick<TrialSummary, 'createdAt' | 'finishedAt'>): number | null {
  if (!t.finishedAt) return null;
  const a = Date.parse(t.createdAt);
  const b = Date.parse(t.finishedAt);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return null;
  return (b - a) / 1000;
}
