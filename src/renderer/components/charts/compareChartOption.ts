// The compare view's charts: the loss curves of 2-4 trials overlaid (validation solid, training dashed, one
// colour per trial), and a confusion matrix heatmap for a downstream classifier.
import type { EpochMetrics } from '../../../shared/dto';
import {
  axisLabelStyle,
  axisLineStyle,
  axisNameStyle,
  baseOption,
  canUseLog,
  DEFAULT_STYLE,
  formatValue,
  seriesColor,
  splitLineStyle,
  tooltipFormatter,
  tooltipHtml,
  TOOLTIP_BASE,
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

export const DEFAULT_COMPARE_LABELS: CompareLabels = {
  trial: (n) => `#${n}`,
  train: 'train',
  val: 'val',
  epoch: 'Epoch',
  loss: 'Loss',
};

const finiteOrGap = (v: number): number | '-' => (Number.isFinite(v) ? v : '-');

export function buildCompareLossOption(
  curves: readonly CompareCurve[],
  opts: { theme?: ChartStyle; labels?: CompareLabels; log?: boolean } = {},
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels ?? DEFAULT_COMPARE_LABELS;
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
    grid: { left: 12, right: 20, top: 40, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    legend: {
      top: 2,
      left: 'center',
      itemWidth: 14,
      itemHeight: 6,
      textStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 11 },
    },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: tooltipFormatter((p) => {
        const v = Array.isArray(p.value) ? p.value : [];
        const curve = Math.floor((p.seriesIndex ?? 0) / 2);
        return tooltipHtml(p.seriesName ?? '', [
          { name: labels.epoch, value: String(v[0] ?? ''), color: curve },
          { name: labels.loss, value: typeof v[1] === 'number' ? formatValue(v[1]) : '—' },
        ]);
      }),
    },
    xAxis: {
      type: 'value',
      name: labels.epoch,
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: axisNameStyle(theme),
      minInterval: 1,
      min: 'dataMin',
      axisLine: axisLineStyle(theme),
      axisLabel: axisLabelStyle(theme),
      splitLine: { show: false },
    },
    yAxis: {
      type: log ? 'log' : 'value',
      name: labels.loss,
      nameTextStyle: { ...axisNameStyle(theme), align: 'left' },
      scale: true,
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => formatValue(v) },
      splitLine: splitLineStyle(theme),
    },
    series,
  };
}

/** Confusion matrix: rows = true class, columns = predicted class, cells coloured by row-normalised rate. */
export function buildConfusionOption(
  matrix: readonly (readonly number[])[],
  classes: readonly string[],
  opts: { theme?: ChartStyle; labels?: { truth: string; predicted: string } } = {},
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels ?? { truth: 'True class', predicted: 'Predicted class' };
  const data: [number, number, number, number][] = [];
  matrix.forEach((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, j) => data.push([j, i, total > 0 ? count / total : 0, count]));
  });
  return {
    ...baseOption(theme),
    animation: false,
    grid: { left: 12, right: 12, top: 12, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: tooltipFormatter((p) => {
        const v = Array.isArray(p.value) ? p.value : [];
        if (typeof v[0] !== 'number' || typeof v[1] !== 'number') return '';
        return tooltipHtml(`${classes[v[1]]} → ${classes[v[0]]}`, [
          { name: 'n', value: String(v[3]) },
          { name: '%', value: typeof v[2] === 'number' ? `${(v[2] * 100).toFixed(1)}%` : '—' },
        ]);
      }),
    },
    xAxis: {
      type: 'category',
      data: [...classes],
      name: labels.predicted,
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: axisNameStyle(theme),
      axisLabel: axisLabelStyle(theme),
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      data: [...classes],
      inverse: true,
      name: labels.truth,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: axisNameStyle(theme),
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
