// Multi-objective ranking, shared by the engine (samplers, objectives) and the renderer (the Pareto chart): fast
// non-dominated sorting (Deb et al. 2002, NSGA-II) and crowding distance. Pure.
import type { Direction } from './study/objectives';

/** Values turned into "smaller is better"; NaN (a failed measurement) becomes +Infinity, the worst. */
function toMinimize(points: readonly (readonly number[])[], directions: readonly Direction[]): Float64Array[] {
  return points.map((p, i) => {
    if (p.length !== directions.length) throw new Error(`pareto: point ${i} has ${p.length} values, expected ${directions.length}`);
    return Float64Array.from(p, (v, m) => (Number.isNaN(v) ? Infinity : directions[m] === 'maximize' ? -v : v));
  });
}

function dominatesMin(a: Float64Array, b: Float64Array): boolean {
  let strictly = false;
  for (let m = 0; m < a.length; m++) {
    if (a[m] > b[m]) return false;
    if (a[m] < b[m]) strictly = true;
  }
  return strictly;
}

/** True when a is no worse than b in every objective and better in at least one. */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly Direction[]): boolean {
  const [x, y] = toMinimize([a, b], directions);
  return dominatesMin(x, y);
}

export interface NonDominatedSort {
  /** Front number per point: 0 = non-dominated, 1 = dominated only by front 0, ... */
  ranks: number[];
  /** Point indices per front, ascending within each front. */
  fronts: number[][];
}

/** O(M N^2): every pair compared once, then fronts peeled by counting how many points dominate each one. */
export function nonDominatedSort(points: readonly (readonly number[])[], directions: readonly Direction[]): NonDominatedSort {
  const n = points.length;
  const v = toMinimize(points, directions);
  const dominatedBy = new Int32Array(n); // how many points dominate i
  const dominating: number[][] = points.map(() => []); // points that i dominates
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominatesMin(v[i], v[j])) {
        dominating[i].push(j);
        dominatedBy[j]++;
      } else if (dominatesMin(v[j], v[i])) {
        dominating[j].push(i);
        dominatedBy[i]++;
      }
    }
  }
  const ranks = new Array<number>(n).fill(0);
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
  while (current.length) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      ranks[i] = fronts.length - 1;
      for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    current = next.sort((a, b) => a - b);
  }
  return { ranks, fronts };
}

/** Indices of the non-dominated points, ascending. */
export function paretoFront(points: readonly (readonly number[])[], directions: readonly Direction[]): number[] {
  return points.length ? nonDominatedSort(points, directions).fronts[0] : [];
}

/**
 * NSGA-II crowding distance of each member of `front` (indices into points), in the same order: the sum over
 * objectives of the normalised gap between its neighbours; the extremes of any objective get Infinity.
 */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[], directions: readonly Direction[]): Float64Array {
  const out = new Float64Array(front.length);
  if (front.length <= 2) return out.fill(Infinity);
  const v = toMinimize(front.map((i) => points[i]), directions);
  for (let m = 0; m < directions.length; m++) {
    const order = front.map((_, k) => k).sort((a, b) => v[a][m] - v[b][m] || a - b);
    const lo = v[order[0]][m];
    const hi = v[order[order.length - 1]][m];
    out[order[0]] = Infinity;
    out[order[order.length - 1]] = Infinity;
    if (!(hi > lo) || !Number.isFinite(hi - lo)) continue;
    for (let r = 1; r < order.length - 1; r++) out[order[r]] += (v[order[r + 1]][m] - v[order[r - 1]][m]) / (hi - lo);
  }
  return out;
}
