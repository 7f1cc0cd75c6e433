import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/core/search/samplers';
import { activeParams, enumerateGrid, gridSize } from '../../src/shared/study/space';
import {
  autoencoderTemplates,
  defaultAutoencoderSpace,
  deriveHiddenUnits,
  paramsFromSample,
} from '../../src/shared/study/templates';
import { featureStudySpec } from '../../src/shared/study/featureStudy';
import { parseStudySpec } from '../../src/shared/study/spec';
import { runStudy, type Params } from './fixtures';

const base = { imageSize: 28, channels: 1 as const, valFraction: 0.2, seed: 3 };
const names = (values: Params, s = defaultAutoencoderSpace()) => activeParams(s, values).map((p) => p.name);

describe('autoencoder templates', () => {
  it('activates per-architecture params only for their architecture', () => {
    const common = { outputActivation: 'linear', optimizer: 'adam' };
    const per: Record<string, string[]> = {
      dense: [],
      conv: ['filters', 'kernelSize'],
      denoising: ['noiseType', 'noiseLevel'],
      sparse: ['l1'],
      variational: ['klBeta'],
    };
    const special = ['filters', 'kernelSize', 'noiseType', 'noiseLevel', 'l1', 'klBeta'];
    for (const [arch, own] of Object.entries(per)) {
      const active = names({ architecture: arch, ...common });
      expect(special.filter((n) => active.includes(n)), arch).toEqual(own);
    }
  });

  it('offers momentum/nesterov only for sgd and bce only with a sigmoid output', () => {
    expect(names({ architecture: 'dense', optimizer: 'sgd', outputActivation: 'linear' })).toEqual(expect.arrayContaining(['momentum', 'nesterov']));
    expect(names({ architecture: 'dense', optimizer: 'adam', outputActivation: 'linear' })).not.toContain('momentum');
    expect(names({ architecture: 'dense', optimizer: 'adam', outputActivation: 'sigmoid' })).toContain('loss');
    expect(names({ architecture: 'dense', optimizer: 'adam', outputActivation: 'linear' })).not.toContain('loss');
  });

  it('trims to the chosen architectures and keeps help on every param', () => {
    const s = defaultAutoencoderSpace({ architectures: ['dense', 'denoising'] });
    const arch = s.params.find((p) => p.name === 'architecture');
    expect(arch).toMatchObject({ choices: ['dense', 'denoising'] });
    const all = s.params.map((p) => p.name);
    expect(all).toContain('noiseLevel');
    expect(all).not.toContain('l1');
    expect(all).not.toContain('klBeta');
    expect(all).not.toContain('filters');
    expect(s.params.every((p) => typeof p.help === 'string' && p.help.length > 10)).toBe(true);
  });

  it('pins and omits params; rejects unknown names', () => {
    const s = defaultAutoencoderSpace({ fixed: { epochs: 10, optimizer: 'sgd' }, omit: ['batchNorm'] });
    expect(s.params.find((p) => p.name === 'epochs')).toMatchObject({ type: 'fixed', value: 10 });
    expect(s.params.map((p) => p.name)).not.toContain('batchNorm');
    expect(s.params.map((p) => p.name)).toContain('momentum'); // child of a pinned parent stays
    expect(() => defaultAutoencoderSpace({ fixed: { learning_rate: 0.1 } })).toThrow(/"learning_rate" is not a parameter/);
    expect(() => defaultAutoencoderSpace({ fixed: { dropout: 2 } })).not.toThrow(); // fixed values are checked at trial time
    expect(() => defaultAutoencoderSpace({ architectures: [] })).toThrow(/at least one/);
  });

  it('offers explicit hidden-unit choices instead of depth/width/shrink', () => {
    const s = defaultAutoencoderSpace({ hiddenUnits: [[256, 128], [128]] });
    const all = s.params.map((p) => p.name);
    expect(all).toContain('hiddenUnits');
    expect(all).not.toContain('depth');
  });

  it('has a 6-trial seed grid and an essentials template', () => {
    expect(gridSize(autoencoderTemplates.seedGrid.build())).toBe(6);
    expect(enumerateGrid(autoencoderTemplates.seedGrid.build())[0]).toEqual({ architecture: 'dense', latentSize: 8, learningRate: 0.01 });
    const ess = autoencoderTemplates.essentials.build().params.map((p) => p.name);
    expect(ess).toEqual(['architecture', 'latentSize', 'depth', 'width', 'shrink', 'learningRate', 'batchSize']);
  });

  it('has a feature-learner template: conv with batch norm, widths/depths, denoising, code dropout; its study uses Hyperband on a downstream objective', () => {
    const space = autoencoderTemplates.features.build();
    for (const p of space.params) expect(p.help, p.name).toBeTruthy();
    runStudy(createSampler({ type: 'tpe', startupTrials: 3 }), space, 8, 5, (sample) => {
      const ap = paramsFromSample(sample, base);
      expect(ap).toMatchObject({ architecture: 'conv', batchNorm: true, optimizer: 'adam', epochs: 27 });
      expect([16, 32, 64]).toContain(ap.latentSize);
      expect([0, 0.1, 0.2, 0.3]).toContain(ap.convNoise);
      expect(ap.codeDropout).toBeGreaterThanOrEqual(0);
      expect(ap.codeDropout).toBeLessThanOrEqual(0.3);
      return ap.learningRate;
    });
    const parsed = parseStudySpec(featureStudySpec({ name: 'f', datasetPath: '/images', seconds: 600, seed: 4, parallel: 2 }));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.spec).toMatchObject({ objectives: [{ name: 'val_accuracy' }], pruner: { type: 'hyperband', minResource: 3 }, budget: { seconds: 600 }, dataset: { testFraction: 0.125 } });
  });

  it('every sampler proposal becomes valid AutoencoderParams', () => {
    const s = defaultAutoencoderSpace();
    for (const type of ['random', 'tpe'] as const) {
      runStudy(createSampler({ type, ...(type === 'tpe' ? { startupTrials: 4 } : {}) }), s, 10, 5, (p) => {
        const ap = paramsFromSample(p, base);
        return Math.abs(Math.log(ap.latentSize / 16)) + Math.abs(Math.log10(ap.learningRate) + 3);
      });
    }
  });
});

describe('paramsFromSample', () => {
  it('merges onto defaults and derives hidden widths from depth/width/shrink', () => {
    const p = paramsFromSample({ architecture: 'denoising', noiseLevel: 0.3, depth: 3, width: 256, shrink: 0.5, latentSize: 8 }, base);
    expect(p.hiddenUnits).toEqual([256, 128, 64]);
    expect(p).toMatchObject({ architecture: 'denoising', noiseLevel: 0.3, latentSize: 8, imageSize: 28, seed: 3, optimizer: 'adam' });
    expect(paramsFromSample({ depth: 4, width: 40, shrink: 0.3 }, base).hiddenUnits).toEqual([40, 12, 4, 4]);
    expect(paramsFromSample({ width: 64 }, base).hiddenUnits).toEqual([64, 32]);
    expect(paramsFromSample({ hiddenUnits: [100], depth: 3 }, base).hiddenUnits).toEqual([100]);
    expect(paramsFromSample({}, base).hiddenUnits).toEqual([128, 64]);
    expect(deriveHiddenUnits(2, 10, 0.25)).toEqual([10, 4]);
  });

  it('throws an Error naming the bad param', () => {
    expect(() => paramsFromSample({ learningRate: -1 }, base)).toThrow(/"learningRate"/);
    expect(() => paramsFromSample({ activation: 'swish' }, base)).toThrow(/"activation".*"swish"/);
    expect(() => paramsFromSample({ latentSize: 8.5 }, base)).toThrow(/"latentSize"/);
    expect(() => paramsFromSample({ depth: 1.5 }, base)).toThrow(/"depth"/);
    expect(() => paramsFromSample({ shrink: 2 }, base)).toThrow(/"shrink"/);
    expect(() => paramsFromSample({ learning_rate: 0.1 }, base)).toThrow(/Unknown parameter "learning_rate"/);
    expect(() => paramsFromSample({ imageSize: 64 }, base)).toThrow(/"imageSize" comes from the dataset/);
  });
});
