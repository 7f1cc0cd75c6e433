import { describe, expect, it } from 'vitest';
import { scatterWasm } from '../../src/core/math/f64Linalg';
import { scatter, scatterJs } from '../../src/core/math/linalg';

/** Uniform values in [-1, 1) from a fixed sequence. */
function randoms(length: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1);
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
