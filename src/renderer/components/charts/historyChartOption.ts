// Optimization history: each completed trial's objective value by trial number, and the best-so-far line.
import type { HistoryPoint } from '../../lib/analytics/objective';
import {
  axisLabelStyle,
  axisLineStyle,
  axisNameStyle,
  baseOption,
  canUseLog,
  DEFAULT_STYLE,
  formatValue,
  splitLineStyle,
  tooltipFormatter,
  tooltipHtml,
  TOOLTIP_BASE,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface HistoryLabels {
  objective: string;
  bestSoFar: string;
  trial: string;
  /** "Trial #{n}" */
  trialTitle: (n: number) => string;
}

export const DEFAULT_HISTORY_LABELS: HistoryLabels = {
  objective: 'Objective',
  bestSoFar: 'Best so far',
  trial: 'Trial',
  trialTitle: (n) => `Trial #${n}`,
};

export interface HistoryOptions {
  theme?: ChartStyle;
  labels?: HistoryLabels;
  /** Log y axis (ignored unless every value is positive). */
  log?: boolean;
  /** Emphasise one trial (e.g. the selected one). */
  highlightTrialId?: number | null;
}

/** Data rows: [trial number, value, trial id]; the best-so-far line: [trial number, best]. */
export function buildHistoryOption(points: readonly HistoryPoint[], opts: HistoryOptions = {}): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels ?? DEFAULT_HISTORY_LABELS;
  const log = Boolean(opts.log) && canUseLog(points.map((p) => p.value));
  const byNumber = new Map(points.map((p) => [p.number, p] as const));
  return {
    ...baseOption(theme),
    grid: { left: 12, right: 20, top: 36, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    legend: {
      top: 2,
      right: 8,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 12 },
      data: [labels.objective, labels.bestSoFar],
    },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: tooltipFormatter((p) => {
        const v = Array.isArray(p.value) ? p.value : [];
        const n = typeof v[0] === 'number' ? v[0] : null;
        const point = n === null ? undefined : byNumber.get(n);
        if (!point) return '';
        return tooltipHtml(labels.trialTitle(point.number), [
          { name: labels.objective, value: formatValue(point.value), color: 0 },
          { name: labels.bestSoFar, value: formatValue(point.best), color: 1 },
        ]);
      }),
    },
    xAxis: {
      type: 'value',
      name: labels.trial,
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: axisNameStyle(theme),
      minInterval: 1,
      scale: true,
      axisLine: axisLineStyle(theme),
      axisLabel: axisLabelStyle(theme),
      splitLine: { show: false },
    },
    yAxis: {
      type: log ? 'log' : 'value',
      name: labels.objective,
      nameTextStyle: { ...axisNameStyle(theme), align: 'left' },
      scale: true,
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => formatValue(v) },
      splitLine: splitLineStyle(theme),
    },
    series: [
      {
        type: 'scatter',
        name: labels.objective,
        data: points.map((p) => ({
          value: [p.number, p.value, p.trialId],
          symbolSize: p.trialId === opts.highlightTrialId ? 13 : 8,
          itemStyle: p.trialId === opts.highlightTrialId ? { borderColor: theme.text, borderWidth: 2 } : undefined,
        })),
        itemStyle: { color: theme.series[0], opacity: 0.85 },
        emphasis: { scale: 1.4 },
        z: 3,
      },
      {
        type: 'line',
        name: labels.bestSoFar,
        data: points.map((p) => [p.number, p.best]),
        step: 'end',
        showSymbol: false,
        lineStyle: { width: 2, color: theme.series[1] },
        itemStyle: { color: theme.series[1] },
        silent: true,
        z: 2,
      },
    ],
  };
}
