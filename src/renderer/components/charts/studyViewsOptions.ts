// optuna-dashboard's views as pure option builders: the contour of two parameters (a heatmap of the
// interpolated objective with the trials on top), the empirical distribution function of one or more studies,
// and the timeline of trials per trainer process.
import type { ParamAxis } from '../../../shared/analytics/params';
import type { TrialState } from '../../../shared/dto';
import type { ContourGrid } from '../../lib/analytics/contour';
import type { EdfCurve } from '../../lib/analytics/edf';
import { formatSeconds } from '../../lib/format';
import {
  axisLabelStyle,
  axisTitle,
  baseOption,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  legendBase,
  plotGrid,
  seriesColor,
  splitLineStyle,
  tooltipHtml,
  valueXAxis,
  valueYAxis,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

/** A grid coordinate back in the parameter's own units, for labels. */
function axisValueLabel(axis: ParamAxis, v: number): string {
  if (axis.kind === 'categorical') return axis.choices[Math.round(v)] ?? '';
  const x = axis.log ? 10 ** v : v;
  return axis.kind === 'int' ? String(Math.round(x)) : formatValue(x);
}

/** Index of the grid line nearest to v (the trials are drawn on the heatmap's category axes). */
function nearest(lines: readonly number[], v: number): number {
  let best = 0;
  for (let i = 1; i < lines.length; i++) if (Math.abs(lines[i] - v) < Math.abs(lines[best] - v)) best = i;
  return best;
}

export interface ContourLabels {
  value: string;
  trialTitle: (n: number) => string;
}

export function buildContourOption(
  grid: ContourGrid,
  x: ParamAxis,
  y: ParamAxis,
  opts: { theme?: ChartStyle; labels: ContourLabels; direction: 'minimize' | 'maximize' },
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const cells: Array<[number, number, number]> = [];
  grid.values.forEach((row, j) => row.forEach((v, i) => cells.push([i, j, v])));
  const cat = (axis: ParamAxis, lines: readonly number[]) => ({
    type: 'category' as const,
    data: lines.map((v) => axisValueLabel(axis, v)),
    ...axisTitle(theme, axis.name, 28),
    axisLabel: { ...axisLabelStyle(theme), hideOverlap: true },
    axisLine: { lineStyle: { color: theme.axis } },
    splitArea: { show: false },
  });
  // Better values dark-to-light in the ramp's "good" end: low for minimise, high for maximise.
  const ramp = opts.direction === 'minimize' ? theme.ramp : [...theme.ramp].reverse();
  return {
    ...baseOption(theme),
    animation: false,
    grid: plotGrid({ left: 12, right: 74, top: 16, bottom: 12 }),
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      if (p.seriesIndex === 1 && typeof v[3] === 'number') {
        const pt = grid.points.find((q) => q.number === v[3]);
        if (!pt) return '';
        return tooltipHtml(opts.labels.trialTitle(pt.number), [
          { name: x.name, value: axisValueLabel(x, pt.x) },
          { name: y.name, value: axisValueLabel(y, pt.y) },
          { name: opts.labels.value, value: formatValue(pt.value) },
        ]);
      }
      if (typeof v[2] !== 'number') return '';
      return tooltipHtml('', [
        { name: x.name, value: axisValueLabel(x, grid.xs[v[0] as number]) },
        { name: y.name, value: axisValueLabel(y, grid.ys[v[1] as number]) },
        { name: opts.labels.value, value: formatValue(v[2]) },
      ]);
    }),
    xAxis: cat(x, grid.xs),
    yAxis: cat(y, grid.ys),
    visualMap: {
      type: 'continuous',
      min: grid.min,
      max: grid.max === grid.min ? grid.min + 1e-9 : grid.max,
      seriesIndex: 0,
      calculable: false,
      right: 4,
      top: 'middle',
      itemHeight: 160,
      itemWidth: 12,
      inRange: { color: ramp },
      textStyle: { color: theme.muted, fontSize: 11 },
      formatter: (v: unknown) => formatValue(Number(v)),
    },
    series: [
      { type: 'heatmap', data: cells, progressive: 0, emphasis: { disabled: true } },
      {
        type: 'scatter',
        data: grid.points.map((p) => [nearest(grid.xs, p.x), nearest(grid.ys, p.y), p.value, p.number, p.trialId]),
        symbolSize: 8,
        itemStyle: { color: theme.surface, borderColor: theme.text, borderWidth: 1.2 },
        z: 3,
      },
    ],
  };
}

export interface EdfLabels {
  value: string;
  fraction: string;
  legend: (name: string, n: number) => string;
}

export function buildEdfOption(curves: readonly EdfCurve[], opts: { theme?: ChartStyle; labels: EdfLabels; log?: boolean }): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const names = curves.map((c) => opts.labels.legend(c.name, c.trials));
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 20, top: 36, bottom: 8 }),
    legend: { ...legendBase(theme), right: 8, data: names },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      return typeof v[0] === 'number' && typeof v[1] === 'number'
        ? tooltipHtml(p.seriesName ?? '', [
            { name: opts.labels.value, value: formatValue(v[0]) },
            { name: opts.labels.fraction, value: `${Math.round(v[1] * 100)}%` },
          ])
        : '';
    }),
    xAxis: { ...valueXAxis(theme, opts.labels.value), type: opts.log ? 'log' : 'value', scale: true },
    yAxis: { ...valueYAxis(theme, opts.labels.fraction), min: 0, max: 1, scale: false },
    series: curves.map((c, i) => ({
      type: 'line' as const,
      name: names[i],
      step: 'end' as const,
      data: c.steps,
      showSymbol: c.steps.length <= 60,
      symbolSize: 5,
      lineStyle: { width: 2, color: seriesColor(theme, i) },
      itemStyle: { color: seriesColor(theme, i) },
    })),
  };
}

export interface TimelineBar {
  trialId: number;
  number: number;
  state: TrialState;
  worker: string | null;
  /** Seconds since the first start. */
  start: number;
  end: number;
  running: boolean;
}

export interface TimelineLabels {
  time: string;
  unknownWorker: string;
  trialTitle: (n: number) => string;
  duration: string;
  state: (s: TrialState) => string;
}

/** Bars of the trials that started, in seconds from the first start; a running trial ends at `now`. */
export function timelineBars(
  trials: readonly { id: number; number: number; state: TrialState; worker: string | null; startedAt: string | null; finishedAt: string | null }[],
  now: number,
): { bars: TimelineBar[]; workers: string[] } {
  const started = trials.filter((t) => t.startedAt && Number.isFinite(Date.parse(t.startedAt)));
  if (!started.length) return { bars: [], workers: [] };
  const t0 = Math.min(...started.map((t) => Date.parse(t.startedAt!)));
  const bars = started.map((t) => {
    const s = Date.parse(t.startedAt!);
    const f = t.finishedAt ? Date.parse(t.finishedAt) : Number.NaN;
    const running = !Number.isFinite(f);
    return { trialId: t.id, number: t.number, state: t.state, worker: t.worker, start: (s - t0) / 1000, end: ((running ? now : f) - t0) / 1000, running };
  });
  const workers = [...new Set(bars.map((b) => b.worker ?? ''))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { bars, workers };
}

const STATE_ORDER: TrialState[] = ['COMPLETE', 'PRUNED', 'RUNNING', 'FAILED', 'CANCELLED', 'WAITING'];

export function buildTimelineOption(bars: readonly TimelineBar[], workers: readonly string[], opts: { theme?: ChartStyle; labels: TimelineLabels }): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const colour: Record<TrialState, string> = { COMPLETE: theme.series[0], PRUNED: theme.warn, RUNNING: theme.good, FAILED: theme.bad, CANCELLED: theme.faint, WAITING: theme.faint };
  const row = (w: string | null): number => workers.indexOf(w ?? '');
  const states = STATE_ORDER.filter((s) => bars.some((b) => b.state === s));
  const byNumber = new Map(bars.map((b) => [b.number, b] as const));
  return {
    ...baseOption(theme),
    animation: false,
    grid: plotGrid({ left: 12, right: 20, top: 36, bottom: 8 }),
    legend: { ...legendBase(theme), right: 8, data: states.map(opts.labels.state) },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      const b = typeof v[2] === 'number' ? byNumber.get(v[2]) : undefined;
      if (!b) return '';
      return tooltipHtml(opts.labels.trialTitle(b.number), [
        { name: '', value: opts.labels.state(b.state) },
        { name: opts.labels.duration, value: formatSeconds(b.end - b.start) },
        { name: '', value: b.worker ?? opts.labels.unknownWorker },
      ]);
    }),
    xAxis: { ...valueXAxis(theme, opts.labels.time), min: 0, axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => formatSeconds(v) } },
    yAxis: {
      type: 'value',
      min: -0.5,
      max: workers.length - 0.5,
      interval: 1,
      inverse: true,
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => (Number.isInteger(v) ? workers[v] || opts.labels.unknownWorker : '') },
      splitLine: splitLineStyle(theme),
    },
    // One line series per state; each trial is a thick segment [start, row] -> [end, row], gaps between trials.
    series: states.map((s) => ({
      type: 'line' as const,
      name: opts.labels.state(s),
      data: bars
        .filter((b) => b.state === s)
        .flatMap((b, i) => [...(i ? [[b.start, '-', b.number]] : []), [b.start, row(b.worker), b.number], [b.end, row(b.worker), b.number]]),
      connectNulls: false,
      symbol: 'rect',
      symbolSize: [4, 14],
      lineStyle: { width: 14, color: colour[s], cap: 'butt' as const, opacity: 0.85 },
      itemStyle: { color: colour[s] },
      emphasis: { focus: 'none' as const },
    })),
  };
}
