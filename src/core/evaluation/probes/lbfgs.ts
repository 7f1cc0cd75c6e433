// Limited-memory BFGS for smooth convex objectives (the probes' regularised losses). Deterministic: no randomness,
// fixed iteration order, backtracking (Armijo) line search.

/** Writes the gradient at x into grad and returns the objective value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |gradient component| <= gtol (scipy's pgtol; sklearn passes its tol, 1e-4). */
  gtol?: number;
  /** Stop when the relative decrease (f_old - f_new) / max(|f_old|, |f_new|, 1) <= ftol (scipy's factr * eps). */
  ftol?: number;
  maxIter?: number;
  /** History pairs kept (scipy and sklearn use 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  gradMax: number;
  converged: boolean;
  reason: 'gtol' | 'ftol' | 'maxIter' | 'lineSearch';
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function minimizeLbfgs(fn: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const gtol = opts.gtol ?? 1e-5;
  const ftol = opts.ftol ?? 1e-12;
  const maxIter = opts.maxIter ?? 1000;
  const m = opts.memory ?? 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fn(x, g);
  if (!Number.isFinite(f)) throw new Error('minimizeLbfgs: objective is not finite at the starting point');
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  for (let iter = 0; iter < maxIter; iter++) {
    const gmax = maxAbs(g);
    if (gmax <= gtol) return { x, f, iterations: iter, gradMax: gmax, converged: true, reason: 'gtol' };
    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let k = sHist.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(sHist[k], dir);
      const y = yHist[k];
      for (let i = 0; i < n; i++) dir[i] -= alpha[k] * y[i];
    }
    if (sHist.length) {
      const last = sHist.length - 1;
      const gamma = dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]);
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    } else {
      // First step: a unit-length move, as scipy does, so badly scaled objectives do not overshoot wildly.
      const norm = Math.sqrt(dot(dir, dir));
      for (let i = 0; i < n; i++) dir[i] /= norm;
    }
    for (let k = 0; k < sHist.length; k++) {
      const beta = rho[k] * dot(yHist[k], dir);
      const s = sHist[k];
      for (let i = 0; i < n; i++) dir[i] += (alpha[k] - beta) * s[i];
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHist.length = 0;
      yHist.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      slope = -dot(g, g);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 50; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
      fNew = fn(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) return { x, f, iterations: iter, gradMax: gmax, converged: false, reason: 'lineSearch' };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sHist.length === m) {
        sHist.shift();
        yHist.shift();
        rho.shift();
      }
      sHist.push(s);
      yHist.push(y);
      rho.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      return { x, f, iterations: iter + 1, gradMax: maxAbs(g), converged: true, reason: 'ftol' };
    }
  }
  const gmax = maxAbs(g);
  return { x, f, iterations: maxIter, gradMax: gmax, converged: gmax <= gtol, reason: 'maxIter' };
}
