import { describe, expect, it } from 'vitest';
import { memoryRows } from '../../src/core/data/imageRows';
import type { LoadedDataset } from '../../src/core/data/types';
import { stratifiedSplit3 } from '../../src/core/evaluation';
import { DEFAULT_EVALUATION, evaluateTrial } from '../../src/core/trainer/evaluateTrial';

function dataset(n: number, labeled = true): LoadedDataset {
  const d = 4;
  const pixels = new Uint8Array(n * d).map((_, i) => (i * 37) % 256);
  return {
    root: '/x', files: Array.from({ length: n }, (_, i) => `${i}.png`),
    labels: Int32Array.from({ length: n }, (_, i) => (labeled ? i % 2 : -1)), classes: labeled ? ['a', 'b'] : [],
    width: 2, height: 2, channels: 1, images: memoryRows(pixels, d), failures: [], cacheKey: 'k', fromCache: false,
  };
}

// Codes that separate the classes perfectly along z_0.
const codesFor = (ds: LoadedDataset): Float32Array => Float32Array.from({ length: ds.files.length * 2 }, (_, i) => (i % 2 === 0 ? (ds.labels[i >> 1] === 1 ? 3 : -3) + (i % 7) * 0.01 : (i % 5) * 0.1));

describe('evaluateTrial', () => {
  it('scores codes with the probe on validation, objectives included, and the test split separately', () => {
    const ds = dataset(60);
    const splits = stratifiedSplit3(ds.labels, 0.2, 0.2, 1);
    const r = evaluateTrial(ds, splits, codesFor(ds), 2, { mse: 0.02 }, {
      ...DEFAULT_EVALUATION,
      testFraction: 0.2,
      objectives: { objectives: [{ name: 'val_recon', loss: 'mse' }, { name: 'val_accuracy' }], primary: 0 },
    });
    expect(r.values[0]).toBe(0.02);
    expect(r.values[1]).toBe(1);
    expect(r.evaluation.classification?.accuracy).toBe(1);
    expect(r.evaluation.recon.trivialMse).toBeGreaterThan(0);
    expect(r.test?.classification?.accuracy).toBe(1);
  });

  it('reconstruction-only evaluation works on unlabeled folders; a label objective explains itself', () => {
    const ds = dataset(30, false);
    const splits = stratifiedSplit3(ds.labels, 0.2, 0, 1);
    const r = evaluateTrial(ds, splits, codesFor(ds), 2, { mse: 0.5 }, DEFAULT_EVALUATION);
    expect(r.values).toEqual([0.5]);
    expect(r.evaluation.classification).toBeNull();
    expect(() => evaluateTrial(ds, splits, codesFor(ds), 2, { mse: 0.5 }, { ...DEFAULT_EVALUATION, objectives: { objectives: [{ name: 'val_accuracy' }], primary: 0 } })).toThrow(/needs class labels/);
  });
});
