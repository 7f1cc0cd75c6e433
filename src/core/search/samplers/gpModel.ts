// Gaussian-process regression with a Matern 5/2 kernel and one length scale per input group (a numeric
// param, or all one-hot columns of a categorical), on standardised outputs. Kernel parameters are fitted by
// maximising the log marginal likelihood plus weak log-normal priors (MAP), with analytic gradients and
// L-BFGS in log-parameter space from a default start and a few random restarts.
import type { Rng } from '../../../shared/rng';
import { cholesky, inverseFromCholesky, solveLower, solveUpperT } from '../../math/linalg';
import { minimizeLbfgs } from '../../math/lbfgs';

const SQRT5 = Math.sqrt(5);
const JITTER = 1e-8;

/** Inputs in [0,1]^D (row-major, n x D), standardised targets, and which length scale each column uses. */
export interface GpData {
  X: Float64Array;
  y: Float64Array;
  n: number;
  D: number;
  scaleOf: Int32Array;
  S: number;
}

/** Log length scales (S), then log signal variance, then log noise variance. */
export type GpHyper = Float64Array;

// Priors and bounds in log space. Length scales around 0.5 of the unit cube (wide), signal variance around
// 1 (outputs are standardised), noise small but free to grow for noisy objectives.
const LEN_PRIOR = { mu: Math.log(0.5), sd: 1.5, lo: Math.log(0.01), hi: Math.log(30) };
const SIG_PRIOR = { mu: 0, sd: 1.5, lo: Math.log(0.02), hi: Math.log(50) };
const NOISE_PRIOR = { mu: Math.log(1e-3), sd: 3, lo: Math.log(1e-7), hi: Math.log(1) };

function matern(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/** Squared differences per length-scale group for every pair i < j: pair k's groups at [k*S, (k+1)*S). */
function pairDiffs(d: GpData): Float64Array {
  const pairs = (d.n * (d.n - 1)) / 2;
  const out = new Float64Array(pairs * d.S);
  let k = 0;
  for (let i = 0; i < d.n; i++) {
    for (let j = i + 1; j < d.n; j++, k++) {
      for (let c = 0; c < d.D; c++) {
        const diff = d.X[i * d.D + c] - d.X[j * d.D + c];
        out[k * d.S + d.scaleOf[c]] += diff * diff;
      }
    }
  }
  return out;
}

/**
 * Negative log posterior of the kernel parameters and (unless grad is null) its gradient, reusing buffers
 * across calls. Infinity where K is not positive definite.
 */
function makeObjective(d: GpData): (h: Float64Array, grad: Float64Array | null) => number {
  const { n, S, y } = d;
  const diffs = pairDiffs(d);
  const K = new Float64Array(n * n);
  const Kinv = new Float64Array(n * n);
  const work = new Float64Array(n * n);
  const alpha = new Float64Array(n);
  const r = new Float64Array((n * (n - 1)) / 2);
  const ex = new Float64Array(r.length); // exp(-sqrt5 r) per pair, reused by the gradient
  const gLen = new Float64Array(S);
  const invLen2 = new Float64Array(S);
  return (h, grad) => {
    for (let s = 0; s < S; s++) invLen2[s] = Math.exp(-2 * h[s]);
    const signal = Math.exp(h[S]);
    const noise = Math.exp(h[S + 1]);
    let k = 0;
    for (let i = 0; i < n; i++) {
      K[i * n + i] = signal + noise + JITTER;
      for (let j = i + 1; j < n; j++, k++) {
        let r2 = 0;
        const base = k * S;
        for (let s = 0; s < S; s++) r2 += diffs[base + s] * invLen2[s];
        const rr = Math.sqrt(r2);
        const e = Math.exp(-SQRT5 * rr);
        r[k] = rr;
        ex[k] = e;
        K[i * n + j] = K[j * n + i] = signal * (1 + SQRT5 * rr + (5 / 3) * r2) * e;
      }
    }
    if (!cholesky(K, n)) return Infinity;
    alpha.set(y);
    solveLower(K, n, alpha);
    let fit = 0;
    for (let i = 0; i < n; i++) fit += alpha[i] * alpha[i];
    solveUpperT(K, n, alpha);
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(K[i * n + i]);
    let prior = 0;
    for (let s = 0; s < S; s++) prior += ((h[s] - LEN_PRIOR.mu) / LEN_PRIOR.sd) ** 2;
    prior += ((h[S] - SIG_PRIOR.mu) / SIG_PRIOR.sd) ** 2 + ((h[S + 1] - NOISE_PRIOR.mu) / NOISE_PRIOR.sd) ** 2;
    const value = 0.5 * fit + logDet + 0.5 * prior;
    if (!grad) return value;

    // d(-LML)/dtheta = -0.5 tr(W dK/dtheta) with W = alpha alpha^T - K^-1 (symmetric: pairs counted twice).
    inverseFromCholesky(K, n, Kinv, work);
    grad.fill(0);
    gLen.fill(0);
    let gSignal = 0;
    let trW = 0;
    for (let i = 0; i < n; i++) {
      const w = alpha[i] * alpha[i] - Kinv[i * n + i];
      trW += w;
      gSignal += w * signal;
    }
    k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, k++) {
        const w = 2 * (alpha[i] * alpha[j] - Kinv[i * n + j]);
        const rr = r[k];
        const e = ex[k];
        gSignal += w * K[i * n + j]; // the upper triangle still holds the kernel (Cholesky wrote the lower)
        // dk/dlog l_s = signal (5/3)(1 + sqrt5 r) e^{-sqrt5 r} * sum_{c in s} diff_c^2 / l_s^2
        const q = w * signal * (5 / 3) * (1 + SQRT5 * rr) * e;
        const base = k * S;
        for (let s = 0; s < S; s++) gLen[s] += q * diffs[base + s];
      }
    }
    grad[S] = -0.5 * gSignal + (h[S] - SIG_PRIOR.mu) / SIG_PRIOR.sd ** 2;
    grad[S + 1] = -0.5 * trW * noise + (h[S + 1] - NOISE_PRIOR.mu) / NOISE_PRIOR.sd ** 2;
    for (let s = 0; s < S; s++) grad[s] = -0.5 * gLen[s] * invLen2[s] + (h[s] - LEN_PRIOR.mu) / LEN_PRIOR.sd ** 2;
    return value;
  };
}

function bounds(S: number): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(S + 2).fill(LEN_PRIOR.lo);
  const hi = new Float64Array(S + 2).fill(LEN_PRIOR.hi);
  lo[S] = SIG_PRIOR.lo;
  hi[S] = SIG_PRIOR.hi;
  lo[S + 1] = NOISE_PRIOR.lo;
  hi[S + 1] = NOISE_PRIOR.hi;
  return { lo, hi };
}

export interface FitOptions {
  restarts: number;
  maxIter: number;
  /** Budget of objective evaluations over all starts (each costs O(n^3)). */
  maxEvals: number;
}

/**
 * MAP kernel parameters: L-BFGS from the prior's centre and from the best of a few random starts (only
 * the value is computed to rank the starts, so restarts stay cheap).
 */
export function fitHyper(d: GpData, rng: Rng, opts: FitOptions): GpHyper {
  const S = d.S;
  const f = makeObjective(d);
  const { lo, hi } = bounds(S);
  const starts: Float64Array[] = [];
  const centre = new Float64Array(S + 2);
  for (let s = 0; s < S; s++) centre[s] = LEN_PRIOR.mu;
  centre[S] = SIG_PRIOR.mu;
  centre[S + 1] = Math.log(1e-3);
  starts.push(centre);
  const pool: Array<{ h: Float64Array; v: number }> = [];
  for (let r = 0; r < opts.restarts * 3; r++) {
    const h = new Float64Array(S + 2);
    for (let s = 0; s < S; s++) h[s] = Math.min(LEN_PRIOR.hi, Math.max(LEN_PRIOR.lo, LEN_PRIOR.mu + rng.normal()));
    h[S] = SIG_PRIOR.mu + 0.5 * rng.normal();
    h[S + 1] = Math.log(1e-3) + 2 * rng.normal();
    for (let i = 0; i < S + 2; i++) h[i] = Math.min(hi[i], Math.max(lo[i], h[i]));
    pool.push({ h, v: f(h, null) });
  }
  pool.sort((a, b) => a.v - b.v);
  for (let r = 0; r < Math.min(opts.restarts, pool.length); r++) if (Number.isFinite(pool[r].v)) starts.push(pool[r].h);
  let best: { x: Float64Array; f: number } = { x: centre, f: Infinity };
  let budget = opts.maxEvals - Math.ceil(pool.length / 3); // value-only evaluations cost about a third
  for (const h0 of starts) {
    if (budget <= 0) break;
    const res = minimizeLbfgs(f, h0, { lo, hi, maxIter: opts.maxIter, maxEvals: budget, ftol: 1e-6 });
    budget -= res.evals;
    if (res.f < best.f) best = res;
  }
  return best.x;
}

/** The fitted GP, ready to predict: factor of K, weights K^-1 y, scaled inputs. */
export interface GpPosterior {
  n: number;
  D: number;
  /** Inputs divided by their length scales (n x D), so r^2 is a plain squared distance. */
  Xs: Float64Array;
  invLen: Float64Array;
  signal: number;
  L: Float64Array;
  alpha: Float64Array;
  /** Scratch vectors of length n reused by every prediction (the acquisition search calls it thousands of times). */
  scratch: [Float64Array, Float64Array, Float64Array];
}

export function posterior(X: Float64Array, y: Float64Array, n: number, D: number, scaleOf: Int32Array, h: GpHyper): GpPosterior | null {
  const S = h.length - 2;
  const invLen = new Float64Array(D);
  for (let c = 0; c < D; c++) invLen[c] = Math.exp(-h[scaleOf[c]]);
  const signal = Math.exp(h[S]);
  const noise = Math.exp(h[S + 1]);
  const Xs = new Float64Array(n * D);
  for (let i = 0; i < n; i++) for (let c = 0; c < D; c++) Xs[i * D + c] = X[i * D + c] * invLen[c];
  for (let jitter = JITTER; jitter < 1; jitter *= 100) {
    const L = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      L[i * n + i] = signal + noise + jitter;
      for (let j = 0; j < i; j++) {
        let r2 = 0;
        for (let c = 0; c < D; c++) {
          const diff = Xs[i * D + c] - Xs[j * D + c];
          r2 += diff * diff;
        }
        L[i * n + j] = signal * matern(Math.sqrt(r2));
      }
    }
    if (!cholesky(L, n)) continue;
    const alpha = Float64Array.from(y);
    solveLower(L, n, alpha);
    solveUpperT(L, n, alpha);
    return { n, D, Xs, invLen, signal, L, alpha, scratch: [new Float64Array(n), new Float64Array(n), new Float64Array(n)] };
  }
  return null;
}

/** Predictive mean and variance (of the latent function) at m points (m x D, unscaled). */
export function predict(post: GpPosterior, Xc: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void {
  const { n, D, Xs, invLen, signal, L, alpha } = post;
  const kv = post.scratch[0];
  const xs = new Float64Array(D);
  for (let t = 0; t < m; t++) {
    for (let c = 0; c < D; c++) xs[c] = Xc[t * D + c] * invLen[c];
    let mu = 0;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      const ri = i * D;
      for (let c = 0; c < D; c++) {
        const diff = xs[c] - Xs[ri + c];
        r2 += diff * diff;
      }
      kv[i] = signal * matern(Math.sqrt(r2));
      mu += kv[i] * alpha[i];
    }
    solveLower(L, n, kv);
    let q = 0;
    for (let i = 0; i < n; i++) q += kv[i] * kv[i];
    mean[t] = mu;
    variance[t] = Math.max(signal - q, 1e-12 * signal);
  }
}

/** Mean and variance at one point with their gradients over the D inputs. */
export function predictWithGrad(post: GpPosterior, x: Float64Array, dMean: Float64Array, dVar: Float64Array): { mean: number; variance: number } {
  const { n, D, Xs, invLen, signal, L, alpha } = post;
  const [kv, q, v] = post.scratch; // dk_i/dx_c = -q_i (xs_c - Xs_ic) * invLen_c
  const xs = new Float64Array(D);
  for (let c = 0; c < D; c++) xs[c] = x[c] * invLen[c];
  let mu = 0;
  for (let i = 0; i < n; i++) {
    let r2 = 0;
    for (let c = 0; c < D; c++) {
      const diff = xs[c] - Xs[i * D + c];
      r2 += diff * diff;
    }
    const r = Math.sqrt(r2);
    const e = Math.exp(-SQRT5 * r);
    kv[i] = signal * (1 + SQRT5 * r + (5 / 3) * r2) * e;
    q[i] = signal * (5 / 3) * (1 + SQRT5 * r) * e;
    mu += kv[i] * alpha[i];
  }
  // w = K^-1 k*, from v = L^-1 k*.
  v.set(kv);
  solveLower(L, n, v);
  let vv = 0;
  for (let i = 0; i < n; i++) vv += v[i] * v[i];
  solveUpperT(L, n, v);
  dMean.fill(0);
  dVar.fill(0);
  for (let i = 0; i < n; i++) {
    const a = q[i] * alpha[i];
    const w = q[i] * v[i];
    for (let c = 0; c < D; c++) {
      const diff = (xs[c] - Xs[i * D + c]) * invLen[c];
      dMean[c] -= a * diff;
      dVar[c] += 2 * w * diff; // dvar = -2 w . dk, dk = -q diff
    }
  }
  return { mean: mu, variance: Math.max(signal - vv, 1e-12 * signal) };
}
