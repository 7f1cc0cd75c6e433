import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, bootstrapMean, erfc, mcnemar, quantileSorted } from '../../src/core/math/stats';

/** 0/1 correctness with `right` ones among n, spread evenly. */
function correctness(n: number, right: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (Math.floor(((i + 1) * right) / n) > Math.floor((i * right) / n) ? 1 : 0));
}

describe('bootstrapMean', () => {
  it('brackets the mean with a binomial-sized interval and repeats itself for a seed', () => {
    const v = correctness(1000, 840);
    const a = bootstrapMean(v, { seed: 7 });
    expect(a.value).toBe(0.84);
    // Normal approximation: 0.84 +- 1.96 sqrt(0.84 * 0.16 / 1000) = [0.817, 0.863].
    expect(a.lo).toBeGreaterThan(0.81);
    expect(a.lo).toBeLessThan(0.825);
    expect(a.hi).toBeGreaterThan(0.855);
    expect(a.hi).toBeLessThan(0.87);
    expect(bootstrapMean(v, { seed: 7 })).toEqual(a);
    const spread = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i) * 10);
    expect(bootstrapMean(spread, { seed: 8 })).not.toEqual(bootstrapMean(spread, { seed: 7 }));
  });

  it('is degenerate for constant values and NaN for none', () => {
    expect(bootstrapMean([1, 1, 1], { seed: 1, resamples: 50 })).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(Number.isNaN(bootstrapMean([], { seed: 1 }).value)).toBe(true);
    expect(() => bootstrapMean([1], { seed: 1, level: 1 })).toThrow(/level/);
  });

  it('interpolates quantiles like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantileSorted([5], 0.9)).toBe(5);
  });
});

describe('McNemar', () => {
  it('exact binomial for few discordant pairs (scipy binomtest(3, 20) = 0.0025768...)', () => {
    const a = new Uint8Array(100).fill(1);
    const b = new Uint8Array(100).fill(1);
    for (let i = 0; i < 17; i++) b[i] = 0; // only A right: 17
    for (let i = 17; i < 20; i++) a[i] = 0; // only B right: 3
    const r = mcnemar(a, b);
    expect(r).toMatchObject({ onlyA: 17, onlyB: 3, method: 'exact' });
    expect(r.pValue).toBeCloseTo(0.0025768280029296875, 12);
    expect(mcnemar(b, a).pValue).toBeCloseTo(r.pValue, 14);
  });

  it('chi-square with continuity correction for many (scipy chi2.sf(17^2 / 42, 1) = 0.0087119...)', () => {
    const a = new Uint8Array(200).fill(1);
    const b = new Uint8Array(200).fill(1);
    for (let i = 0; i < 30; i++) b[i] = 0;
    for (let i = 30; i < 42; i++) a[i] = 0;
    const r = mcnemar(a, b);
    expect(r).toMatchObject({ onlyA: 30, onlyB: 12, method: 'chi2' });
    expect(r.pValue).toBeCloseTo(0.008711912962379598, 6);
  });

  it('identical classifiers: p = 1; different item counts are refused', () => {
    expect(mcnemar([1, 0, 1], [1, 0, 1]).pValue).toBe(1);
    expect(() => mcnemar([1, 0], [1])).toThrow(/same items/);
  });

  it('erfc and the binomial tail match scipy', () => {
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 6);
    expect(erfc(-1.3)).toBeCloseTo(1.9340079449406524, 6);
    expect(erfc(3) / 2.2090496998585445e-5).toBeCloseTo(1, 5);
    expect(binomialHalfCdf(3, 20)).toBeCloseTo(0.0025768280029296875 / 2, 14);
    expect(binomialHalfCdf(500, 1000)).toBeGreaterThan(0.5);
    expect(binomialHalfCdf(20, 20)).toBe(1);
  });
});
