import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/shared/dto';
import { emaSmooth, wallSeconds } from '../../src/renderer/lib/curves/smoothing';
import { applyCurveView, DEFAULT_CURVE_VIEW, smoothSeriesData } from '../../src/renderer/components/charts/curveView';
import { DEFAULT_STYLE } from '../../src/renderer/components/charts/chartStyle';
import { buildLossChartOption } from '../../src/renderer/components/charts/lossChartOption';
import { buildIntermediateOption, groupCurves, intermediatePoints } from '../../src/renderer/components/charts/intermediateChartOption';
import { chartLabelsWith } from '../../src/renderer/components/analytics/chartLabels';
import { createAppI18n } from '../../src/renderer/i18n';

/** The builders draw the app's own English texts (the message files are their only source). */
const L = chartLabelsWith(createAppI18n('en').global);

const m = (epoch: number, loss: number, seconds = 2): EpochMetrics => ({ epoch, trainLoss: loss, valLoss: loss, valMse: loss, seconds, samplesPerSec: 100 });
type Series = { type: string; name: string; data: unknown[]; silent?: boolean; lineStyle?: { opacity?: number } };

describe('emaSmooth (TensorBoard debiased EMA)', () => {
  it('leaves the values unchanged at weight 0', () => {
    expect(emaSmooth([1, 2, '-', 4], 0)).toEqual([1, 2, '-', 4]);
  });

  it('is debiased: the first point is the first value, and a constant stays constant', () => {
    expect(emaSmooth([5, 5, 5], 0.9).map((v) => Number(v).toFixed(10))).toEqual(['5.0000000000', '5.0000000000', '5.0000000000']);
    expect(emaSmooth([3], 0.6)[0]).toBeCloseTo(3, 12);
  });

  it('matches the hand-computed average', () => {
    // w = 0.5: last = 0.5*1 = 0.5 -> /0.5 = 1; last = 0.25 + 0.5*3 = 1.75 -> /0.75 = 2.333...
    const out = emaSmooth([1, 3], 0.5) as number[];
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('keeps gaps and restarts after them and at marked restarts', () => {
    expect(emaSmooth([1, 9, '-', 4, 8], 0.5, [false, false, false, false, false]).slice(2, 4)).toEqual(['-', 4]);
    expect(emaSmooth([1, 9, 4], 0.5, [false, false, true])[2]).toBe(4);
  });
});

describe('wallSeconds', () => {
  it('accumulates each epoch duration in epoch order, ignoring non-finite durations', () => {
    const w = wallSeconds([m(2, 0, 3), m(1, 0, 2), m(3, 0, Number.NaN)]);
    expect([...w.entries()]).toEqual([[1, 2], [2, 5], [3, 5]]);
  });
});

describe('applyCurveView', () => {
  const option = buildLossChartOption([m(1, 1), m(2, 3), m(3, 2)], { labels: L.loss });

  it('adds a zoom (inside + slider) and room for the slider, without smoothing by default', () => {
    const out = applyCurveView(option, DEFAULT_CURVE_VIEW, DEFAULT_STYLE) as { dataZoom: Array<{ type: string }>; series: Series[]; grid: { bottom: number } };
    expect(out.dataZoom.map((d) => d.type)).toEqual(['inside', 'slider']);
    expect(out.series).toHaveLength(2);
    expect(out.grid.bottom).toBeGreaterThan((option.grid as { bottom: number }).bottom);
  });

  it('draws each smoothed line over its raw copy, which is faint and silent', () => {
    const out = applyCurveView(option, { ...DEFAULT_CURVE_VIEW, smoothing: 0.5 }, DEFAULT_STYLE) as { series: Series[] };
    expect(out.series).toHaveLength(4);
    const [raw, smooth] = out.series;
    expect(raw.silent).toBe(true);
    expect(raw.lineStyle?.opacity).toBe(0.25);
    expect(raw.data).toEqual([[1, 1], [2, 3], [3, 2]]);
    expect(smooth.name).toBe(raw.name);
    expect((smooth.data[1] as number[])[1]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('leaves a chart without line series alone', () => {
    const scatter = { series: [{ type: 'scatter' as const, data: [[1, 2]] }] };
    expect(applyCurveView(scatter, { ...DEFAULT_CURVE_VIEW, smoothing: 0.9 }, DEFAULT_STYLE)).toBe(scatter);
  });

  it('smooths each trial of a grouped series on its own (x going back starts a new curve)', () => {
    const data = smoothSeriesData([[1, 1, 0], [2, 3, 0], [1, '-', 1], [1, 10, 1], [2, 10, 1]], 0.5);
    expect(data[2]).toEqual([1, '-', 1]);
    expect(data[3]).toEqual([1, 10, 1]);
    expect(data[4]).toEqual([2, 10, 1]);
  });
});

describe('wall-time x axis', () => {
  it('places loss points at the cumulative seconds and keeps the epoch for the tooltip', () => {
    const opt = buildLossChartOption([m(1, 1, 2), m(2, 0.5, 3)], { labels: L.loss, xAxis: 'wall' });
    const series = opt.series as unknown as Series[];
    expect(series[0].data).toEqual([[2, 1, 1], [5, 0.5, 2]]);
    expect((opt.xAxis as { min: number }).min).toBe(0);
  });

  it('places each trial of the intermediate chart at its own training time', () => {
    const curves = [
      { trialId: 1, number: 0, state: 'COMPLETE' as const, epochs: intermediatePoints([m(1, 1, 4), m(2, 0.5, 4)], 'reconstruction') },
      { trialId: 2, number: 1, state: 'COMPLETE' as const, epochs: intermediatePoints([m(1, 2, 1)], 'reconstruction') },
    ];
    expect(groupCurves(curves, 'wall').complete).toEqual([[4, 1, 0, 1], [8, 0.5, 0, 2], [1, '-', 1, 1], [1, 2, 1, 1]]);
    expect(groupCurves(curves).complete[0]).toEqual([1, 1, 0]);
    const opt = buildIntermediateOption(curves, { labels: L.intermediate, xAxis: 'wall' });
    expect((opt.xAxis as { min: number }).min).toBe(0);
  });
});
