// Optimization history: each completed trial's objective value by trial number, and the best-so-far line.
import type { HistoryPoint } from '../../../shared/analytics/objective';
import {
  baseOption,
  canUseLog,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  legendBase,
  plotGrid,
  tooltipHtml,
  valueXAxis,
  valueYAxis,
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

export interface HistoryOptions {
  theme?: ChartStyle;
  labels: HistoryLabels;
  /** Log y axis (ignored unless every value is positive). */
  log?: boolean;
  /** Emphasise one trial (e.g. the selected one). */
  highlightTrialId?: number | null;
}

/** Data rows: [trial number, value, trial id]; the best-so-far line: [trial number, best]. */
export function buildHistoryOption(points: readonly HistoryPoint[], opts: HistoryOptions): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const log = Boolean(opts.log) && canUseLog(points.map((p) => p.value));
  const byNumber = new Map(points.map((p) => [p.number, p] as const));
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 20, top: 36, bottom: 8 }),
    legend: { ...legendBase(theme), right: 8, itemWidth: 14, itemHeight: 8, data: [labels.objective, labels.bestSoFar] },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      const n = typeof v[0] === 'number' ? v[0] : null;
      const point = n === null ? undefined : byNumber.get(n);
      if (!point) return '';
      return tooltipHtml(labels.trialTitle(point.number), [
        { name: labels.objective, value: formatValue(point.value), color: 0 },
        { name: labels.bestSoFar, value: formatValue(point.best), color: 1 },
      ]);
    }),
    xAxis: { ...valueXAxis(theme, labels.trial), minInterval: 1, scale: true },
    yAxis: valueYAxis(theme, labels.objective, log, points.flatMap((p) => [p.value, p.best])),
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
