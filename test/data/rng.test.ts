import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/shared/rng';

describe('createRng', () => {
  it('gives fixed values for a seed (same on every machine)', () => {
    const r = createRng(42);
    expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([2476999517, 2284424721, 914527439]);
    const f = createRng(42);
    expect(f.next()).toBe(2476999517 / 2 ** 32);
    expect(createRng(0).uint32()).toBe(591558436);
    expect(createRng(1).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([7, 3, 8, 1, 6, 4, 2, 9, 5, 0]);
    const d = createRng(7);
    expect([d.int(1, 6), d.int(1, 6), d.int(1, 6), d.int(1, 6)]).toEqual([2, 5, 2, 1]);
  });

  it('repeats a sequence for the same seed and differs across nearby seeds', () => {
    const a = createRng(123);
    const b = createRng(123);
    const c = createRng(124);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
  });

  it('next() stays in [0, 1) and int() covers [lo, hi] inclusively and evenly', () => {
    const r = createRng(5);
    const counts = new Map<number, number>();
    let outside = 0;
    for (let i = 0; i < 60_000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      const k = r.int(-2, 3);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(outside).toBe(0);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(r.int(4, 4)).toBe(4);
    expect(() => r.int(3, 2)).toThrow();
    expect(() => r.int(0.5, 2)).toThrow();
  });

  it('shuffle is a seeded permutation in place, also for typed arrays', () => {
    const arr = Array.from({ length: 100 }, (_, i) => i);
    const out = createRng(9).shuffle(arr);
    expect(out).toBe(arr);
    expect([...arr].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const typed = createRng(9).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(typed)).toEqual(arr);
  });

  it('normal() has mean ~0 and sd ~1', () => {
    const r = createRng(11);
    const xs = Array.from({ length: 20_000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow();
  });
});
