import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/shared/dto';
import { DEFAULT_STYLE } from '../../src/renderer/components/charts/chartStyle';
import { buildLossChartOption, makeLossTooltip } from '../../src/renderer/components/charts/lossChartOption';
import { chartLabelsWith } from '../../src/renderer/components/analytics/chartLabels';
import { createAppI18n } from '../../src/renderer/i18n';

/** The chart's English texts, from the message files. */
const labels = chartLabelsWith(createAppI18n('en').global).loss;
const SERIES_NAMES = { train: labels.train, val: labels.val };
const formatLossTooltip = makeLossTooltip(labels.epochTitle);

const m = (epoch: number, trainLoss: number, valLoss: number): EpochMetrics => ({
  epoch,
  trainLoss,
  valLoss,
  seconds: 1,
  samplesPerSec: 1000,
});

type Series = { name: string; type: string; data: [number, number | '-'][]; color: string };
const seriesOf = (epochs: EpochMetrics[]) =>
  buildLossChartOption(epochs, { labels }).series as unknown as Series[];

describe('buildLossChartOption', () => {
  it('plots train and validation loss per epoch as two line series', () => {
    const series = seriesOf([m(1, 0.5, 0.6), m(2, 0.3, 0.4)]);
    expect(series.map((s) => s.name)).toEqual([SERIES_NAMES.train, SERIES_NAMES.val]);
    expect(series.every((s) => s.type === 'line')).toBe(true);
    expect(series[0].data).toEqual([[1, 0.5], [2, 0.3]]);
    expect(series[1].data).toEqual([[1, 0.6], [2, 0.4]]);
  });

  // Issue 14 defect 7: a dashboard card's 200 px chart showed six crowded y labels.
  it('gives a small chart few y labels and a tall one up to five', () => {
    const y = (height?: number) => (buildLossChartOption([m(1, 0.5, 0.6), m(2, 0.3, 0.4)], { labels, height }).yAxis as { splitNumber?: number }).splitNumber;
    expect(y(200)).toBe(2);
    expect(y(280)).toBe(5);
    expect(y(600)).toBe(5);
    expect(y()).toBeUndefined();
  });

  it('sorts epochs that arrived out of order', () => {
    const series = seriesOf([m(3, 0.1, 0.2), m(1, 0.5, 0.6), m(2, 0.3, 0.4)]);
    expect(series[0].data.map((p) => p[0])).toEqual([1, 2, 3]);
  });

  it('leaves a gap instead of a NaN or infinite loss', () => {
    const series = seriesOf([m(1, Number.NaN, 0.6), m(2, 0.3, Number.POSITIVE_INFINITY)]);
    expect(series[0].data[0]).toEqual([1, '-']);
    expect(series[1].data[1]).toEqual([2, '-']);
  });

  it('gives an empty chart a sane integer epoch axis', () => {
    const opt = buildLossChartOption([], { labels });
    const x = opt.xAxis as { min: number; max: number; minInterval: number };
    expect(x.min).toBe(1);
    expect(x.max).toBe(2);
    expect(x.minInterval).toBe(1);
    expect((opt.series as Series[])[0].data).toEqual([]);
  });

  it('spans the epochs that exist', () => {
    const x = buildLossChartOption([m(1, 1, 1), m(7, 1, 1)], { labels }).xAxis as { min: number; max: number };
    expect([x.min, x.max]).toEqual([1, 7]);
  });

  it('spans the planned epochs so a live curve grows into the chart', () => {
    const x = buildLossChartOption([m(1, 1, 1), m(2, 1, 1)], { labels, totalEpochs: 10 }).xAxis as { min: number; max: number };
    expect([x.min, x.max]).toEqual([1, 10]);
    const past = buildLossChartOption([m(1, 1, 1), m(12, 1, 1)], { labels, totalEpochs: 10 }).xAxis as { max: number };
    expect(past.max).toBe(12);
  });

  it('uses the theme for the series colours', () => {
    const series = seriesOf([m(1, 0.5, 0.6)]);
    expect(series[0].color).toBe(DEFAULT_STYLE.train);
    expect(series[1].color).toBe(DEFAULT_STYLE.val);
    const custom = buildLossChartOption([m(1, 0.5, 0.6)], { labels, theme: { ...DEFAULT_STYLE, train: '#111111' } });
    expect((custom.series as Series[])[0].color).toBe('#111111');
  });

  it('uses a class-based tooltip (the CSP forbids inline styles)', () => {
    const opt = buildLossChartOption([m(1, 0.5, 0.6)], { labels });
    const tooltip = opt.tooltip as { trigger: string; formatter: unknown; className: string };
    expect(tooltip.trigger).toBe('axis');
    expect((tooltip.formatter as typeof formatLossTooltip)([{ seriesName: labels.train, seriesIndex: 0, value: [3, 0.5] }])).toBe(formatLossTooltip([{ seriesName: labels.train, seriesIndex: 0, value: [3, 0.5] }]));
    expect(tooltip.className).toBeTruthy();
  });
});

describe('formatLossTooltip', () => {
  it('renders the epoch and both losses without any style attribute', () => {
    const html = formatLossTooltip([
      { seriesName: SERIES_NAMES.train, seriesIndex: 0, value: [2, 0.012345] },
      { seriesName: SERIES_NAMES.val, seriesIndex: 1, value: [2, 0.5] },
    ]);
    expect(html).toContain('Epoch 2');
    expect(html).toContain('0.01235');
    expect(html).toContain('0.5');
    expect(html).toContain('ll-tt-dot--val');
    expect(html).not.toMatch(/style=/);
  });

  it('escapes series names', () => {
    const html = formatLossTooltip({ seriesName: '<b>x</b>', seriesIndex: 0, value: [1, 1] });
    expect(html).not.toContain('<b>');
  });

  it('shows a dash for a gap', () => {
    expect(formatLossTooltip([{ seriesName: labels.train, seriesIndex: 0, value: [1, '-'] }])).toContain('—');
  });
});
