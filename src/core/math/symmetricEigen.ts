// Eigen-decomposition of a symmetric matrix (PCA's covariance): Householder tridiagonalisation then implicit QL.
import { eigenKernels, type EigenKernels } from './f64Linalg';

/** Below this order the JS loops beat the wasm kernels' calls (both give the same bits). */
const WASM_MIN_ORDER = 16;

/** hypot without overflow or underflow (Math.hypot is slow in V8's hot loops). */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Row k (length n) is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric n x n matrix: Householder tridiagonalisation then implicit QL (the public-domain
 * JAMA tred2/tql2 routines). Deterministic, all eigenpairs, O(n^3); vector signs are not normalised here.
 * engine 'auto' runs the O(n^3) loops in wasm (f64Linalg.ts) from order WASM_MIN_ORDER where available, 'js'
 * never, 'wasm' always (an error where unavailable): the same operations in the same order, so the same bits.
 */
export function symmetricEigen(a: Float64Array, n: number, engine: 'auto' | 'js' | 'wasm' = 'auto'): SymmetricEigen {
  if (a.length !== n * n) throw new Error(`symmetricEigen: expected ${n} x ${n} values, got ${a.length}`);
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const wasm = engine === 'wasm' || (engine === 'auto' && n >= WASM_MIN_ORDER) ? eigenKernels(n) : null;
  if (engine === 'wasm' && !wasm) throw new Error('symmetricEigen: the wasm kernels are not available here');
  // tred2 works on V transposed (t[c * n + r] = V[r][c]) so its inner loops, and those of tql2, run along rows.
  // a is symmetric, so it is also its transpose.
  const t = wasm ? wasm.t : new Float64Array(n * n);
  const d = wasm ? wasm.d.fill(0) : new Float64Array(n);
  const e = wasm ? wasm.e.fill(0) : new Float64Array(n);
  t.set(a);
  tred2(t, d, e, n, wasm);
  tql2(t, d, e, n, wasm);
  const w = t;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = d[src];
    vectors.set(w.subarray(src * n, src * n + n), k * n);
  });
  return { values, vectors };
}

/**
 * Householder reduction to tridiagonal form; t is V transposed (t[c * n + r] = V[r][c]). With wasm, t, d and e are
 * its arrays and its kernels run the O(n^3) loops.
 */
function tred2(t: Float64Array, d: Float64Array, e: Float64Array, n: number, wasm: EigenKernels | null): void {
  for (let j = 0; j < n; j++) d[j] = t[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = t[j * n + i - 1];
        t[j * n + i] = 0;
        t[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      if (wasm) wasm.symv(i);
      else {
        for (let j = 0; j < i; j++) {
          f = d[j];
          const oj = j * n;
          t[i * n + j] = f;
          g = e[j] + t[oj + j] * f;
          for (let k = j + 1; k <= i - 1; k++) {
            const tv = t[oj + k];
            g += tv * d[k];
            e[k] += tv * f;
          }
          e[j] = g;
        }
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      if (wasm) wasm.update(i);
      else {
        for (let j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          const oj = j * n;
          for (let k = j; k <= i - 1; k++) t[oj + k] -= f * e[k] + g * d[k];
          d[j] = t[oj + i - 1];
          t[oj + i] = 0;
        }
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    t[i * n + n - 1] = t[i * n + i];
    t[i * n + i] = 1;
    const h = d[i + 1];
    const oi1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = t[oi1 + k] / h;
      if (wasm) wasm.accumulate(i);
      else {
        for (let j = 0; j <= i; j++) {
          const oj = j * n;
          let g = 0;
          for (let k = 0; k <= i; k++) g += t[oi1 + k] * t[oj + k];
          for (let k = 0; k <= i; k++) t[oj + k] -= g * d[k];
        }
      }
    }
    for (let k = 0; k <= i; k++) t[oi1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = t[j * n + n - 1];
    t[j * n + n - 1] = 0;
  }
  t[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** w is V transposed: w[col * n + row]. With wasm, w, d and e are its arrays and it rotates the rows. */
function tql2(w: Float64Array, d: Float64Array, e: Float64Array, n: number, wasm: EigenKernels | null): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 300) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (wasm) wasm.rotate(i, i + 1, c, s);
          else {
            const a = i * n;
            const b = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const hk = w[b + k];
              w[b + k] = s * w[a + k] + c * hk;
              w[a + k] = c * w[a + k] - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
