// Dense linear algebra on row-major Float64Arrays, in place where it can be, with contiguous inner loops
// (dot products unrolled by four, which V8 runs about twice as fast). Only what a Gaussian process needs:
// Cholesky, triangular solves, and the inverse from the factor.

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
 * Cholesky factorisation A = L L^T in place: the lower triangle of `a` (n x n, row-major) becomes L, the
 * strict upper triangle is left untouched. Returns false when A is not (numerically) positive definite.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let k = 0; k < j; k++) {
      const rk = k * n;
      a[rj + k] = (a[rj + k] - dot(a, rj, a, rk, 0, k)) / a[rk + k];
    }
    const d = a[rj + j] - dot(a, rj, a, rj, 0, j);
    if (!(d > 0)) return false;
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
