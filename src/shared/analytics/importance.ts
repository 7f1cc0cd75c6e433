// Hyperparameter importance by fANOVA over a small seeded random forest (Hutter et al. 2014; what
// optuna-dashboard shows), with an uncertainty band across the forest's trees.
//
// The completed trials' objective values are replaced by their ranks (one diverged trial cannot dominate). Each
// parameter is mapped to [0, 1] in its own scale (log for log ranges; a categorical's choices as equal cells).
// Each of TREES regression trees is grown on a bootstrap resample; a tree splits the unit box into leaves, and
// its prediction's variance over the box (uniform measure) is decomposed: a parameter's main effect is the
// variance of the tree's prediction averaged over all other parameters. Its share of the tree's variance is that
// tree's importance of the parameter. The bar is the mean over trees (normalised so all bars sum to 1, as
// optuna does), the band the 10th to 90th percentile across trees (same scale): with few trials the trees
// disagree and the band says so. Interactions are not attributed to either parameter.
import type { TrialSummary } from '../dto';
import { createRng, type Rng } from '../rng';
import { averageRanks, objectiveValue } from './objective';
import { paramValue, type ParamAxis } from './params';

export interface ParamImportance {
  name: string;
  /** Mean share over the trees, normalised so all params sum to 1 (all 0 when nothing explains the objective). */
  importance: number;
  /** 10th and 90th percentile of the trees' shares, on the same scale as `importance`. */
  low: number;
  high: number;
  /** Trials that had this param active and a value. */
  trials: number;
}

export interface ImportanceResult {
  params: ParamImportance[];
  /** Completed trials with a finite objective value. */
  trials: number;
  /** True when fewer than MIN_TRIALS completed: too few to judge, nothing computed. */
  insufficient: boolean;
  /** True when fewer than FEW_TRIALS completed: computed, but the order is a hint (see the bands). */
  few: boolean;
}

export const MIN_TRIALS = 5;
export const FEW_TRIALS = 12;
export const TREES = 64;

type Tree = { leaf: true; value: number } | { leaf: false; feature: number; threshold: number; left: Tree; right: Tree };

interface Leaf {
  lo: Float64Array;
  hi: Float64Array;
  value: number;
}

/** A trial's params as a point of the unit box; an inactive (conditional) param takes its active trials' median. */
function encodePoints(rows: readonly TrialSummary[], axes: readonly ParamAxis[]): { x: number[][]; active: number[] } {
  const active = axes.map(() => 0);
  const cols = axes.map((axis, j) => {
    const raw = rows.map((t) => paramValue(t, axis));
    let col: (number | null)[];
    if (axis.kind === 'categorical') {
      const levels = [...axis.choices];
      for (const v of raw) if (typeof v === 'string' && !levels.includes(v)) levels.push(v);
      col = raw.map((v) => (typeof v === 'string' ? (levels.indexOf(v) + 0.5) / levels.length : null));
    } else {
      const nums = raw.filter((v): v is number => typeof v === 'number');
      const tf = (v: number): number => (axis.log && v > 0 ? Math.log(v) : v);
      const lo = tf(axis.low ?? Math.min(...nums));
      const hi = tf(axis.high ?? Math.max(...nums));
      const span = hi - lo;
      col = raw.map((v) => (typeof v === 'number' ? (span > 0 ? Math.min(1, Math.max(0, (tf(v) - lo) / span)) : 0.5) : null));
    }
    const present = col.filter((v): v is number => v !== null).sort((a, b) => a - b);
    active[j] = present.length;
    const median = present.length ? present[Math.floor(present.length / 2)] : 0.5;
    return col.map((v) => v ?? median);
  });
  return { x: rows.map((_, i) => cols.map((c) => c[i])), active };
}

function mean(y: readonly number[], idx: readonly number[]): number {
  let s = 0;
  for (const i of idx) s += y[i];
  return s / idx.length;
}

/** A regression tree on the rows `idx` (a bootstrap resample): best squared-error split over all params. */
function growTree(x: readonly number[][], y: readonly number[], idx: number[], depth: number): Tree {
  const value = mean(y, idx);
  if (idx.length < 2 || depth > 32) return { leaf: true, value };
  let sse = 0;
  for (const i of idx) sse += (y[i] - value) ** 2;
  if (sse <= 1e-12) return { leaf: true, value };
  let best = { gain: 1e-12, feature: -1, threshold: 0 };
  const d = x[0].length;
  for (let f = 0; f < d; f++) {
    const order = [...idx].sort((a, b) => x[a][f] - x[b][f]);
    let leftSum = 0;
    let leftSq = 0;
    let totalSum = 0;
    let totalSq = 0;
    for (const i of order) {
      totalSum += y[i];
      totalSq += y[i] ** 2;
    }
    for (let k = 0; k < order.length - 1; k++) {
      const i = order[k];
      leftSum += y[i];
      leftSq += y[i] ** 2;
      const a = x[i][f];
      const b = x[order[k + 1]][f];
      if (b <= a) continue; // split only between distinct values
      const nl = k + 1;
      const nr = order.length - nl;
      const rightSum = totalSum - leftSum;
      const childSse = leftSq - leftSum ** 2 / nl + (totalSq - leftSq) - rightSum ** 2 / nr;
      const gain = sse - childSse;
      if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold: (a + b) / 2 };
    }
  }
  if (best.feature < 0) return { leaf: true, value };
  const left = idx.filter((i) => x[i][best.feature] <= best.threshold);
  const right = idx.filter((i) => x[i][best.feature] > best.threshold);
  return { leaf: false, feature: best.feature, threshold: best.threshold, left: growTree(x, y, left, depth + 1), right: growTree(x, y, right, depth + 1) };
}

function leavesOf(tree: Tree, d: number): Leaf[] {
  const out: Leaf[] = [];
  const walk = (node: Tree, lo: Float64Array, hi: Float64Array): void => {
    if (node.leaf) {
      out.push({ lo, hi, value: node.value });
      return;
    }
    const leftHi = hi.slice();
    leftHi[node.feature] = node.threshold;
    const rightLo = lo.slice();
    rightLo[node.feature] = node.threshold;
    walk(node.left, lo, leftHi);
    walk(node.right, rightLo, hi);
  };
  walk(tree, new Float64Array(d), new Float64Array(d).fill(1));
  return out;
}

/** Each param's main-effect share of one tree's prediction variance over the unit box; null for a flat tree. */
export function treeShares(leaves: readonly Leaf[], d: number): number[] | null {
  const vol = leaves.map((l) => l.hi.reduce((p, h, j) => p * (h - l.lo[j]), 1));
  let mu = 0;
  leaves.forEach((l, i) => (mu += l.value * vol[i]));
  let total = 0;
  leaves.forEach((l, i) => (total += vol[i] * (l.value - mu) ** 2));
  if (!(total > 1e-15)) return null;
  const shares: number[] = [];
  for (let j = 0; j < d; j++) {
    // The tree's prediction averaged over every other param is a step function of param j: sweep its cells.
    const cuts = [...new Set(leaves.flatMap((l) => [l.lo[j], l.hi[j]]))].sort((a, b) => a - b);
    const at = new Map(cuts.map((c, k) => [c, k]));
    const diff = new Float64Array(cuts.length);
    leaves.forEach((l, i) => {
      const width = l.hi[j] - l.lo[j];
      if (width <= 0) return;
      const w = (l.value * vol[i]) / width;
      diff[at.get(l.lo[j]) as number] += w;
      diff[at.get(l.hi[j]) as number] -= w;
    });
    let f = 0;
    let v = 0;
    for (let k = 0; k < cuts.length - 1; k++) {
      f += diff[k];
      v += (cuts[k + 1] - cuts[k]) * (f - mu) ** 2;
    }
    shares.push(Math.min(1, v / total));
  }
  return shares;
}

function bootstrap(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => rng.int(0, n - 1));
}

function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** fANOVA importance of each searched param for one objective; the same trials and seed give the same result. */
export function paramImportance(trials: readonly TrialSummary[], axes: readonly ParamAxis[], objectiveIndex = 0, seed = 0): ImportanceResult {
  const done = trials
    .map((t) => ({ t, v: objectiveValue(t, objectiveIndex) }))
    .filter((r): r is { t: TrialSummary; v: number } => r.v !== null);
  const n = done.length;
  const empty = (active: number[]): ParamImportance[] => axes.map((a, j) => ({ name: a.name, importance: 0, low: 0, high: 0, trials: active[j] ?? 0 }));
  if (n < MIN_TRIALS || axes.length === 0) return { trials: n, insufficient: n < MIN_TRIALS, few: true, params: empty([]) };
  const { x, active } = encodePoints(done.map((r) => r.t), axes);
  const y = averageRanks(done.map((r) => r.v));
  const rng = createRng(seed);
  const perTree: number[][] = axes.map(() => []);
  for (let k = 0; k < TREES; k++) {
    const shares = treeShares(leavesOf(growTree(x, y, bootstrap(n, rng), 0), axes.length), axes.length);
    if (shares) shares.forEach((s, j) => perTree[j].push(s));
  }
  const means = perTree.map((s) => (s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0));
  const sum = means.reduce((a, b) => a + b, 0);
  const scale = sum > 0 ? 1 / sum : 0;
  const params = axes
    .map((a, j) => {
      const sorted = [...perTree[j]].sort((p, q) => p - q);
      return {
        name: a.name,
        importance: means[j] * scale,
        low: Math.min(1, percentile(sorted, 0.1) * scale),
        high: Math.min(1, percentile(sorted, 0.9) * scale),
        trials: active[j],
      };
    })
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
  return { params, trials: n, insufficient: false, few: n < FEW_TRIALS };
}
