import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../src/core/data/split';

function labelsOf(counts: number[]): Int32Array {
  const out: number[] = [];
  counts.forEach((c, label) => {
    for (let i = 0; i < c; i++) out.push(label);
  });
  // Interleave so classes are not contiguous.
  return Int32Array.from(out.map((l, i) => ({ l, k: (i * 7919) % out.length })).sort((a, b) => a.k - b.k).map((x) => x.l));
}

function isSortedAscending(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
  return true;
}

describe('stratifiedSplit', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const labels = labelsOf([100, 50, 30]);
    const a = stratifiedSplit(labels, 0.2, 42);
    const b = stratifiedSplit(labels, 0.2, 42);
    const c = stratifiedSplit(labels, 0.2, 43);
    expect(Array.from(a.val)).toEqual(Array.from(b.val));
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.val)).not.toEqual(Array.from(c.val));
  });

  it('keeps class proportions, covers every index once, sorted ascending', () => {
    const labels = labelsOf([100, 50, 30]);
    const { train, val } = stratifiedSplit(labels, 0.2, 1);
    expect(train.length + val.length).toBe(180);
    expect(new Set([...train, ...val]).size).toBe(180);
    expect(isSortedAscending(train) && isSortedAscending(val)).toBe(true);
    const perClass = [0, 0, 0];
    for (const i of val) perClass[labels[i]]++;
    expect(perClass).toEqual([20, 10, 6]);
  });

  it('gives every class with >= 2 images a validation image, and keeps one for training', () => {
    const labels = labelsOf([2, 3, 1, 40]);
    const { train, val } = stratifiedSplit(labels, 0.05, 3);
    const valClasses = new Set(Array.from(val, (i) => labels[i]));
    expect(valClasses.has(0) && valClasses.has(1) && valClasses.has(3)).toBe(true);
    const trainClasses = new Set(Array.from(train, (i) => labels[i]));
    expect(trainClasses.has(0) && trainClasses.has(1) && trainClasses.has(2)).toBe(true);
    const big = stratifiedSplit(labelsOf([2, 2]), 0.95, 3);
    expect(big.train.length).toBe(2);
    expect(big.val.length).toBe(2);
  });

  it('treats unlabeled images as one group and handles tiny inputs', () => {
    const flat = new Int32Array(10).fill(-1);
    const { train, val } = stratifiedSplit(flat, 0.3, 5);
    expect(val.length).toBe(3);
    expect(train.length).toBe(7);
    const two = stratifiedSplit(new Int32Array([-1, -1]), 0.5, 0);
    expect(two.train.length).toBe(1);
    expect(two.val.length).toBe(1);
    const singletons = stratifiedSplit(new Int32Array([0, 1, 2]), 0.2, 0);
    expect(singletons.val.length).toBe(1);
    expect(singletons.train.length).toBe(2);
  });

  it('throws a clear error for fewer than 2 images or a bad fraction', () => {
    expect(() => stratifiedSplit(new Int32Array([0]), 0.2, 1)).toThrow(/at least 2 images/);
    expect(() => stratifiedSplit(new Int32Array(0), 0.2, 1)).toThrow(/at least 2 images/);
    expect(() => stratifiedSplit(new Int32Array([0, 0]), 0, 1)).toThrow(/valFraction/);
    expect(() => stratifiedSplit(new Int32Array([0, 0]), 1, 1)).toThrow(/valFraction/);
  });
});
