// The compare view's charts: the loss curves of 2-4 trials overlaid (validation solid, training dashed, one
// colour per trial), and a confusion matrix heatmap for a downstream classifier.
import type { EpochMetrics } from '../../../shared/dto';
import {
  axisLabelStyle,
  axisTitle,
  baseOption,
  canUseLog,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  legendBase,
  plotGrid,
  seriesColor,
  tooltipHtml,
  valueXAxis,
  valueYAxis,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface CompareCurve {
  trialId: number;
  number: number;
  epochs: readonly EpochMetrics[];
}

export interface CompareLabels {
  trial: (n: number) => string;
  train: string;
  val: string;
  epoch: string;
  loss: string;
}

const finiteOrGap = (v: number): number | '-' => (Number.isFinite(v) ? v : '-');

export function buildCompareLossOption(
  curves: readonly CompareCurve[],
  opts: { theme?: ChartStyle; labels: CompareLabels; log?: boolean },
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const all = curves.flatMap((c) => c.epochs.flatMap((e) => [e.trainLoss, e.valLoss])).filter((v) => Number.isFinite(v));
  const log = Boolean(opts.log) && canUseLog(all);
  const series = curves.flatMap((c, i) => {
    const sorted = [...c.epochs].sort((a, b) => a.epoch - b.epoch);
    const color = seriesColor(theme, i);
    const base = { type: 'line' as const, showSymbol: sorted.length <= 40, symbolSize: 5, itemStyle: { color } };
    return [
      {
        ...base,
        name: `${labels.trial(c.number)} ${labels.val}`,
        data: sorted.map((e) => [e.epoch, finiteOrGap(e.valLoss)]),
        lineStyle: { width: 2, color },
      },
      {
        ...base,
        name: `${labels.trial(c.number)} ${labels.train}`,
        data: sorted.map((e) => [e.epoch, finiteOrGap(e.trainLoss)]),
        lineStyle: { width: 1.5, color, type: 'dashed' as const, opacity: 0.8 },
        symbol: 'emptyCircle',
      },
    ];
  });
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 20, top: 40, bottom: 8 }),
    legend: { ...legendBase(theme, 11), left: 'center', itemWidth: 14, itemHeight: 6 },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      const curve = Math.floor((p.seriesIndex ?? 0) / 2);
      return tooltipHtml(p.seriesName ?? '', [
        { name: labels.epoch, value: String(v[0] ?? ''), color: curve },
        { name: labels.loss, value: typeof v[1] === 'number' ? formatValue(v[1]) : '—' },
      ]);
    }),
    xAxis: { ...valueXAxis(theme, labels.epoch), minInterval: 1, min: 'dataMin' },
    yAxis: valueYAxis(theme, labels.loss, log, all),
    series,
  };
}

export interface ConfusionLabels {
  truth: string;
  predicted: string;
}

/** Confusion matrix: rows = true class, columns = predicted class, cells coloured by row-normalised rate. */
export function buildConfusionOption(
  matrix: readonly (readonly number[])[],
  classes: readonly string[],
  opts: { theme?: ChartStyle; labels: ConfusionLabels },
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const data: [number, number, number, number][] = [];
  matrix.forEach((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, j) => data.push([j, i, total > 0 ? count / total : 0, count]));
  });
  return {
    ...baseOption(theme),
    animation: false,
    grid: plotGrid({ left: 12, right: 12, top: 12, bottom: 8 }),
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      if (typeof v[0] !== 'number' || typeof v[1] !== 'number') return '';
      return tooltipHtml(`${classes[v[1]]} → ${classes[v[0]]}`, [
        { name: 'n', value: String(v[3]) },
        { name: '%', value: typeof v[2] === 'number' ? `${(v[2] * 100).toFixed(1)}%` : '—' },
      ]);
    }),
    xAxis: {
      type: 'category',
      data: [...classes],
      ...axisTitle(theme, labels.predicted, 22),
      axisLabel: axisLabelStyle(theme),
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      data: [...classes],
      inverse: true,
      ...axisTitle(theme, labels.truth, 28),
      axisLabel: axisLabelStyle(theme),
    },
    visualMap: { type: 'continuous' as const, show: false, min: 0, max: 1, dimension: 2, inRange: { color: [theme.surface, theme.accent] } },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: classes.length <= 12,
          color: theme.text,
          fontSize: 10,
          formatter: (p: { value?: unknown }) => (Array.isArray(p.value) ? String(p.value[3]) : ''),
        },
      },
    ],
  };
}
