import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from '../../src/core/math/neighbours';

describe('nearestNeighbours', () => {
  const codes = Float32Array.from([0, 0, 3, 4, 1, 0, 0, 2, 10, 10]); // rows of 2: (0,0) (3,4) (1,0) (0,2) (10,10)

  it('returns the k nearest rows by Euclidean distance, nearest first, without the query', () => {
    expect(nearestNeighbours(codes, 2, 0, 3)).toEqual([
      { index: 2, distance: 1 },
      { index: 3, distance: 2 },
      { index: 1, distance: 5 },
    ]);
  });

  it('caps k at the other rows and keeps ties in index order', () => {
    const ties = Float32Array.from([0, 1, 0, -1, 1, 0]); // all at distance 1 or sqrt 2 from each other
    expect(nearestNeighbours(Float32Array.from([0, 0, 1, 0, 0, 1, -1, 0]), 2, 0, 10).map((n) => n.index)).toEqual([1, 2, 3]);
    expect(nearestNeighbours(ties, 2, 0, 2).map((n) => n.index)).toEqual([2, 1]);
  });

  it('agrees with a full sort on random codes', () => {
    let s = 7;
    const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const dims = 8;
    const rows = 500;
    const c = Float64Array.from({ length: rows * dims }, rand);
    const dist = (a: number, b: number): number => Math.hypot(...Array.from({ length: dims }, (_, j) => c[a * dims + j] - c[b * dims + j]));
    const brute = Array.from({ length: rows }, (_, i) => i)
      .filter((i) => i !== 42)
      .sort((a, b) => dist(42, a) - dist(42, b) || a - b)
      .slice(0, 10);
    expect(nearestNeighbours(c, dims, 42, 10).map((n) => n.index)).toEqual(brute);
  });

  it('refuses a query row outside the codes', () => {
    expect(() => nearestNeighbours(codes, 2, 5, 1)).toThrow(RangeError);
  });
});
