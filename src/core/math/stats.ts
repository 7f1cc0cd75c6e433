// Small-sample statistics for comparing classifiers on one test set: seeded percentile-bootstrap confidence
// intervals of a mean (accuracy is the mean of 0/1 correctness) and McNemar's paired test.
import { createRng } from '../../shared/rng';

export interface Estimate {
  value: number;
  /** Confidence interval bounds. */
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  /** Same seed, same interval: the resampled indices come from it alone. */
  seed: number;
  /** Resamples (default 2000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const i = Math.floor(pos);
  const frac = pos - i;
  return i + 1 < n ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * The mean of each of `columns` (same length: one value per item) with a percentile-bootstrap interval: resample
 * the items with replacement, take each column's mean over the resample, and read the (1 - level) / 2 and
 * (1 + level) / 2 quantiles of those means. All columns share the resampled item sets, so intervals of
 * accuracies and of their paired differences (pass the per-item differences) come from the same draws.
 */
export function bootstrapMeans(columns: readonly ArrayLike<number>[], opts: BootstrapOptions): Estimate[] {
  const n = columns.length ? columns[0].length : 0;
  for (const c of columns) if (c.length !== n) throw new Error(`bootstrapMeans: columns of ${n} and ${c.length} items`);
  if (!n) return columns.map(() => ({ value: NaN, lo: NaN, hi: NaN }));
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapMeans: level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`bootstrapMeans: resamples must be a positive integer, got ${resamples}`);
  const rng = createRng(opts.seed);
  const counts = new Int32Array(n);
  const means = columns.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    // floor(u * n) with u on a 2^-32 grid: the bias towards low indices is below n / 2^32, nothing at these n.
    for (let i = 0; i < n; i++) counts[Math.floor(rng.next() * n)]++;
    columns.forEach((c, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (counts[i]) s += counts[i] * c[i];
      means[k][r] = s / n;
    });
  }
  return columns.map((c, k) => {
    let total = 0;
    for (let i = 0; i < n; i++) total += c[i];
    const m = means[k].sort();
    return { value: total / n, lo: quantileSorted(m, (1 - level) / 2), hi: quantileSorted(m, (1 + level) / 2) };
  });
}

/** One column's bootstrapMeans. */
export function bootstrapMean(values: ArrayLike<number>, opts: BootstrapOptions): Estimate {
  return bootstrapMeans([values], opts)[0];
}

/** Complementary error function; Numerical Recipes' erfcc, fractional error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n does not underflow. */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logPmf = -n * Math.LN2;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(logPmf);
    logPmf += Math.log((n - i) / (i + 1));
  }
  return Math.min(1, sum);
}

export interface McNemarResult {
  /** Items only A got right, and only B got right (the discordant pairs; the test looks at nothing else). */
  onlyA: number;
  onlyB: number;
  /** Two-sided p-value for "A and B are equally accurate". */
  pValue: number;
  /** Exact binomial for few discordant pairs, else chi-square with continuity correction. */
  method: 'exact' | 'chi2';
}

/**
 * McNemar's test on paired correctness (1 = right, 0 = wrong) of two classifiers on the same items. With fewer
 * than `exactBelow` discordant pairs (default 25) the exact binomial test, p = min(1, 2 P(X <= min(b, c))) for
 * X ~ Bin(b + c, 1/2); otherwise (|b - c| - 1)^2 / (b + c) against chi-square with one degree of freedom (as
 * statsmodels' mcnemar with exact=False, correction=True).
 */
export function mcnemar(aCorrect: ArrayLike<number>, bCorrect: ArrayLike<number>, exactBelow = 25): McNemarResult {
  if (aCorrect.length !== bCorrect.length) throw new Error(`mcnemar: ${aCorrect.length} and ${bCorrect.length} items; the test needs the same items for both`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < aCorrect.length; i++) {
    if (aCorrect[i] && !bCorrect[i]) onlyA++;
    else if (!aCorrect[i] && bCorrect[i]) onlyB++;
  }
  const n = onlyA + onlyB;
  if (n < exactBelow) {
    return { onlyA, onlyB, pValue: n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(onlyA, onlyB), n)), method: 'exact' };
  }
  const stat = (Math.abs(onlyA - onlyB) - 1) ** 2 / n;
  return { onlyA, onlyB, pValue: Math.min(1, erfc(Math.sqrt(stat / 2))), method: 'chi2' };
}
