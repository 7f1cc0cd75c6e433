// The memory estimate's model shapes follow the builders: its parameter count is the built model's, for every
// architecture family; and the estimate grows with what it should (batch, width, images held) and not with the
// number of images beyond what is held.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { buildAutoencoder } from '../../src/core/model';
import { estimatedParams, estimateTrialMemory, describeMemory } from '../../src/core/training/memoryEstimate';

const configs: Array<Partial<AutoencoderParams>> = [
  { architecture: 'dense', hiddenUnits: [256, 64], latentSize: 32 },
  { architecture: 'dense', hiddenUnits: [], latentSize: 8 },
  { architecture: 'denoising', hiddenUnits: [64], batchNorm: true },
  { architecture: 'sparse', hiddenUnits: [32, 16], imageSize: 12, channels: 3 },
  { architecture: 'variational', hiddenUnits: [128, 32], batchNorm: true },
  { architecture: 'conv', filters: [16, 32], latentSize: 32 },
  { architecture: 'conv', filters: [8, 16, 32], kernelSize: 5, imageSize: 30, channels: 3, batchNorm: true },
  { architecture: 'conv', filters: [4], imageSize: 9, latentSize: 3 },
];

describe('memory estimate', () => {
  it.each(configs)('counts the weights of the built model (the VAE\'s training-only head included): %j', (c) => {
    const p = { ...DEFAULT_PARAMS, ...c };
    const ae = buildAutoencoder(p, { width: p.imageSize, height: p.imageSize, channels: p.channels }, 1);
    try {
      expect(estimatedParams(p)).toBe(ae.weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0));
    } finally {
      ae.dispose();
    }
  });

  it('grows with the batch and the model, and not with the images a trainer does not hold', () => {
    const p = { ...DEFAULT_PARAMS, imageSize: 64, channels: 3 as const, architecture: 'conv' as const, filters: [32, 64], batchSize: 64 };
    const base = estimateTrialMemory(p, 2_000);
    expect(estimateTrialMemory({ ...p, batchSize: 256 }, 2_000).batch).toBeGreaterThan(base.batch);
    expect(estimateTrialMemory({ ...p, filters: [64, 128] }, 2_000).model).toBeGreaterThan(base.model);
    // 2,000 RGB 64x64 images are held (24 MB); 50,000 are read per batch: only their codes are added.
    const many = estimateTrialMemory(p, 50_000);
    expect(many.total - base.total).toBeLessThan(100 * 2 ** 20);
    expect(many.cachePages).toBe(50_000 * 64 * 64 * 3);
    expect(describeMemory(many)).toMatch(/^\d+(\.\d)? (MB|GB) \(runtime \d+ MB, model \d+ MB, optimizer \d+ MB, batch \d+(\.\d)? (MB|GB), images and codes \d+ MB\)$/);
  });
});
