import { describe, expect, it } from 'vitest';
import { scatterWasm } from '../../src/core/math/f64Linalg';
import { scatter, scatterJs } from '../../src/core/math/linalg';
import { symmetricEigen } from '../../src/core/math/symmetricEigen';

/** Uniform values in [-1, 1) from a fixed sequence. */
function randoms(length: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
}

/** A random symmetric n x n matrix, X + X^T. */
function symmetric(n: number, seed: number): Float64Array {
  const x = randoms(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j] + x[j * n + i];
  return a;
}

/** The first index where a and b differ bit for bit (Object.is: -0 and +0 differ), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Identical bytes, not merely equal values. */
function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(firstDifference(a, b)).toBe(-1);
  expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
}

describe('wasm scatter', () => {
  const shapes: [number, number][] = [
    [300, 1],
    [257, 2],
    [600, 3],
    [513, 5],
    [255, 64],
    [700, 100],
    [256, 7],
    [1, 4],
  ];
  it.each(shapes)('matches the JS scatter bit for bit: %i rows x %i cols', (rows, cols) => {
    // Wide-ranging values, so a changed summation order would show in the last bits.
    const x = randoms(rows * cols, rows * 131 + cols).map((v, i) => v * 10 ** ((i % 7) - 3));
    const fast = scatterWasm(x, rows, cols);
    expect(fast).not.toBeNull();
    expectSameBits(fast as Float64Array, scatterJs(x, rows, cols));
  });

  it('is what scatter() gives with either engine, symmetric', () => {
    const rows = 300;
    const cols = 9;
    const x = randoms(rows * cols, 5);
    const c = scatter(x, rows, cols, 'wasm');
    expectSameBits(c, scatter(x, rows, cols, 'js'));
    expectSameBits(c, scatter(x, rows, cols));
    for (let j = 0; j < cols; j++) for (let k = 0; k < j; k++) expect(Object.is(c[j * cols + k], c[k * cols + j])).toBe(true);
  });

  it('keeps the sign of zero sums as the JS loop does', () => {
    const x = new Float64Array([-0, 0, -0, 0, 0, -0]);
    expectSameBits(scatter(x, 3, 2, 'wasm'), scatterJs(x, 3, 2));
  });
});

describe('wasm symmetricEigen', () => {
  it.each([1, 2, 3, 7, 64, 150])('gives the JS path\'s values and vectors bit for bit (n = %i)', (n) => {
    const a = symmetric(n, 11 + n);
    const js = symmetricEigen(a, n, 'js');
    const wasm = symmetricEigen(a, n, 'wasm');
    expectSameBits(wasm.values, js.values);
    expectSameBits(wasm.vectors, js.vectors);
  });

  it('matches on repeated eigenvalues and zero rows (tred2\'s scale === 0 branch)', () => {
    const n = 23;
    const a = new Float64Array(n * n);
    // A random 9 x 9 block, a diagonal of repeated 2s, and rows 11, 17 and 22 all zero (row 22 is tred2's first).
    const block = symmetric(9, 3);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) a[(i + 2) * n + j + 2] = block[i * 9 + j];
    for (const i of [0, 1, 12, 13, 14, 15, 16, 18, 19]) a[i * n + i] = 2;
    a[20 * n + 21] = a[21 * n + 20] = 0.5;
    const js = symmetricEigen(a, n, 'js');
    const wasm = symmetricEigen(a, n, 'wasm');
    expectSameBits(wasm.values, js.values);
    expectSameBits(wasm.vectors, js.vectors);
    expect(Array.from(js.values).filter((v) => Math.abs(v - 2) < 1e-12).length).toBeGreaterThanOrEqual(9);
  });

  it('matches on a PCA-like scatter matrix (low rank plus noise, wide eigenvalue range)', () => {
    const rows = 40;
    const n = 70;
    const x = randoms(rows * n, 9).map((v, i) => v * (1 + (i % n)));
    const c = scatterJs(x, rows, n);
    const js = symmetricEigen(c, n, 'js');
    const wasm = symmetricEigen(c, n, 'wasm');
    expectSameBits(wasm.values, js.values);
    expectSameBits(wasm.vectors, js.vectors);
    // And the decomposition is right: A v = lambda v for the top pair.
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += c[r * n + k] * wasm.vectors[k];
      expect(s).toBeCloseTo(wasm.values[0] * wasm.vectors[r], 6);
    }
  });
});
