// The Parzen estimator of TPE: a weighted mixture with one kernel per observation plus a broad prior kernel.
// Each kernel is a product over dimensions of a truncated normal (numeric dims, in the transformed space:
// log for log params) or a smoothed categorical distribution. Numeric dims with a step are discrete: their
// density at a lattice point is the kernel's mass over that point's cell.
import type { Rng } from '../../../shared/rng';
import { logNormMass, normLogPdf, truncNormal } from './normal';

export type ParzenDim =
  | { kind: 'num'; lo: number; hi: number; /** lattice step in this space, 0 when continuous */ step: number }
  | { kind: 'cat'; n: number };

export interface ParzenOptions {
  /** Weight of the prior kernel relative to an observation of weight 1. */
  priorWeight: number;
}

interface NumKernels {
  kind: 'num';
  mus: Float64Array;
  sigmas: Float64Array;
  /** log of each kernel's mass inside [lo, hi]. */
  logZ: Float64Array;
  dim: Extract<ParzenDim, { kind: 'num' }>;
}

interface CatKernels {
  kind: 'cat';
  /** kernels x choices, log probabilities. */
  logP: Float64Array;
  n: number;
}

export interface Parzen {
  logWeights: Float64Array;
  cumWeights: Float64Array;
  dims: Array<NumKernels | CatKernels>;
}

/** Per-kernel bandwidths: the distance to the farther of its two neighbours (hyperopt, Optuna). */
function neighbourSigmas(mus: Float64Array, lo: number, hi: number): Float64Array {
  const n = mus.length;
  const order = Array.from(mus.keys()).sort((a, b) => mus[a] - mus[b] || a - b);
  const sorted = order.map((i) => mus[i]);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const left = r === 0 ? lo : sorted[r - 1];
    const right = r === n - 1 ? hi : sorted[r + 1];
    let s = Math.max(sorted[r] - left, right - sorted[r]);
    // The outermost kernels ignore the bound: a point near an edge should not get a huge kernel.
    if (n >= 2 && r === 0) s = sorted[1] - sorted[0];
    if (n >= 2 && r === n - 1) s = sorted[n - 1] - sorted[n - 2];
    out[order[r]] = s;
  }
  return out;
}

function numericKernels(values: number[], dim: Extract<ParzenDim, { kind: 'num' }>): NumKernels {
  const n = values.length;
  const range = dim.hi - dim.lo;
  const mid = 0.5 * (dim.lo + dim.hi);
  const mus = new Float64Array(n + 1);
  values.forEach((v, i) => (mus[i] = v));
  mus[n] = mid;
  // Adaptive bandwidth per kernel and dim: the distance to the farther neighbour along that dim, so kernels
  // are narrow where good points cluster and wide where they are sparse. (Scott's rule, Optuna's choice for
  // multivariate TPE, did worse on Hartmann-6 and Branin in bench/search.ts.)
  const sigmas = neighbourSigmas(mus, dim.lo, dim.hi);
  // "Magic clip": no kernel narrower than range / (number of kernels), none wider than the range.
  const minSigma = range / Math.min(100, n + 2);
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]));
  sigmas[n] = range; // the prior kernel spans the whole range
  const logZ = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) logZ[i] = logNormMass((dim.lo - mus[i]) / sigmas[i], (dim.hi - mus[i]) / sigmas[i]);
  return { kind: 'num', mus, sigmas, logZ, dim };
}

function categoricalKernels(values: number[], nChoices: number, opts: ParzenOptions): CatKernels {
  const n = values.length;
  const logP = new Float64Array((n + 1) * nChoices);
  // Each observation's kernel puts weight 1 on its choice over a floor shared by all choices (smoothed
  // counts); the prior kernel is uniform.
  const floor = opts.priorWeight / (n + 1);
  for (let k = 0; k <= n; k++) {
    const total = floor * nChoices + (k < n ? 1 : 0);
    for (let c = 0; c < nChoices; c++) {
      const w = floor + (k < n && values[k] === c ? 1 : 0);
      logP[k * nChoices + c] = Math.log(w / total);
    }
  }
  return { kind: 'cat', logP, n: nChoices };
}

/** rows[i][d]: observation i in dim d (numeric: transformed value; categorical: choice index). */
export function buildParzen(dims: readonly ParzenDim[], rows: readonly number[][], weights: readonly number[], opts: ParzenOptions): Parzen {
  const n = rows.length;
  const w = new Float64Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i] = weights[i];
  total += w[n] = n === 0 ? 1 : opts.priorWeight;
  const logWeights = new Float64Array(n + 1);
  const cumWeights = new Float64Array(n + 1);
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    logWeights[i] = Math.log(w[i] / total);
    acc += w[i] / total;
    cumWeights[i] = acc;
  }
  const kernels = dims.map((dim, d) => {
    const col = rows.map((r) => r[d]);
    return dim.kind === 'num' ? numericKernels(col, dim) : categoricalKernels(col, dim.n, opts);
  });
  return { logWeights, cumWeights, dims: kernels };
}

function pickKernel(pz: Parzen, u: number): number {
  const cw = pz.cumWeights;
  let lo = 0;
  let hi = cw.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cw[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `count` draws from the mixture; discrete dims come back on their lattice. */
export function sampleParzen(pz: Parzen, rng: Rng, count: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < count; s++) {
    const k = pickKernel(pz, rng.next());
    const row: number[] = [];
    for (const kd of pz.dims) {
      if (kd.kind === 'num') {
        const { lo, hi, step } = kd.dim;
        const mu = kd.mus[k];
        const sg = kd.sigmas[k];
        let x = mu + sg * truncNormal(rng, (lo - mu) / sg, (hi - mu) / sg);
        if (step > 0) {
          const first = lo + step / 2;
          const last = hi - step / 2;
          x = Math.min(last, Math.max(first, first + Math.round((x - first) / step) * step));
        }
        row.push(x);
      } else {
        const u = rng.next();
        let acc = 0;
        let c = 0;
        for (; c < kd.n - 1; c++) {
          acc += Math.exp(kd.logP[k * kd.n + c]);
          if (u < acc) break;
        }
        row.push(c);
      }
    }
    out.push(row);
  }
  return out;
}

/** log density (mass, for discrete dims) of each point under the mixture. */
export function logPdfParzen(pz: Parzen, points: readonly number[][]): Float64Array {
  const K = pz.logWeights.length;
  const out = new Float64Array(points.length);
  const terms = new Float64Array(K);
  points.forEach((x, i) => {
    terms.set(pz.logWeights);
    pz.dims.forEach((kd, d) => {
      const v = x[d];
      if (kd.kind === 'num') {
        const step = kd.dim.step;
        for (let k = 0; k < K; k++) {
          const mu = kd.mus[k];
          const sg = kd.sigmas[k];
          const lp = step > 0
            ? logNormMass((v - step / 2 - mu) / sg, (v + step / 2 - mu) / sg)
            : normLogPdf((v - mu) / sg) - Math.log(sg);
          terms[k] += lp - kd.logZ[k];
        }
      } else {
        for (let k = 0; k < K; k++) terms[k] += kd.logP[k * kd.n + v];
      }
    });
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (terms[k] > m) m = terms[k];
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(terms[k] - m);
    out[i] = m + Math.log(s);
  });
  return out;
}
