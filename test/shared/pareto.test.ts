import { describe, expect, it } from 'vitest';
import { crowdingDistance, dominates, nonDominatedSort, paretoFront } from '../../src/shared/pareto';

describe('pareto', () => {
  const pts = [
    [1, 5],
    [2, 3],
    [3, 4],
    [4, 1],
    [5, 5],
    [2, 3],
  ];

  it('ranks fronts (both minimised); equal points share a front', () => {
    const { ranks, fronts } = nonDominatedSort(pts, ['minimize', 'minimize']);
    expect(Array.from(ranks)).toEqual([0, 0, 1, 0, 2, 0]);
    expect(fronts).toEqual([[0, 1, 3, 5], [2], [4]]);
    expect(paretoFront(pts, ['minimize', 'minimize'])).toEqual([0, 1, 3, 5]);
  });

  it('respects directions and puts NaN last', () => {
    // Maximising the second value, (1,5) dominates every other point.
    expect(paretoFront(pts, ['minimize', 'maximize'])).toEqual([0]);
    expect(dominates([0.9, 0.1], [0.8, 0.1], ['maximize', 'minimize'])).toBe(true);
    expect(dominates([0.9, 0.1], [0.9, 0.1], ['maximize', 'minimize'])).toBe(false);
    const withNaN = nonDominatedSort([[NaN, 5], [5, 5]], ['minimize', 'minimize']);
    expect(Array.from(withNaN.ranks)).toEqual([1, 0]);
    expect(() => nonDominatedSort([[1]], ['minimize', 'minimize'])).toThrow(/expected 2/);
  });

  it('crowding distance: extremes infinite, interior the normalised neighbour gap', () => {
    const front = [[0, 4], [1, 2], [2, 1], [4, 0]];
    const cd = crowdingDistance(front, [0, 1, 2, 3], ['minimize', 'minimize']);
    expect(cd[0]).toBe(Infinity);
    expect(cd[3]).toBe(Infinity);
    expect(cd[1]).toBeCloseTo(2 / 4 + 3 / 4, 12);
    expect(cd[2]).toBeCloseTo(3 / 4 + 2 / 4, 12);
  });

  it('sorts points into non-dominated fronts', () => {
    const pts = [
      [1, 5],
      [2, 2],
      [5, 1],
      [3, 3],
      [4, 4],
      [2, 2],
    ];
    expect(nonDominatedSort(pts, ['minimize', 'minimize']).ranks).toEqual([0, 0, 0, 1, 2, 0]);
    expect(dominates([1, 1], [1, 2], ['minimize', 'minimize'])).toBe(true);
    expect(dominates([1, 1], [1, 1], ['minimize', 'minimize'])).toBe(false);
    expect(nonDominatedSort([[0.9, 0.1], [0.8, 0.2], [0.7, 0.05]], ['maximize', 'minimize']).ranks).toEqual([0, 1, 0]);
  });
});
