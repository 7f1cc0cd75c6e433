// Non-dominated sorting (Deb et al., NSGA-II's fast non-dominated sort) for multi-objective studies. Pure.
import type { TrialSummary } from '../../../shared/dto';
import type { Direction } from './objective';

/** a dominates b: no worse in every objective and strictly better in at least one. */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly Direction[]): boolean {
  let strictly = false;
  for (let k = 0; k < directions.length; k++) {
    const x = directions[k] === 'minimize' ? a[k] : -a[k];
    const y = directions[k] === 'minimize' ? b[k] : -b[k];
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/** Front index per point: 0 is the Pareto front, 1 the front once 0 is removed, ... O(M N^2). */
export function nonDominatedSort(points: readonly (readonly number[])[], directions: readonly Direction[]): number[] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i], points[j], directions)) {
        dominating[i].push(j);
        dominatedBy[j]++;
      } else if (dominates(points[j], points[i], directions)) {
        dominating[j].push(i);
        dominatedBy[i]++;
      }
    }
  }
  const rank = new Array<number>(n).fill(-1);
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
  let front = 0;
  while (current.length) {
    const next: number[] = [];
    for (const i of current) {
      rank[i] = front;
      for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    current = next;
    front++;
  }
  return rank;
}

export interface ParetoPoint {
  trialId: number;
  number: number;
  values: number[];
  front: number;
}

/** Completed trials with a finite value for every objective, each with its front index. */
export function paretoPoints(trials: readonly TrialSummary[], directions: readonly Direction[]): ParetoPoint[] {
  const rows = trials
    .filter((t) => t.state === 'COMPLETE')
    .map((t) => ({ t, v: directions.map((_, k) => t.values[k]) }))
    .filter((r): r is { t: TrialSummary; v: number[] } => r.v.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const ranks = nonDominatedSort(
    rows.map((r) => r.v),
    directions,
  );
  return rows.map((r, i) => ({ trialId: r.t.id, number: r.t.number, values: r.v, front: ranks[i] }));
}
