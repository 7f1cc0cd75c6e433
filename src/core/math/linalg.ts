// Small dense linear algebra on row-major Float64Arrays, in place where it can be, with contiguous inner loops
// (dot products unrolled by four, which V8 runs about twice as fast): Cholesky, triangular solves, the inverse
// from the factor (the GP sampler) and the scatter matrix X^T X (ridge, PCA).
import { scatterWasm } from './f64Linalg';

/** sum_{p in [from, to)} a[ia + p] * b[ib + p] */
function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let p = from;
  for (; p + 3 < to; p += 4) {
    s0 += a[ia + p] * b[ib + p];
    s1 += a[ia + p + 1] * b[ib + p + 1];
    s2 += a[ia + p + 2] * b[ib + p + 2];
    s3 += a[ia + p + 3] * b[ib + p + 3];
  }
  for (; p < to; p++) s0 += a[ia + p] * b[ib + p];
  return s0 + s1 + (s2 + s3);
}

/**
 * Cholesky factorisation A = L L^T in place: the lower triangle of `a` (n x n, row-major) becomes L; only the
 * lower triangle is read and the strict upper one is left untouched. Returns false when A is not positive
 * definite up to rounding: a pivot below n * 1e-14 times the largest diagonal entry means a singular matrix,
 * and factoring on would give a meaningless solve.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  if (a.length < n * n) throw new Error(`cholesky: expected ${n} x ${n} values, got ${a.length}`);
  let maxDiag = 0;
  for (let j = 0; j < n; j++) maxDiag = Math.max(maxDiag, Math.abs(a[j * n + j]));
  const tiny = maxDiag * n * 1e-14;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let k = 0; k < j; k++) {
      const rk = k * n;
      a[rj + k] = (a[rj + k] - dot(a, rj, a, rk, 0, k)) / a[rk + k];
    }
    const d = a[rj + j] - dot(a, rj, a, rj, 0, j);
    if (!(d > tiny)) return false;
    a[rj + j] = Math.sqrt(d);
  }
  return true;
}

/** Solves L x = b in place (b becomes x); L is the lower triangle of `l`. */
export function solveLower(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    b[i] = (b[i] - dot(l, ri, b, 0, 0, i)) / l[ri + i];
  }
}

/** Solves L^T x = b in place, walking rows of L so memory access stays contiguous. */
export function solveUpperT(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const x = b[i] / l[ri + i];
    b[i] = x;
    for (let p = 0; p < i; p++) b[p] -= l[ri + p] * x;
  }
}

/** Solves L L^T x = b for x (a new array), given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  solveLower(l, n, x);
  solveUpperT(l, n, x);
  return x;
}

/**
 * A^-1 from its Cholesky factor, into `out` (full symmetric n x n). Works through U = L^-T stored by rows
 * (row j of U is column j of L^-1), so both products run over contiguous memory. `work` holds n*n numbers.
 */
export function inverseFromCholesky(l: Float64Array, n: number, out: Float64Array, work: Float64Array): void {
  const u = work;
  // Column j of L^-1: x_i = (delta_ij - sum_{j<=p<i} L_ip x_p) / L_ii, zero above j.
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = 0; i < j; i++) u[rj + i] = 0;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      u[rj + i] = ((i === j ? 1 : 0) - dot(l, ri, u, rj, j, i)) / l[ri + i];
    }
  }
  // (A^-1)_ij = sum_{p >= max(i,j)} Linv_pi Linv_pj = sum_p U_ip U_jp.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i; j < n; j++) {
      const rj = j * n;
      const s = dot(u, ri, u, rj, j, n);
      out[ri + j] = s;
      out[rj + i] = s;
    }
  }
}

/** Below this many elements (rows x cols) the JS scatter beats copying into wasm (both give the same bits). */
const WASM_MIN_ELEMENTS = 4096;

/**
 * Xc^T Xc (cols x cols). engine 'auto' runs the wasm twin (f64Linalg.ts, the same sums in the same order: the
 * same bits) from WASM_MIN_ELEMENTS where available, 'js' never, 'wasm' always (an error where unavailable).
 */
export function scatter(xc: Float64Array, rows: number, cols: number, engine: 'auto' | 'js' | 'wasm' = 'auto'): Float64Array {
  const fast = engine === 'wasm' || (engine === 'auto' && rows * cols >= WASM_MIN_ELEMENTS) ? scatterWasm(xc, rows, cols) : null;
  if (engine === 'wasm' && !fast) throw new Error('scatter: the wasm kernels are not available here');
  return fast ?? scatterJs(xc, rows, cols);
}

/** The JS scatter: accumulated over row blocks whose transpose stays in cache, 2 x 2 outputs at a time. */
export function scatterJs(xc: Float64Array, rows: number, cols: number): Float64Array {
  const c = new Float64Array(cols * cols);
  const block = 256;
  const t = new Float64Array(cols * block);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const b = Math.min(block, rows - r0);
    for (let i = 0; i < b; i++) for (let j = 0; j < cols; j++) t[j * b + i] = xc[(r0 + i) * cols + j];
    for (let j = 0; j < cols; j += 2) {
      const j1 = Math.min(j + 1, cols - 1); // odd cols: the last pair repeats a column, harmlessly
      const o0 = j * b;
      const o1 = j1 * b;
      for (let k = j; k < cols; k += 2) {
        const k1 = Math.min(k + 1, cols - 1);
        const p0 = k * b;
        const p1 = k1 * b;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let i = 0; i < b; i++) {
          const a0 = t[o0 + i];
          const a1 = t[o1 + i];
          const b0 = t[p0 + i];
          const b1 = t[p1 + i];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
        c[j * cols + k] += s00;
        if (k1 !== k) c[j * cols + k1] += s01;
        if (j1 !== j) {
          c[j1 * cols + k] += s10;
          if (k1 !== k) c[j1 * cols + k1] += s11;
        }
      }
    }
  }
  // Only entries with column >= row are complete (the block diagonal writes one below it, overwritten here).
  for (let j = 0; j < cols; j++) for (let k = 0; k < j; k++) c[j * cols + k] = c[k * cols + j];
  return c;
}
