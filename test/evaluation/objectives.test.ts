import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../src/core/evaluation/metrics';
import { computeObjectives, type TrialEvaluation } from '../../src/core/evaluation/objectives';
import { objectiveDirections, objectiveRequirements, ObjectiveSpec } from '../../src/shared/study/objectives';
import { meanImageError, reconstructionError } from '../../src/core/evaluation/reconstruction';
import { formatTradeoff, latentTradeoff } from '../../src/core/evaluation/tradeoff';

describe('objectives', () => {
  const classification = classificationMetrics([0, 0, 1, 1], [0, 1, 1, 1], [0, 1], Float64Array.from([0.9, 0.1, 0.4, 0.6, 0.2, 0.8, 0.3, 0.7]));
  const ev: TrialEvaluation = {
    recon: { mse: 0.02, bce: 0.3, trivialMse: 0.08, trivialBce: 0.6 },
    classification,
    regression: { r2: 0.6, mse: 2, mae: 1 },
  };

  it('parses specs with defaults and rejects bad ones', () => {
    const spec = ObjectiveSpec.parse({ objectives: [{ name: 'val_recon' }, { name: 'weighted' }] });
    expect(spec.objectives[0]).toEqual({ name: 'val_recon', loss: 'mse' });
    expect(spec.objectives[1]).toEqual({ name: 'weighted', loss: 'mse', metric: 'val_accuracy', reconWeight: 0.5, downstreamWeight: 0.5 });
    expect(spec.primary).toBe(0);
    expect(ObjectiveSpec.safeParse({ objectives: [] }).success).toBe(false);
    expect(ObjectiveSpec.safeParse({ objectives: [{ name: 'val_loss' }] }).success).toBe(false);
    expect(ObjectiveSpec.safeParse({ objectives: [{ name: 'weighted', reconWeight: 0, downstreamWeight: 0 }] }).success).toBe(false);
    expect(ObjectiveSpec.safeParse({ objectives: [{ name: 'val_recon' }], primary: 1 }).success).toBe(false);
  });

  it('computes values and directions', () => {
    const spec = ObjectiveSpec.parse({
      objectives: [
        { name: 'val_recon' },
        { name: 'val_recon', loss: 'bce' },
        { name: 'val_accuracy' },
        { name: 'val_f1_macro' },
        { name: 'val_balanced_accuracy' },
        { name: 'val_roc_auc' },
        { name: 'val_r2' },
        { name: 'val_mse_target' },
      ],
    });
    expect(computeObjectives(spec, ev)).toEqual([0.02, 0.3, 0.75, classification.f1Macro, 0.75, 1, 0.6, 2]);
    expect(objectiveDirections(spec)).toEqual(['minimize', 'minimize', 'maximize', 'maximize', 'maximize', 'maximize', 'maximize', 'minimize']);
    expect(objectiveRequirements(spec)).toEqual({ labels: true, targets: true });
  });

  it('weighted: recon over the mean-image error plus 1 - score, averaged by weight', () => {
    const spec = ObjectiveSpec.parse({
      objectives: [
        { name: 'weighted', reconWeight: 1, downstreamWeight: 3 },
        { name: 'weighted', loss: 'bce', metric: 'val_mse_target', reconWeight: 1, downstreamWeight: 1 },
        { name: 'weighted', reconWeight: 0, downstreamWeight: 1, metric: 'val_roc_auc' },
      ],
    });
    const [a, b, c] = computeObjectives(spec, ev);
    expect(a).toBeCloseTo((1 * (0.02 / 0.08) + 3 * (1 - 0.75)) / 4, 12);
    expect(b).toBeCloseTo((0.3 / 0.6 + (1 - 0.6)) / 2, 12);
    expect(c).toBe(0);
    expect(objectiveDirections(spec)).toEqual(['minimize', 'minimize', 'minimize']);
  });

  it('explains what is missing', () => {
    const noLabels = ObjectiveSpec.parse({ objectives: [{ name: 'val_accuracy' }] });
    expect(() => computeObjectives(noLabels, { recon: { mse: 1 } })).toThrow(/class labels/);
    const noTrivial = ObjectiveSpec.parse({ objectives: [{ name: 'weighted' }] });
    expect(() => computeObjectives(noTrivial, { recon: { mse: 1 }, classification })).toThrow(/mean-image/);
    expect(objectiveRequirements(ObjectiveSpec.parse({ objectives: [{ name: 'val_recon' }] }))).toEqual({ labels: false, targets: false });
  });

  it('reconstruction errors and the mean-image scale', () => {
    expect(reconstructionError([0, 1], [0.5, 0.5], 'mse')).toBeCloseTo(0.25, 12);
    expect(reconstructionError([0, 1], [0.5, 0.5], 'bce')).toBeCloseTo(Math.log(2), 12);
    expect(reconstructionError([1], [0], 'bce')).toBeCloseTo(-Math.log(1e-7), 6); // clipped like Keras
    expect(meanImageError([0.5, 0], [1, 0, 0, 0], 'mse')).toBeCloseTo(0.125, 12);
  });
});

describe('latent-size trade-off', () => {
  it('keeps the best recon and downstream score per latent size', () => {
    const rows = latentTradeoff([
      { trialId: 1, latentSize: 8, reconError: 0.03, downstream: 0.8 },
      { trialId: 2, latentSize: 2, reconError: 0.06, downstream: 0.6 },
      { trialId: 3, latentSize: 8, reconError: 0.02, downstream: 0.78 },
      { trialId: 4, latentSize: 8, reconError: null, downstream: NaN },
      { trialId: 5, latentSize: 64, reconError: 0.01, downstream: null },
    ]);
    expect(rows).toEqual([
      { latentSize: 2, trials: 1, bestRecon: 0.06, bestReconTrial: 2, bestDownstream: 0.6, bestDownstreamTrial: 2, pcaRecon: null, pcaDownstream: null },
      { latentSize: 8, trials: 3, bestRecon: 0.02, bestReconTrial: 3, bestDownstream: 0.8, bestDownstreamTrial: 1, pcaRecon: null, pcaDownstream: null },
      { latentSize: 64, trials: 1, bestRecon: 0.01, bestReconTrial: 5, bestDownstream: null, bestDownstreamTrial: null, pcaRecon: null, pcaDownstream: null },
    ]);
    expect(latentTradeoff([{ trialId: 'a', latentSize: 4, reconError: 1, downstream: 3 }, { trialId: 'b', latentSize: 4, reconError: 1, downstream: 2 }], 'minimize')[0].bestDownstreamTrial).toBe('b');
    const table = formatTradeoff(rows, { recon: 'val MSE', downstream: 'val accuracy' });
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain('best val accuracy');
    expect(table).not.toContain('PCA');
  });

  it('puts PCA at the same sizes beside the trials', () => {
    const pca = [
      { latentSize: 8, reconMse: 0.025, accuracy: 0.79 },
      { latentSize: 16, reconMse: 0.015, accuracy: 0.81 }, // no trial of that size: no row
    ];
    const rows = latentTradeoff([{ trialId: 1, latentSize: 8, reconError: 0.03, downstream: 0.8 }], 'maximize', pca);
    expect(rows).toEqual([{ latentSize: 8, trials: 1, bestRecon: 0.03, bestReconTrial: 1, bestDownstream: 0.8, bestDownstreamTrial: 1, pcaRecon: 0.025, pcaDownstream: 0.79 }]);
    expect(formatTradeoff(rows, { recon: 'recon MSE' }).split('\n')[1].trim().split(/\s+/).slice(-2)).toEqual(['0.0250', '0.7900']);
  });
});
