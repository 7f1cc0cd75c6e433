import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, inverseFromCholesky, scatter } from '../../src/core/math/linalg';

/** A random symmetric positive definite n x n matrix, B B^T + n I, from a fixed sequence. */
function spd(n: number): Float64Array {
  let s = 7;
  const b = Float64Array.from({ length: n * n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
  const a = scatter(b, n, n); // B^T B
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

describe('cholesky and solves', () => {
  it('solves A x = b and inverts A (n = 9, odd so the unrolled dots have tails)', () => {
    const n = 9;
    const a = spd(n);
    const l = Float64Array.from(a);
    expect(cholesky(l, n)).toBe(true);
    const b = Float64Array.from({ length: n }, (_, i) => i - 3);
    const x = choleskySolve(l, n, b);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      expect(s).toBeCloseTo(b[i], 10);
    }
    const inv = new Float64Array(n * n);
    inverseFromCholesky(l, n, inv, new Float64Array(n * n));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });

  it('reads only the lower triangle', () => {
    const a = Float64Array.from([4, 99, 2, 3]);
    expect(cholesky(a, 2)).toBe(true);
    expect(Array.from(a)).toEqual([2, 99, 1, Math.sqrt(2)]);
  });

  it('refuses a singular or indefinite matrix, also when rounding leaves a tiny positive pivot', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    // [[2, 2], [2, 2]] plus rounding noise on the second pivot.
    expect(cholesky(Float64Array.from([2, 2, 2, 2 + 1e-15]), 2)).toBe(false);
  });

  it('scatter gives X^T X for odd column counts', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]); // 2 x 3
    expect(Array.from(scatter(x, 2, 3))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
  });
});
