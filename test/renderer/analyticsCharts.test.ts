// The analytics charts' option builders: pure functions from study data to ECharts options.
import { describe, expect, it } from 'vitest';
import { buildCompareLossOption, buildConfusionOption } from '../../src/renderer/components/charts/compareChartOption';
import { DEFAULT_STYLE, escapeHtml, tooltipHtml } from '../../src/renderer/components/charts/chartStyle';
import { buildHistoryOption } from '../../src/renderer/components/charts/historyChartOption';
import { flatRange } from '../../src/renderer/components/charts/chartStyle';
import { buildImportanceOption } from '../../src/renderer/components/charts/importanceChartOption';
import { buildIntermediateOption, groupCurves } from '../../src/renderer/components/charts/intermediateChartOption';
import { buildLatentScatterOption, labelOrder } from '../../src/renderer/components/charts/latentScatterOption';
import { buildParallelOption, INACTIVE, parallelData } from '../../src/renderer/components/charts/parallelChartOption';
import { buildParetoOption } from '../../src/renderer/components/charts/paretoChartOption';
import { buildSliceOption } from '../../src/renderer/components/charts/sliceChartOption';
import { buildTradeoffOption } from '../../src/renderer/components/charts/tradeoffChartOption';
import { paramImportance } from '../../src/shared/analytics/importance';
import { optimizationHistory, topPercentIds } from '../../src/shared/analytics/objective';
import { paretoPoints } from '../../src/renderer/lib/analytics/pareto';
import { paramAxes } from '../../src/shared/analytics/params';
import { latentSizeTradeoff } from '../../src/renderer/lib/analytics/tradeoff';
import { fakeTrials, SPEC, trial } from './analyticsFixtures';
import { chartLabelsWith } from '../../src/renderer/components/analytics/chartLabels';
import { createAppI18n } from '../../src/renderer/i18n';

/** The builders draw the app's own English texts (the message files are their only source). */
const L = chartLabelsWith(createAppI18n('en').global);

type Loose = Record<string, unknown>;
const seriesOf = (o: unknown): Loose[] => ((o as Loose).series as Loose[]) ?? [];
const callFormatter = (o: unknown, param: unknown): string => {
  const tooltip = (o as Loose).tooltip as { formatter: (p: unknown) => string };
  return tooltip.formatter(param);
};

describe('history chart', () => {
  const trials = [trial({ id: 1, number: 0, values: [0.5] }), trial({ id: 2, number: 1, values: [0.7] }), trial({ id: 3, number: 2, values: [0.2] })];
  const points = optimizationHistory(trials, 'minimize');

  it('plots values as dots and the best so far as a step line', () => {
    const o = buildHistoryOption(points, { labels: L.history });
    const [dots, best] = seriesOf(o);
    expect(dots.type).toBe('scatter');
    expect((dots.data as { value: number[] }[]).map((d) => d.value)).toEqual([
      [0, 0.5, 1],
      [1, 0.7, 2],
      [2, 0.2, 3],
    ]);
    expect(best.type).toBe('line');
    expect(best.step).toBe('end');
    expect(best.data).toEqual([
      [0, 0.5],
      [1, 0.5],
      [2, 0.2],
    ]);
  });

  // Issue 14 defect 7: one trial gave a column of identical, crowded y labels (ECharts stretches a zero range).
  it('bounds the y axis around the value of a single trial, on linear and log axes', () => {
    const one = optimizationHistory([trial({ id: 1, values: [0.04639] })], 'minimize');
    const y = (buildHistoryOption(one, { labels: L.history }) as Loose).yAxis as Loose;
    expect([y.min, y.max]).toEqual([0.04639 * 0.75, 0.04639 * 1.25]);
    const ylog = (buildHistoryOption(one, { labels: L.history, log: true }) as Loose).yAxis as Loose;
    expect([ylog.min, ylog.max]).toEqual([0.04639 / 2, 0.04639 * 2]);
    // A spread of values keeps ECharts' own bounds.
    const spread = (buildHistoryOption(points, { labels: L.history }) as Loose).yAxis as Loose;
    expect([spread.min, spread.max]).toEqual([undefined, undefined]);
    expect(flatRange([0, 0])).toEqual({ min: -1, max: 1 });
    expect(flatRange([null, Number.NaN])).toEqual({});
  });

  it('uses a log axis only when asked and possible, and highlights the selected trial', () => {
    expect(((buildHistoryOption(points, { labels: L.history, log: true }) as Loose).yAxis as Loose).type).toBe('log');
    const neg = optimizationHistory([trial({ id: 9, values: [-1] })], 'minimize');
    expect(((buildHistoryOption(neg, { labels: L.history, log: true }) as Loose).yAxis as Loose).type).toBe('value');
    const dots = seriesOf(buildHistoryOption(points, { labels: L.history, highlightTrialId: 3 }))[0].data as { symbolSize: number }[];
    expect(dots.map((d) => d.symbolSize)).toEqual([8, 8, 13]);
  });

  it('renders a class-only tooltip (the CSP forbids inline styles) with escaped text', () => {
    const o = buildHistoryOption(points, {
      labels: { objective: '<b>loss</b>', bestSoFar: 'best', trial: 'Trial', trialTitle: (n) => `T${n}` },
    });
    const html = callFormatter(o, { value: [2, 0.2, 3] });
    expect(html).toContain('T2');
    expect(html).toContain('&#60;b&#62;loss');
    expect(html).not.toMatch(/style=/);
  });
});

describe('parallel coordinates', () => {
  const trials = fakeTrials(60, 11);
  const axes = paramAxes(SPEC, trials);

  it('has one axis per searched param (log for log params, category for categorical) and the objective last', () => {
    const o = buildParallelOption(trials, axes, { labels: L.parallel, direction: 'minimize' }) as Loose;
    const pAxes = o.parallelAxis as Loose[];
    expect(pAxes.map((a) => a.name)).toEqual(['latentSize', 'learningRate', 'activation', 'hiddenUnits', 'dropout', 'Objective']);
    expect(pAxes.map((a) => a.type)).toEqual(['log', 'log', 'category', 'category', 'value', 'value']);
    expect(pAxes[2].data).toEqual(['relu', 'elu', 'tanh']);
  });

  it('keeps only completed trials and colours the top k% (the rest grey)', () => {
    const completed = trials.filter((t) => t.state === 'COMPLETE').length;
    const top = topPercentIds(trials, 'minimize', 25);
    const [others, best] = seriesOf(buildParallelOption(trials, axes, { labels: L.parallel, direction: 'minimize', topIds: top }));
    expect((best.data as unknown[]).length).toBe(top.size);
    expect((others.data as unknown[]).length).toBe(completed - top.size);
    const all = seriesOf(buildParallelOption(trials, axes, { labels: L.parallel, direction: 'minimize', topIds: null }));
    expect((all[1].data as unknown[]).length).toBe(completed);
    expect((all[0].data as unknown[]).length).toBe(0);
  });

  it('marks inactive conditional params on categorical axes', () => {
    const t = [trial({ id: 1, values: [1], searchParams: { activation: 'relu' } }), trial({ id: 2, values: [2], searchParams: {} })];
    const { lines, parallelAxis } = parallelData(t, axes);
    expect(lines[1].value[2]).toBe(INACTIVE);
    expect(parallelAxis[2].data).toContain(INACTIVE);
  });
});

describe('slice plots', () => {
  it('lays out one panel per param in a grid and sizes the chart to fit', () => {
    const trials = fakeTrials(40, 5);
    const axes = paramAxes(SPEC, trials);
    const { option, height } = buildSliceOption(trials, axes, { labels: L.slice, columns: 3, panelHeight: 200 });
    expect(height).toBe(400); // 5 params in 3 columns = 2 rows
    expect((option.grid as unknown[]).length).toBe(5);
    const xs = option.xAxis as Loose[];
    expect(xs.map((x) => x.type)).toEqual(['log', 'log', 'category', 'category', 'value']);
    const s = seriesOf(option);
    expect(s.every((x) => x.type === 'scatter')).toBe(true);
    expect((s[0].data as unknown[]).length).toBe(trials.filter((t) => t.state === 'COMPLETE').length);
  });
});

describe('importance chart', () => {
  it('draws horizontal bars, the most important on top, and explains each bar in its tooltip', () => {
    const trials = fakeTrials(200, 2);
    const result = paramImportance(trials, paramAxes(SPEC, trials));
    const o = buildImportanceOption(result.params, { labels: L.importance }) as Loose;
    const names = (o.yAxis as Loose).data as string[];
    expect(names[names.length - 1]).toBe(result.params[0].name); // category axes draw bottom-up
    const html = callFormatter(o, { dataIndex: names.length - 1 });
    expect(html).toContain('10th–90th percentile');
    // The band series: an invisible base up to `low`, then `high - low`, in the bars' order.
    const series = o.series as Loose[];
    const top = result.params[0];
    expect((series[1].data as number[])[names.length - 1]).toBeCloseTo(top.low);
    expect((series[2].data as number[])[names.length - 1]).toBeCloseTo(top.high - top.low);
  });
});

describe('intermediate values', () => {
  const curve = (id: number, state: 'COMPLETE' | 'PRUNED' | 'RUNNING', vals: number[]) => ({
    trialId: id,
    number: id,
    state,
    epochs: vals.map((v, i) => ({ epoch: i + 1, value: v })),
  });

  it('groups many trials into a few gap-separated series', () => {
    const g = groupCurves([curve(1, 'COMPLETE', [0.5, 0.4]), curve(2, 'COMPLETE', [0.6, 0.3]), curve(3, 'PRUNED', [0.9])]);
    expect(g.complete).toEqual([
      [1, 0.5, 1],
      [2, 0.4, 1],
      [1, '-', 2],
      [1, 0.6, 2],
      [2, 0.3, 2],
    ]);
    expect(g.pruned).toEqual([[1, 0.9, 3]]);
  });

  it('dashes pruned curves and marks where they were stopped', () => {
    const o = buildIntermediateOption([curve(1, 'COMPLETE', [0.5, 0.4]), curve(2, 'PRUNED', [0.9, 0.8]), curve(3, 'RUNNING', [0.7])], { labels: L.intermediate });
    const s = seriesOf(o);
    expect(s.map((x) => x.name)).toEqual(['Complete', 'Pruned', 'Running', 'Pruned here']);
    expect((s[1].lineStyle as Loose).type).toBe('dashed');
    expect(s[3].data).toEqual([[2, 0.8, 2]]);
  });

  it('stays at a handful of series for a thousand trials', () => {
    const many = Array.from({ length: 1000 }, (_, i) => curve(i, i % 5 === 0 ? 'PRUNED' : 'COMPLETE', [1, 0.5, 0.3]));
    const s = seriesOf(buildIntermediateOption(many, { labels: L.intermediate }));
    expect(s.length).toBe(3);
  });
});

describe('trade-off, Pareto, latent scatter, compare', () => {
  it('puts reconstruction on the left axis and downstream on the right when present', () => {
    const trials = [trial({ id: 1, latentSize: 4, values: [0.1, 0.8] }), trial({ id: 2, latentSize: 16, values: [0.05, 0.7] })];
    const both = buildTradeoffOption(latentSizeTradeoff(trials, { objectives: ['val_loss', 'val_accuracy'], directions: ['minimize', 'maximize'] }), { labels: L.tradeoff }) as Loose;
    expect((both.yAxis as unknown[]).length).toBe(2);
    expect(seriesOf(both).map((s) => s.yAxisIndex)).toEqual([0, 1]);
    expect((both.xAxis as Loose).data).toEqual(['4', '16']);
    const recon = buildTradeoffOption(latentSizeTradeoff(trials, { objectives: ['val_loss'], directions: ['minimize'] }), { labels: L.tradeoff }) as Loose;
    expect((recon.yAxis as unknown[]).length).toBe(1);
    expect(seriesOf(recon).length).toBe(1);
    // PCA at the same sizes: dashed lines on the same two axes.
    const pca = [{ latentSize: 16, reconMse: 0.06, accuracy: 0.75 }];
    const withPca = buildTradeoffOption(latentSizeTradeoff(trials, { objectives: ['val_loss', 'val_accuracy'], directions: ['minimize', 'maximize'] }, pca), { labels: L.tradeoff }) as Loose;
    const series = seriesOf(withPca);
    expect(series.map((s) => s.yAxisIndex)).toEqual([0, 1, 0, 1]);
    expect(series[2].data).toEqual(['-', 0.06]);
    expect(series[3].data).toEqual(['-', 0.75]);
    expect((series[2].lineStyle as Loose).type).toBe('dashed');
  });

  it('highlights the Pareto front', () => {
    const trials = [trial({ id: 1, values: [0.1, 0.5] }), trial({ id: 2, values: [0.2, 0.9] }), trial({ id: 3, values: [0.3, 0.4] })];
    const pts = paretoPoints(trials, ['minimize', 'maximize']);
    const s = seriesOf(buildParetoOption(pts, { labels: L.pareto, objectives: ['val_loss', 'accuracy'], directions: ['minimize', 'maximize'] }));
    expect((s[1].data as { value: number[] }[]).map((d) => d.value[3])).toEqual([1, 2]);
    expect((s[0].data as { value: number[] }[]).map((d) => d.value[3])).toEqual([3]);
  });

  it('colours latent points by label, in natural label order, unlabeled last', () => {
    expect(labelOrder(['10', '2', null, '1'])).toEqual(['1', '2', '10', null]);
    const o = buildLatentScatterOption(
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      ['b', 'a', null],
      { unlabeled: 'none' },
    );
    expect(seriesOf(o).map((s) => [s.name, (s.data as unknown[]).length])).toEqual([
      ['a', 1],
      ['b', 1],
      ['none', 1],
    ]);
  });

  it('draws a 3-D view as a fixed-extent scatter with axis guides and depth cues', () => {
    const o = buildLatentScatterOption([[0.5, 0.5, 1]], ['a'], {
      threeD: true,
      axes: [
        [
          [0, 0],
          [1, 0],
        ],
      ],
    }) as Loose;
    expect((o.xAxis as Loose).min).toBe(-1.4);
    const s = seriesOf(o);
    expect(s[0].type).toBe('line'); // the guide
    const point = (s[1].data as { symbolSize: number }[])[0];
    expect(point.symbolSize).toBeGreaterThan(6); // near points are larger
  });

  it('overlays curves of compared trials with one colour per trial', () => {
    const e = (epoch: number, v: number) => ({ epoch, trainLoss: v, valLoss: v + 0.1, seconds: 1, samplesPerSec: 1 });
    const s = seriesOf(
      buildCompareLossOption([
        { trialId: 1, number: 0, epochs: [e(1, 0.5), e(2, 0.4)] },
        { trialId: 2, number: 1, epochs: [e(1, 0.6)] },
      ], { labels: L.compare }),
    );
    expect(s.map((x) => x.name)).toEqual(['#0 val', '#0 train', '#1 val', '#1 train']);
    expect((s[0].itemStyle as Loose).color).toBe(DEFAULT_STYLE.series[0]);
    expect((s[2].itemStyle as Loose).color).toBe(DEFAULT_STYLE.series[1]);
  });

  it('builds a row-normalised confusion matrix heatmap', () => {
    const o = buildConfusionOption(
      [
        [8, 2],
        [1, 9],
      ],
      ['cat', 'dog'],
      { labels: L.confusion },
    );
    expect(seriesOf(o)[0].data).toEqual([
      [0, 0, 0.8, 8],
      [1, 0, 0.2, 2],
      [0, 1, 0.1, 1],
      [1, 1, 0.9, 9],
    ]);
  });
});

describe('tooltip markup', () => {
  it('escapes and uses classes only', () => {
    expect(escapeHtml('<a href="x">')).toBe('&#60;a href=&#34;x&#34;&#62;');
    const html = tooltipHtml('T', [{ name: 'n', value: '1', color: 12 }], 'note');
    expect(html).toContain('ll-tt-dot--c2');
    expect(html).toContain('ll-tt-note');
    expect(html).not.toMatch(/style=/);
  });
});
