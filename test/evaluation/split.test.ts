import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../src/core/data/split';
import { stratifiedSplit3 } from '../../src/core/evaluation/split';

function labelsOf(counts: number[], unlabeled = 0): Int32Array {
  const out: number[] = [];
  counts.forEach((c, label) => {
    for (let i = 0; i < c; i++) out.push(label);
  });
  for (let i = 0; i < unlabeled; i++) out.push(-1);
  // Interleave so classes are not contiguous.
  return Int32Array.from(out.map((l, i) => ({ l, k: (i * 7919) % out.length })).sort((a, b) => a.k - b.k).map((x) => x.l));
}

const ascending = (a: Int32Array): boolean => a.every((v, i) => i === 0 || v > a[i - 1]);

function perClass(labels: Int32Array, idx: Int32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const i of idx) m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
  return m;
}

describe('stratifiedSplit3', () => {
  it('partitions every index once, sorted, deterministic per seed', () => {
    const labels = labelsOf([100, 50, 30], 20);
    const a = stratifiedSplit3(labels, 0.2, 0.1, 7);
    const b = stratifiedSplit3(labels, 0.2, 0.1, 7);
    const c = stratifiedSplit3(labels, 0.2, 0.1, 8);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.val)).toEqual(Array.from(b.val));
    expect(Array.from(a.val)).not.toEqual(Array.from(c.val));
    const all = [...a.train, ...a.val, ...a.test];
    expect(all.length).toBe(labels.length);
    expect(new Set(all).size).toBe(labels.length);
    expect(ascending(a.train) && ascending(a.val) && ascending(a.test)).toBe(true);
  });

  it('keeps class proportions (unlabeled images form one group)', () => {
    const labels = labelsOf([100, 50, 30], 20);
    const { val, test } = stratifiedSplit3(labels, 0.2, 0.1, 1);
    expect(Object.fromEntries(perClass(labels, val))).toEqual({ '0': 20, '1': 10, '2': 6, '-1': 4 });
    expect(Object.fromEntries(perClass(labels, test))).toEqual({ '0': 10, '1': 5, '2': 3, '-1': 2 });
  });

  it('gives every class of >= 3 images a training, a validation and a test image', () => {
    const labels = labelsOf([3, 3, 4, 5, 40]);
    for (const [v, t] of [
      [0.05, 0.05],
      [0.6, 0.3],
      [0.3, 0.6],
    ]) {
      const s = stratifiedSplit3(labels, v, t, 3);
      for (const part of [s.train, s.val, s.test]) expect([...perClass(labels, part).keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('equals the 2-way stratifiedSplit when testFraction is 0, and keeps its validation set when it is not', () => {
    for (const seed of [0, 1, 42]) {
      const labels = labelsOf([100, 50, 30, 2, 1], 9);
      const two = stratifiedSplit(labels, 0.25, seed);
      const three = stratifiedSplit3(labels, 0.25, 0, seed);
      expect(three.test.length).toBe(0);
      expect(Array.from(three.train)).toEqual(Array.from(two.train));
      expect(Array.from(three.val)).toEqual(Array.from(two.val));
      // With a test split, validation is unchanged for classes big enough, test comes out of training.
      const withTest = stratifiedSplit3(labels, 0.25, 0.15, seed);
      expect(Array.from(withTest.val)).toEqual(Array.from(two.val));
      const train2 = new Set(two.train);
      expect([...withTest.test].every((i) => train2.has(i))).toBe(true);
    }
  });

  it('handles tiny classes: pairs give validation one, singletons train', () => {
    const labels = Int32Array.from([0, 0, 1, 2, 2, 2, 2, 2, 2]);
    const s = stratifiedSplit3(labels, 0.3, 0.3, 5);
    expect(perClass(labels, s.val).get(0)).toBe(1);
    expect(perClass(labels, s.test).get(0)).toBeUndefined();
    expect(perClass(labels, s.train).get(1)).toBe(1);
    // Only singletons: each requested split still gets an image.
    const singles = stratifiedSplit3(Int32Array.from([0, 1, 2, 3, 4]), 0.2, 0.2, 1);
    expect([singles.train.length, singles.val.length, singles.test.length]).toEqual([3, 1, 1]);
  });

  it('rejects bad fractions and too few images', () => {
    const labels = labelsOf([10, 10]);
    expect(() => stratifiedSplit3(labels, 0.6, 0.4, 1)).toThrow(/must be < 1/);
    expect(() => stratifiedSplit3(labels, -0.1, 0, 1)).toThrow(/valFraction/);
    expect(() => stratifiedSplit3(labels, 0.2, 1, 1)).toThrow(/testFraction/);
    expect(() => stratifiedSplit3(Int32Array.from([0, 1]), 0.2, 0.2, 1)).toThrow(/at least 3/);
  });
});
