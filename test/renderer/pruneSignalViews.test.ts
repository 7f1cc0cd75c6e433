// @vitest-environment happy-dom
// What a study's pruner compares, on the study pages (issue 15): read from the stored spec (an old spec without
// signal reads as reconstruction), the intermediate values taken from the epochs by signal (downstream: only the
// decision epochs, drawn as points), the chart's y axis and help named by the signal in both languages, and the
// strategy summaries ("Hyperband on Accuracy").
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, PruneView } from '../../src/shared/dto';
import { pruneViewOf } from '../../src/shared/study/pruneView';
import IntermediateCard from '../../src/renderer/components/analytics/IntermediateCard.vue';
import { chartLabelsWith, prunerTextWith, pruneWordsWith } from '../../src/renderer/components/analytics/chartLabels';
import type { StudyContext } from '../../src/renderer/components/analytics/types';
import { buildIntermediateOption, intermediatePoints } from '../../src/renderer/components/charts/intermediateChartOption';
import { createAppI18n, i18n, setI18nLocale } from '../../src/renderer/i18n';
import { trial } from './analyticsFixtures';
import { EChartStub } from './echartStub';
import { installFakeEngine, type FakeEngine } from './wizardHarness';

const EN = createAppI18n('en').global;
const ZH = createAppI18n('zh').global;

const accuracySpec = { objectives: [{ name: 'val_accuracy' }], primaryObjective: 0, pruner: { type: 'hyperband', minResource: 1, reductionFactor: 3, signal: 'downstream' } };
const DOWNSTREAM: PruneView = { signal: 'downstream', objective: 'val_accuracy', weighted: false, direction: 'maximize' };
const RECON: PruneView = { signal: 'reconstruction', objective: 'val_accuracy', weighted: false, direction: 'minimize' };

const epoch = (n: number, over: Partial<EpochMetrics> = {}): EpochMetrics => ({ epoch: n, trainLoss: 0.2, valLoss: 0.3, valMse: 0.1 / n, seconds: 2, samplesPerSec: 100, ...over });

describe('pruneViewOf: what a stored spec prunes on', () => {
  it('reads the signal, the primary objective and its direction; no pruner is null', () => {
    expect(pruneViewOf(accuracySpec)).toEqual(DOWNSTREAM);
    // Stored before the choice existed: the engine compared the reconstruction MSE, lower is better.
    expect(pruneViewOf({ ...accuracySpec, pruner: { type: 'median', startupTrials: 5, warmupSteps: 1, intervalSteps: 1 } })).toEqual(RECON);
    expect(pruneViewOf({ ...accuracySpec, pruner: { type: 'nop' } })).toBeNull();
    expect(pruneViewOf({ objectives: [{ name: 'val_recon' }] })).toBeNull();
    const weighted = pruneViewOf({ ...accuracySpec, objectives: [{ name: 'weighted', metric: 'val_accuracy' }] });
    expect(weighted).toMatchObject({ signal: 'downstream', weighted: true, direction: 'minimize' });
    // Several objectives: the primary one.
    expect(pruneViewOf({ ...accuracySpec, objectives: [{ name: 'val_recon' }, { name: 'val_mse_target' }], primaryObjective: 1 })).toMatchObject({
      objective: 'val_mse_target',
      direction: 'minimize',
    });
  });
});

describe('intermediatePoints: the values the pruner compared', () => {
  it('is the validation MSE of every epoch for reconstruction (a missing one is a gap, not the training objective)', () => {
    const points = intermediatePoints([epoch(2), epoch(1), epoch(3, { valMse: undefined })], 'reconstruction');
    expect(points.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(points.map((p) => p.value).slice(0, 2)).toEqual([0.1, 0.05]);
    expect(points[2].value).toBeNaN();
  });

  it('is the probe score at the decision epochs only for downstream, placed at the wall time its epoch ended', () => {
    const epochs = [epoch(1, { intermediate: 0.7 }), epoch(2), epoch(3, { intermediate: 0.8, seconds: 3 }), epoch(4)];
    const points = intermediatePoints(epochs, 'downstream');
    expect(points).toEqual([
      { epoch: 1, value: 0.7, seconds: 2 },
      { epoch: 3, value: 0.8, seconds: 5 },
    ]);
  });
});

describe('the intermediate chart and the summaries name the signal', () => {
  it('labels the y axis and the help by the signal, in English and Chinese', () => {
    expect(pruneWordsWith(EN, RECON).axis).toBe('Validation MSE');
    expect(pruneWordsWith(EN, null).axis).toBe('Validation MSE');
    expect(pruneWordsWith(EN, DOWNSTREAM).axis).toBe('Accuracy (validation, higher is better)');
    expect(pruneWordsWith(EN, DOWNSTREAM).help).toMatch(/^What the pruner compares: Accuracy on the validation set, scored by a quick probe only at the epochs where the pruner decides/);
    expect(pruneWordsWith(EN, RECON).help).toMatch(/validation reconstruction error \(MSE\) after each epoch; lower is better/);
    expect(pruneWordsWith(EN, { ...DOWNSTREAM, objective: 'val_mse_target', direction: 'minimize' }).axis).toBe('Target MSE (validation, lower is better)');
    expect(pruneWordsWith(EN, { ...DOWNSTREAM, weighted: true, direction: 'minimize' }).axis).toBe('the weighted objective (validation, lower is better)');
    expect(pruneWordsWith(ZH, DOWNSTREAM).axis).toBe('准确率（验证集，越高越好）');
    expect(pruneWordsWith(ZH, RECON).axis).toBe('验证集 MSE');
  });

  it('puts the label on the y axis and draws every downstream point as a symbol, even with many trials', () => {
    const labels = { ...chartLabelsWith(EN).intermediate, value: pruneWordsWith(EN, DOWNSTREAM).axis };
    const many = Array.from({ length: 100 }, (_, i) => ({ trialId: i, number: i, state: 'COMPLETE' as const, epochs: [{ epoch: 1, value: 0.5 }, { epoch: 3, value: 0.6 }] }));
    const sparse = buildIntermediateOption(many, { labels, sparse: true });
    expect((sparse.yAxis as { name: string }).name).toBe('Accuracy (validation, higher is better)');
    const series = sparse.series as Array<{ showSymbol?: boolean; symbolSize?: number }>;
    expect(series[0]).toMatchObject({ showSymbol: true, symbolSize: 6 });
    // Reconstruction: a value every epoch, lines without symbols once there are many trials.
    const dense = buildIntermediateOption(many, { labels: chartLabelsWith(EN).intermediate });
    expect((dense.yAxis as { name: string }).name).toBe('Validation MSE');
    expect((dense.series as Array<{ showSymbol?: boolean }>)[0].showSymbol).toBe(false);
  });

  it('says "Hyperband on Accuracy" where the strategy is summarised, and the pruner alone when it compares nothing', () => {
    const words = prunerTextWith(EN);
    expect(words('hyperband', DOWNSTREAM)).toBe('Hyperband on Accuracy');
    expect(words('median', RECON)).toBe('Median on validation MSE');
    expect(words('nop', null)).toBe('None');
    expect(words('median', null)).toBe('Median');
    expect(prunerTextWith(ZH)('hyperband', DOWNSTREAM)).toBe('Hyperband（按准确率）');
    expect(prunerTextWith(ZH)('successiveHalving', RECON)).toBe('逐次减半（按验证集 MSE）');
  });
});

describe('IntermediateCard', () => {
  let engine: FakeEngine;
  beforeAll(() => {
    engine = installFakeEngine();
  });

  it('plots the downstream points of finished trials and names the axis and help by the signal', async () => {
    const trials = [trial({ id: 1, state: 'COMPLETE', epochsDone: 4 }), trial({ id: 2, state: 'PRUNED', epochsDone: 1 })];
    engine.handlers['trials.curves'] = ({ trialIds }) =>
      trialIds.map((trialId) => ({
        trialId,
        epochs: trialId === 1 ? [epoch(1, { intermediate: 0.6 }), epoch(2), epoch(3, { intermediate: 0.7 }), epoch(4)] : [epoch(1, { intermediate: 0.4 })],
      }));
    const ctx: StudyContext = { trials, axes: [], directions: ['maximize'], objectives: ['val_accuracy'], objectiveIndex: 0, prune: DOWNSTREAM };
    setActivePinia(createPinia());
    setI18nLocale('en');
    const w = mount(IntermediateCard, { props: { ctx }, global: { plugins: [i18n], stubs: { EChart: EChartStub } } });
    await flushPromises();
    const chart = w.get('[data-testid="intermediate-chart"]');
    expect(chart.attributes('data-signal')).toBe('downstream');
    expect(chart.attributes('data-points')).toBe('3');
    expect(chart.attributes('data-y-name')).toBe('Accuracy (validation, higher is better)');
    expect(w.get('[data-testid="chart-intermediate-help"]').text()).toMatch(/Accuracy on the validation set.*higher is better/);
    await w.setProps({ ctx: { ...ctx, prune: RECON } });
    await flushPromises();
    expect(w.get('[data-testid="intermediate-chart"]').attributes('data-points')).toBe('5');
    expect(w.get('[data-testid="intermediate-chart"]').attributes('data-y-name')).toBe('Validation MSE');
    expect(w.get('[data-testid="chart-intermediate-help"]').text()).toMatch(/reconstruction error \(MSE\)/);
    w.unmount();
  });
});
