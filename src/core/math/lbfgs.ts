// Limited-memory BFGS for smooth objectives, optionally inside box bounds (by projection): the probes' convex
// losses (unbounded, run to convergence) and the GP sampler's kernel parameters and acquisition (a few free
// variables in a box, a handful of iterations). Deterministic: no randomness, fixed iteration order. Two-loop
// recursion for the direction, components pushing against an active bound dropped, backtracking (Armijo) line
// search on the projected step, the first step a unit-length move as scipy takes it.

/** Writes the gradient at x into grad and returns the objective value (Infinity where it is undefined). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Box bounds, both or neither; the start is clipped into them. */
  lo?: Float64Array;
  hi?: Float64Array;
  /** Stop when the projected gradient's largest component is <= gtol (scipy's pgtol; sklearn passes its tol). */
  gtol?: number;
  /** Stop when the relative decrease (f_old - f_new) / max(|f_old|, |f_new|, 1) is <= ftol (scipy's factr * eps). */
  ftol?: number;
  maxIter?: number;
  /** Stop after this many evaluations of the objective (line-search trials included). */
  maxEvals?: number;
  /** History pairs kept (scipy and sklearn use 10). */
  memory?: number;
  /**
   * Curvature pairs to start from (oldest first), e.g. a previous run's on a related objective; pairs without
   * positive curvature are left out, and only the newest `memory` are kept. The arrays are taken over.
   */
  history?: LbfgsHistory;
  /**
   * Applies M^-1, the inverse of an approximation M of the objective's Hessian (symmetric positive definite),
   * to q, writing out (q is not changed). The recursion then starts from H0 = gamma M^-1 instead of gamma I, with
   * gamma = s.y / y.M^-1 y of the newest pair: L-BFGS on the variables M^1/2 x, where correlated features no
   * longer slow it down. Unbounded problems only.
   */
  preconditioner?: Preconditioner;
}

export type Preconditioner = (q: Float64Array, out: Float64Array) => void;

/** Steps s = x_{k+1} - x_k and gradient changes y = g_{k+1} - g_k, oldest first. */
export interface LbfgsHistory {
  s: Float64Array[];
  y: Float64Array[];
}

export type LbfgsStop = 'gtol' | 'ftol' | 'maxIter' | 'maxEvals' | 'lineSearch' | 'notFinite';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evals: number;
  /** Largest component of the projected gradient at x. */
  gradMax: number;
  converged: boolean;
  reason: LbfgsStop;
  /** The curvature pairs held at the end (for a warm start of a related problem). */
  history: LbfgsHistory;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The two-loop recursion, dir = -H g, from H0 = gamma I (gamma = s.y / y.y of the newest pair) or, given `pre`,
 * H0 = gamma M^-1 (gamma = s.y / y.M^-1 y), with each pass's update fused with the next pass's dot product: the same
 * order as the textbook loops (every element is updated before it is read), so the same bits, in half the passes
 * over dir and with the dot products' add chains overlapping the updates. `scratch` (length n) only with `pre`.
 */
export function twoLoopDirection(
  g: Float64Array,
  sHist: Float64Array[],
  yHist: Float64Array[],
  rho: number[],
  alpha: Float64Array,
  dir: Float64Array,
  pre?: { apply: Preconditioner; scratch: Float64Array },
): void {
  const n = g.length;
  const m = sHist.length;
  if (m === 0) {
    const q = pre ? pre.scratch : dir;
    for (let i = 0; i < n; i++) q[i] = -g[i];
    if (pre) pre.apply(q, dir);
    return;
  }
  const last = m - 1;
  // First loop, newest pair to oldest: alpha_k = rho_k s_k . dir, then dir -= alpha_k y_k.
  let sk = sHist[last];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = -g[i];
    dir[i] = v;
    acc += sk[i] * v;
  }
  for (let k = last; k > 0; k--) {
    const a = rho[k] * acc;
    alpha[k] = a;
    const y = yHist[k];
    sk = sHist[k - 1];
    acc = 0;
    for (let i = 0; i < n; i++) {
      const v = dir[i] - a * y[i];
      dir[i] = v;
      acc += sk[i] * v;
    }
  }
  // The oldest pair's update, H0 (gamma, and M^-1 when given), and beta_0's dot product.
  const a0 = rho[0] * acc;
  alpha[0] = a0;
  let y = yHist[0];
  acc = 0;
  if (pre) {
    for (let i = 0; i < n; i++) dir[i] -= a0 * y[i];
    const q = pre.scratch;
    pre.apply(yHist[last], q);
    const gamma = dot(sHist[last], yHist[last]) / dot(yHist[last], q);
    pre.apply(dir, q);
    for (let i = 0; i < n; i++) {
      const v = q[i] * gamma;
      dir[i] = v;
      acc += y[i] * v;
    }
  } else {
    const gamma = dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]);
    for (let i = 0; i < n; i++) {
      const v = (dir[i] - a0 * y[i]) * gamma;
      dir[i] = v;
      acc += y[i] * v;
    }
  }
  // Second loop, oldest to newest: beta_k = rho_k y_k . dir, then dir += (alpha_k - beta_k) s_k.
  for (let k = 0; k < m; k++) {
    const c = alpha[k] - rho[k] * acc;
    const s = sHist[k];
    if (k === last) {
      for (let i = 0; i < n; i++) dir[i] += c * s[i];
      return;
    }
    y = yHist[k + 1];
    acc = 0;
    for (let i = 0; i < n; i++) {
      const v = dir[i] + c * s[i];
      dir[i] = v;
      acc += y[i] * v;
    }
  }
}

export function minimizeLbfgs(fn: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const gtol = opts.gtol ?? 1e-5;
  const ftol = opts.ftol ?? 1e-12;
  const maxIter = opts.maxIter ?? 1000;
  const maxEvals = opts.maxEvals ?? Infinity;
  const m = opts.memory ?? 10;
  const { lo, hi } = opts;
  if (!lo !== !hi) throw new Error('minimizeLbfgs: give both bounds or neither');
  const pre = opts.preconditioner;
  if (pre && lo) throw new Error('minimizeLbfgs: a preconditioner is for unbounded problems only');
  const clip = lo && hi ? (v: number, i: number): number => Math.min(hi[i], Math.max(lo[i], v)) : (v: number): number => v;
  /** A component on a bound whose descent direction (-g or d) points further out is held fixed. */
  const stuck = (x: Float64Array, i: number, down: number): boolean => !!lo && !!hi && ((x[i] <= lo[i] && down < 0) || (x[i] >= hi[i] && down > 0));
  // Unbounded problems (the probes: thousands of variables, hundreds of iterations) skip the per-component
  // bound checks; the arithmetic is the same, so are the results.
  const bounded = !!lo;
  const projGradMax = (x: Float64Array, g: Float64Array): number => {
    let pg = 0;
    if (!bounded) for (let i = 0; i < n; i++) pg = Math.max(pg, Math.abs(g[i]));
    else for (let i = 0; i < n; i++) if (!stuck(x, i, -g[i])) pg = Math.max(pg, Math.abs(g[i]));
    return pg;
  };

  /** Whether a pair has enough positive curvature to keep the inverse Hessian estimate positive definite. */
  const curved = (s: Float64Array, y: Float64Array, sy: number): boolean => sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y));
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  // A given history is checked (a wrong one is the caller's mistake, said before the first evaluation) and its
  // usable pairs taken, the newest `memory` of them.
  const given = opts.history ?? { s: [], y: [] };
  if (given.s.length !== given.y.length) throw new Error(`minimizeLbfgs: history has ${given.s.length} s but ${given.y.length} y`);
  given.s.forEach((s0, k) => {
    const y0 = given.y[k];
    if (s0.length !== n || y0.length !== n) throw new Error(`minimizeLbfgs: history pair ${k} has lengths ${s0.length} and ${y0.length}, not ${n}`);
    const sy = dot(s0, y0);
    if (!curved(s0, y0, sy)) return;
    sHist.push(s0);
    yHist.push(y0);
    rho.push(1 / sy);
  });
  const surplus = Math.max(0, sHist.length - m);
  sHist.splice(0, surplus);
  yHist.splice(0, surplus);
  rho.splice(0, surplus);
  let x = Float64Array.from(x0, clip);
  let g = new Float64Array(n);
  let f = fn(x, g);
  let evals = 1;
  const done = (iterations: number, reason: LbfgsStop, gradMax = projGradMax(x, g)): LbfgsResult => ({
    x,
    f,
    iterations,
    evals,
    gradMax,
    converged: reason === 'gtol' || reason === 'ftol' || gradMax <= gtol,
    reason,
    history: { s: sHist, y: yHist },
  });
  if (!Number.isFinite(f)) return { ...done(0, 'notFinite', NaN), converged: false };
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  const preWork = pre ? { apply: pre, scratch: new Float64Array(n) } : undefined;
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let sNext: Float64Array = new Float64Array(n);
  let yNext: Float64Array = new Float64Array(n);

  for (let iter = 0; iter < maxIter; iter++) {
    const gmax = projGradMax(x, g);
    if (gmax <= gtol) return done(iter, 'gtol', gmax);
    if (evals >= maxEvals) return done(iter, 'maxEvals', gmax);
    twoLoopDirection(g, sHist, yHist, rho, alpha, dir, preWork);
    if (bounded) for (let i = 0; i < n; i++) if (stuck(x, i, dir[i])) dir[i] = 0;
    if (!(dot(g, dir) < 0)) {
      // Not a descent direction (stale curvature or numerical trouble): restart from steepest descent.
      sHist.length = 0;
      yHist.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = stuck(x, i, -g[i]) ? 0 : -g[i];
    }
    // Without curvature pairs the direction has the gradient's scale: make the first trial a unit-length move.
    let step = sHist.length ? 1 : 1 / Math.max(1e-300, Math.sqrt(dot(dir, dir)));
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 50 && evals < maxEvals; ls++) {
      if (bounded) for (let i = 0; i < n; i++) xNew[i] = clip(x[i] + step * dir[i], i);
      else for (let i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
      fNew = fn(xNew, gNew);
      evals++;
      let decrease = 0; // g . (xNew - x): the projected step's first-order decrease
      for (let i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) return done(iter, evals >= maxEvals ? 'maxEvals' : 'lineSearch', gmax);
    const s = sNext;
    const y = yNext;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (curved(s, y, sy)) {
      // The pair dropped from a full history lends its arrays to the next one.
      if (sHist.length === m) {
        sNext = sHist.shift() as Float64Array;
        yNext = yHist.shift() as Float64Array;
        rho.shift();
      } else {
        sNext = new Float64Array(n);
        yNext = new Float64Array(n);
      }
      sHist.push(s);
      yHist.push(y);
      rho.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) return done(iter + 1, 'ftol');
  }
  return done(maxIter, 'maxIter');
}
