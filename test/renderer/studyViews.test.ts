import { describe, expect, it } from 'vitest';
import { paramAxes } from '../../src/shared/analytics/params';
import { contourGrid } from '../../src/renderer/lib/analytics/contour';
import { edfCurve } from '../../src/renderer/lib/analytics/edf';
import { pointGroups, errorBandEdges, colourings } from '../../src/renderer/lib/explorer/groups';
import { buildContourOption, buildEdfOption, buildTimelineOption, timelineBars } from '../../src/renderer/components/charts/studyViewsOptions';
import { buildExplorerOption } from '../../src/renderer/components/charts/explorerChartOption';
import { SPEC, trial } from './analyticsFixtures';

type Series = { type: string; name?: string; data: unknown[]; large?: boolean; largeThreshold?: number };

describe('timeline', () => {
  const trials = [
    trial({ id: 1, number: 0, startedAt: '2025-01-01T00:00:10Z', finishedAt: '2025-01-01T00:00:40Z', worker: 'h:2' }),
    trial({ id: 2, number: 1, startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:20Z', worker: 'h:1' }),
    trial({ id: 3, number: 2, state: 'RUNNING', startedAt: '2025-01-01T00:00:20Z', finishedAt: null, worker: 'h:1' }),
    trial({ id: 4, number: 3, state: 'WAITING', startedAt: null, finishedAt: null, worker: null }),
  ];

  it('places started trials in seconds from the first start, one row per worker; a running one ends now', () => {
    const { bars, workers } = timelineBars(trials, Date.parse('2025-01-01T00:01:00Z'));
    expect(workers).toEqual(['h:1', 'h:2']);
    expect(bars.map((b) => [b.number, b.start, b.end, b.running])).toEqual([[0, 10, 40, false], [1, 0, 20, false], [2, 20, 60, true]]);
  });

  it('draws each state as one series of row segments separated by gaps', () => {
    const { bars, workers } = timelineBars(trials, Date.parse('2025-01-01T00:01:00Z'));
    const opt = buildTimelineOption(bars, workers, { labels: { time: 't', unknownWorker: '?', trialTitle: String, duration: 'd', state: (s) => s } });
    const series = opt.series as unknown as Series[];
    expect(series.map((s) => s.name)).toEqual(['COMPLETE', 'RUNNING']);
    expect(series[0].data).toEqual([[10, 1, 0], [40, 1, 0], [0, '-', 1], [0, 0, 1], [20, 0, 1]]);
  });
});

describe('contour and EDF options', () => {
  const axes = paramAxes(SPEC, []);
  const lr = axes.find((a) => a.name === 'learningRate')!;
  const dropout = axes.find((a) => a.name === 'dropout')!;
  const trials = [0.001, 0.01, 0.1].map((v, i) => trial({ id: i + 1, values: [i + 1], searchParams: { learningRate: v, dropout: i / 5 } }));

  it('draws the grid as a heatmap with the trials on their nearest cells', () => {
    const g = contourGrid(trials, lr, dropout, 0, 10)!;
    const opt = buildContourOption(g, lr, dropout, { labels: { value: 'v', trialTitle: String }, direction: 'minimize' });
    const [heat, dots] = opt.series as unknown as Series[];
    expect(heat.data).toHaveLength(100);
    expect(dots.data).toHaveLength(3);
    expect((opt.xAxis as { data: string[] }).data[9]).toBe('0.1'); // labels in the parameter's own units
  });

  it('draws one step line per study', () => {
    const opt = buildEdfOption([edfCurve('a', trials), edfCurve('b', trials.slice(0, 1))], { labels: { value: 'v', fraction: 'f', legend: (n, k) => `${n} ${k}` } });
    const series = opt.series as unknown as Array<Series & { step: string }>;
    expect(series.map((s) => [s.name, s.step, s.data.length])).toEqual([['a 3', 'end', 3], ['b 1', 'end', 1]]);
  });
});

describe('explorer colouring', () => {
  const data = { labels: ['1', '0', '1', null], errors: [0.1, 0.4, 0.2, 0.3], predicted: ['1', '1', '0', null] };

  it('groups by label naturally sorted, by outcome, and by error band', () => {
    expect(pointGroups(data, 'label').map((g) => g.indices)).toEqual([[1], [0, 2], [3]]);
    expect(pointGroups(data, 'outcome').map((g) => [g.key, g.indices])).toEqual([
      [{ kind: 'outcome', outcome: 'correct' }, [0]],
      [{ kind: 'outcome', outcome: 'wrong' }, [1, 2]],
      [{ kind: 'outcome', outcome: 'unknown' }, [3]],
    ]);
    const bands = pointGroups(data, 'error');
    expect(bands.flatMap((g) => g.indices).sort()).toEqual([0, 1, 2, 3]);
    expect(errorBandEdges(data.errors)[0]).toBe(0.1);
    expect(errorBandEdges(data.errors)[5]).toBe(0.4);
  });

  it('offers only the colourings the trial stored', () => {
    expect(colourings({ labels: ['a'], errors: null, predicted: null })).toEqual(['label']);
    expect(colourings(data)).toEqual(['label', 'error', 'outcome']);
  });

  // ECharts draws a series in large mode when large && its length >= largeThreshold (per series).
  const drawnLarge = (s: Series): boolean => s.large === true && s.data.length >= (s.largeThreshold ?? 2000);

  it('draws 10,000 points as large-mode series with the point index in each datum, and rings the selection', () => {
    const n = 10_000;
    const points = Array.from({ length: n }, (_, i) => [i % 100, Math.floor(i / 100)] as [number, number]);
    const labels = Array.from({ length: n }, (_, i) => String(i % 10));
    const groups = pointGroups({ labels, errors: null, predicted: null }, 'label');
    const opt = buildExplorerOption(points, groups, { names: groups.map((g) => String(g.key.kind === 'label' && g.key.label)), selected: [5, 6] });
    const series = opt.series as unknown as Series[];
    expect(series).toHaveLength(11);
    // Ten colour groups of 1,000: each in large mode, although each alone is below the threshold.
    expect(series.slice(0, 10).every((s) => drawnLarge(s) && s.data.length === 1000)).toBe(true);
    expect(series[1].data[0]).toEqual([1, 0, 1]);
    expect(series[10].name).toBe('__selected');
    expect(opt.animation).toBe(false);
    // Wheel zoom and drag pan on both axes, without filtering points out of the data.
    expect(opt.dataZoom).toEqual([
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ]);
  });

  it('draws a small map as separate symbols (hover emphasis per point)', () => {
    const points = Array.from({ length: 300 }, (_, i) => [i, i] as [number, number]);
    const groups = pointGroups({ labels: points.map((_, i) => String(i % 3)), errors: null, predicted: null }, 'label');
    const series = buildExplorerOption(points, groups, { names: ['0', '1', '2'] }).series as unknown as Series[];
    expect(series.some(drawnLarge)).toBe(false);
  });
});
