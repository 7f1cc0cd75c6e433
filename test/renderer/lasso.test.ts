import { describe, expect, it } from 'vitest';
import { lassoSelect, pointInPolygon, thinPath, type Vec2 } from '../../src/renderer/lib/explorer/lasso';

const square: Vec2[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
// a U shape: the notch between its arms is outside
const u: Vec2[] = [[0, 0], [30, 0], [30, 30], [20, 30], [20, 10], [10, 10], [10, 30], [0, 30]];

describe('lasso hit-testing', () => {
  it('tells inside from outside, also in a concave polygon', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true);
    expect(pointInPolygon(15, 5, square)).toBe(false);
    expect(pointInPolygon(5, 20, u)).toBe(true);
    expect(pointInPolygon(15, 20, u)).toBe(false);
    expect(pointInPolygon(15, 5, u)).toBe(true);
  });

  it('selects the indices inside, skipping undrawn (NaN) points', () => {
    const xs = [5, 15, 25, 15, Number.NaN];
    const ys = [20, 20, 20, 5, 20];
    expect(lassoSelect(xs, ys, u)).toEqual([0, 2, 3]);
  });

  it('selects nothing with fewer than three vertices', () => {
    expect(lassoSelect([1], [1], [[0, 0], [5, 5]])).toEqual([]);
  });

  it('selects exactly the points of a grid inside a square among 10,000', () => {
    const xs = new Float32Array(10000);
    const ys = new Float32Array(10000);
    for (let i = 0; i < 10000; i++) {
      xs[i] = (i % 100) + 0.5;
      ys[i] = Math.floor(i / 100) + 0.5;
    }
    const picked = lassoSelect(xs, ys, [[10, 10], [20, 10], [20, 20], [10, 20]]);
    expect(picked).toHaveLength(100);
    expect(picked[0]).toBe(10 * 100 + 10);
  });

  it('thins a mouse path to vertices a few pixels apart', () => {
    expect(thinPath([[0, 0], [1, 0], [2, 0], [3, 0], [4, 1]], 3)).toEqual([[0, 0], [3, 0]]);
  });
});
