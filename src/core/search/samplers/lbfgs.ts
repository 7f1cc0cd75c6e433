// A small L-BFGS minimiser with box bounds by projection (enough for a handful of GP kernel parameters):
// two-loop recursion for the direction, components that push against an active bound dropped, Armijo
// backtracking on the projected step.

export interface LbfgsOptions {
  lo: Float64Array;
  hi: Float64Array;
  maxIter: number;
  memory?: number;
  /** Stop when the projected gradient's largest component falls below this. */
  gradTol?: number;
  /** Stop when an iteration improves f by less than this, relative to |f|. */
  relTol?: number;
  /** Stop after this many evaluations of f. */
  maxEvals?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  fx: number;
  evals: number;
}

/** f writes the gradient into its second argument and returns the value (Infinity when undefined there). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function minimizeLbfgs(f: Objective, x0: Float64Array, opts: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const m = opts.memory ?? 6;
  const tol = opts.gradTol ?? 1e-5;
  const { lo, hi } = opts;
  const clip = (v: number, i: number): number => Math.min(hi[i], Math.max(lo[i], v));
  let x = Float64Array.from(x0, clip);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evals = 1;
  if (!Number.isFinite(fx)) return { x, fx, evals };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  const maxEvals = opts.maxEvals ?? Infinity;
  for (let iter = 0; iter < opts.maxIter && evals < maxEvals; iter++) {
    // Free variables: not stuck on a bound with the gradient pushing further out.
    let pg = 0;
    for (let i = 0; i < n; i++) {
      const stuck = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0);
      if (!stuck) pg = Math.max(pg, Math.abs(g[i]));
    }
    if (pg < tol) break;

    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = dot(S[k], d) / dot(Y[k], S[k]);
      for (let i = 0; i < n; i++) d[i] -= alpha[k] * Y[k][i];
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = dot(Y[k], d) / dot(Y[k], S[k]);
      for (let i = 0; i < n; i++) d[i] += S[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) {
      if ((x[i] <= lo[i] && d[i] < 0) || (x[i] >= hi[i] && d[i] > 0)) d[i] = 0;
    }
    if (dot(d, g) >= 0) {
      // Not a descent direction (stale curvature): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < n; i++) d[i] = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0) ? 0 : -g[i];
    }
    let t = S.length ? 1 : Math.min(1, 1 / Math.max(1e-12, Math.sqrt(dot(d, d))));
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 20 && evals < maxEvals; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = clip(x[i] + t * d[i], i);
      fNew = f(xNew, gNew);
      evals++;
      let dec = 0;
      for (let i = 0; i < n; i++) dec += g[i] * (xNew[i] - x[i]);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * dec) {
        accepted = true;
        break;
      }
      t *= 0.4;
    }
    if (!accepted) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    const improvement = fx - fNew;
    x = Float64Array.from(xNew);
    const swap = g;
    g = gNew;
    gNew = swap;
    fx = fNew;
    if (improvement < (opts.relTol ?? 1e-9) * (1 + Math.abs(fx))) break;
  }
  return { x, fx, evals };
}
