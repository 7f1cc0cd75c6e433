import { describe, expect, it } from 'vitest';
import { trialAttributesOf } from '../../src/core/study/attributes';
import { pcaBaselineKey, RAW_BASELINE_KEY, TEST_PREDICTIONS_KEY } from '../../src/core/evaluation/storedBaselines';
import { storedVerdict, testVerdict, type VerdictBaseline } from '../../src/core/evaluation/verdict';
import type { JsonValue } from '../../src/shared/json';
import { verdictSentenceEn } from '../../src/shared/verdict';

const N = 1000;
const rows = Array.from({ length: N }, (_, i) => 5000 + i);
const truth = rows.map((_, i) => i % 10);
/** Predictions right on the images where `right(i)` holds, wrong (label + 1) elsewhere. */
const predicting = (right: (i: number) => boolean): number[] => truth.map((t, i) => (right(i) ? t : (t + 1) % 10));

const trial = { id: 7, number: 3, latentSize: 64, test: { rows, truth, predicted: predicting((i) => i % 100 >= 14) } }; // 0.86
const pca: VerdictBaseline = { baseline: 'pca', dim: 64, test: { rows, truth, predicted: predicting((i) => i % 100 >= 20) } }; // 0.80
const raw: VerdictBaseline = { baseline: 'raw', dim: 784, test: { rows, truth, predicted: predicting((i) => i % 100 >= 14 && i % 100 !== 50) } }; // 0.85

describe('test verdict', () => {
  it('says the codes beat PCA when McNemar finds the gap, and not when it is a handful of images', () => {
    const v = testVerdict(trial, [pca, raw]);
    expect(v.accuracy.value).toBeCloseTo(0.86, 12);
    expect(v.testImages).toBe(N);
    const [p, r] = v.comparisons;
    expect(p).toMatchObject({ baseline: 'pca', dim: 64, outcome: 'better', mcnemar: { onlyTrial: 60, onlyBaseline: 0, method: 'chi2' } });
    expect(p.difference.value).toBeCloseTo(0.06, 12);
    expect(p.difference.lo).toBeGreaterThan(0.04);
    expect(p.difference.hi).toBeLessThan(0.08);
    expect(p.accuracy.lo).toBeLessThan(0.8);
    expect(p.accuracy.hi).toBeGreaterThan(0.8);
    expect(r).toMatchObject({ baseline: 'raw', outcome: 'better', mcnemar: { onlyTrial: 10, onlyBaseline: 0, method: 'exact' } });
    expect(r.mcnemar.pValue).toBeCloseTo(2 / 1024, 12);
    expect(verdictSentenceEn(v, p)).toBe("The autoencoder's 64 features beat PCA(64) on test by +6.0 points [" + `+${(100 * p.difference.lo).toFixed(1)}, +${(100 * p.difference.hi).toFixed(1)}] (McNemar p < 0.001).`);
    expect(testVerdict(trial, [pca, raw])).toEqual(v);

    // Five images each way: a coin's worth of difference.
    const close: VerdictBaseline = { baseline: 'pca', dim: 64, test: { rows, truth, predicted: predicting((i) => (i % 100 >= 14 && i % 200 !== 50) || i % 200 === 13) } };
    const same = testVerdict(trial, [close]).comparisons[0];
    expect(same.outcome).toBe('same');
    expect(verdictSentenceEn({ latentSize: 64 }, same)).toMatch(/^The autoencoder's 64 features: no significant difference from PCA\(64\) on test \(\+0\.0 points \[\u2212[\d.]+, \+[\d.]+\], McNemar p = 1\.00\)\.$/);
    const worse = testVerdict({ ...trial, test: pca.test! }, [{ ...pca, test: trial.test }]).comparisons[0];
    expect(worse.outcome).toBe('worse');
    expect(verdictSentenceEn({ latentSize: 64 }, worse)).toMatch(/fall behind PCA\(64\) on test by \u22126\.0 points/);
  });

  it('refuses to pair predictions of other images, and says what is missing', () => {
    const other: VerdictBaseline = { baseline: 'pca', dim: 64, test: { ...pca.test!, rows: rows.map((r) => r + 1) } };
    const v = testVerdict(trial, [other, { baseline: 'raw', dim: 784, test: null }]);
    expect(v.comparisons).toEqual([]);
    expect(v.missing).toEqual(['PCA(64): scored on other test images than the trial (was the dataset changed?)', 'raw pixels (784): no test predictions stored']);
  });

  it('reads the stored attributes: trial predictions, raw and PCA at the trial size', () => {
    const stored = (b: VerdictBaseline): JsonValue => ({ features: b.baseline, dim: b.dim, setting: { param: 'C', value: 1, cv: null }, val: { classification: {} }, test: b.test as unknown as JsonValue });
    const studyAttrs: Record<string, JsonValue> = { [RAW_BASELINE_KEY]: { skipped: 'raw pixels: too large' }, [pcaBaselineKey(64)]: stored(pca), [pcaBaselineKey(32)]: stored({ ...pca, dim: 32 }) };
    const v = storedVerdict({ id: 7, number: 3, latentSize: 64 }, trialAttributesOf({ [TEST_PREDICTIONS_KEY]: trial.test as unknown as JsonValue }), studyAttrs);
    expect(v?.comparisons.map((c) => c.baseline)).toEqual(['pca']);
    expect(v?.missing).toEqual(['raw pixels: too large']);
    expect(storedVerdict({ id: 7, number: 3, latentSize: 16 }, trialAttributesOf({ [TEST_PREDICTIONS_KEY]: trial.test as unknown as JsonValue }), studyAttrs)?.missing).toContain('PCA(16): baseline not computed yet');
    expect(storedVerdict({ id: 7, number: 3, latentSize: 64 }, {}, studyAttrs)).toBeNull();
  });
});
