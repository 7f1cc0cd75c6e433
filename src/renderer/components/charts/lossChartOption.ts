// Pure option builder for the loss-per-epoch chart (unit-tested; no DOM, no ECharts runtime).
// The tooltip is rendered from class names only: the strict CSP forbids inline style attributes, which
// ECharts' default tooltip markup uses.
import type { LineSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption } from 'echarts/components';
import type { EpochMetrics } from '../../../shared/dto';
import { formatLoss, formatSeconds } from '../../lib/format';
import { wallSeconds } from '../../lib/curves/smoothing';
import type { CurveXAxis } from './curveView';
import {
  axisLabelStyle,
  axisTitle,
  baseOption,
  DEFAULT_STYLE,
  escapeHtml,
  legendBase,
  plotGrid,
  splitLineStyle,
  type AnalyticsOption,
  type ChartStyle,
  type TooltipParam,
} from './chartStyle';

/** Visible chart texts, from the message files (analytics/chartLabels.ts). */
export interface LossChartLabels {
  train: string;
  val: string;
  epochAxis: string;
  lossAxis: string;
  /** The x axis's name against wall-clock time. */
  wallAxis: string;
  /** Tooltip title for one epoch, e.g. "Epoch 3". */
  epochTitle: (epoch: string) => string;
}

/** [x, loss] against epochs; [seconds, loss, epoch] against wall time (the tooltip still names the epoch). */
type Point = [number, number | '-'] | [number, number | '-', number];

/** ECharts draws a gap for '-'; a diverged (NaN/Infinity) loss must not break the line scale. */
function point(epoch: number, loss: number, wall?: number): Point {
  const y = Number.isFinite(loss) ? loss : '-';
  return wall === undefined ? [epoch, y] : [wall, y, epoch];
}

/** Axis-tooltip HTML: class names only, no inline styles. */
export function makeLossTooltip(epochTitle: (epoch: string) => string): (params: TooltipParam | TooltipParam[]) => string {
  return (params) => lossTooltip(params, epochTitle);
}

function lossTooltip(params: TooltipParam | TooltipParam[], epochTitle: (epoch: string) => string): string {
  const list = Array.isArray(params) ? params : [params];
  if (list.length === 0) return '';
  const first = list[0].value;
  const epoch = Array.isArray(first) ? (first[2] ?? first[0]) : undefined;
  const rows = list.map((p) => {
    const v = Array.isArray(p.value) ? p.value[1] : undefined;
    const kind = p.seriesIndex === 1 ? 'val' : 'train';
    const shown = typeof v === 'number' ? formatLoss(v) : '—';
    return (
      `<div class="ll-tt-row"><span class="ll-tt-dot ll-tt-dot--${kind}"></span>` +
      `<span class="ll-tt-name">${escapeHtml(p.seriesName ?? '')}</span>` +
      `<span class="ll-tt-value">${escapeHtml(shown)}</span></div>`
    );
  });
  const title = epoch === undefined ? '' : `<div class="ll-tt-title">${escapeHtml(epochTitle(String(epoch)))}</div>`;
  return title + rows.join('');
}

export interface LossChartOptions {
  /** The theme's chart colours (train and validation lines, text, axes). */
  theme?: ChartStyle;
  /** Planned epoch count: the x axis spans it from the start, so a live curve grows into the chart. */
  totalEpochs?: number | null;
  labels: LossChartLabels;
  /** Epochs (default) or cumulative wall-clock seconds of training on the x axis. */
  xAxis?: CurveXAxis;
  /** The chart's height in px: a small chart (a dashboard card) gets fewer y labels, never a crowded column. */
  height?: number;
}

/** About one y label per 30 px of plot (legend, axis names and the zoom slider take ~120 px), 2 to 5. */
export function lossYTicks(height: number | undefined): number | undefined {
  return height === undefined ? undefined : Math.max(2, Math.min(5, Math.floor((height - 120) / 30)));
}

export function buildLossChartOption(epochs: readonly EpochMetrics[], opts: LossChartOptions): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const formatter = makeLossTooltip(labels.epochTitle);
  const sorted = [...epochs].sort((a, b) => a.epoch - b.epoch);
  const wall = opts.xAxis === 'wall' ? wallSeconds(sorted) : null;
  const train = sorted.map((e) => point(e.epoch, e.trainLoss, wall?.get(e.epoch)));
  const val = sorted.map((e) => point(e.epoch, e.valLoss, wall?.get(e.epoch)));
  const firstEpoch = sorted.length ? sorted[0].epoch : 1;
  const lastEpoch = sorted.length ? sorted[sorted.length - 1].epoch : firstEpoch;
  const line = (name: string, color: string, data: Point[]): LineSeriesOption => ({
    type: 'line',
    name,
    data,
    color,
    showSymbol: data.length <= 60,
    symbol: 'circle',
    symbolSize: 6,
    connectNulls: false,
    lineStyle: { width: 2, color },
    itemStyle: { color },
    emphasis: { focus: 'series' },
  });

  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 20, top: 40, bottom: 6 }),
    legend: { ...legendBase(theme), top: 4, right: 8, icon: 'roundRect', itemWidth: 14, itemHeight: 4, data: [labels.train, labels.val] },
    tooltip: {
      trigger: 'axis',
      confine: true,
      className: 'll-chart-tooltip',
      formatter: formatter as TooltipComponentOption['formatter'],
      axisPointer: { type: 'line', lineStyle: { color: theme.axis, type: 'dashed' } },
    },
    xAxis: {
      type: 'value',
      ...(wall
        ? { ...axisTitle(theme, labels.wallAxis), min: 0, max: 'dataMax' as const }
        : {
            ...axisTitle(theme, labels.epochAxis),
            min: firstEpoch,
            max: Math.max(lastEpoch, firstEpoch + 1, opts.totalEpochs ?? 0),
            minInterval: 1,
          }),
      axisLine: { lineStyle: { color: theme.axis } },
      axisTick: { lineStyle: { color: theme.axis } },
      axisLabel: wall ? { ...axisLabelStyle(theme), formatter: (v: number) => formatSeconds(v) } : axisLabelStyle(theme),
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: labels.lossAxis,
      nameTextStyle: { ...axisLabelStyle(theme), align: 'left' },
      scale: true,
      splitNumber: lossYTicks(opts.height),
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => formatLoss(v) },
      splitLine: splitLineStyle(theme),
    },
    series: [line(labels.train, theme.train, train), line(labels.val, theme.val, val)],
  };
}
