// Pareto front of a multi-objective study: two objectives against each other, the non-dominated trials
// highlighted and joined by a step line, dominated trials in grey.
import type { Direction } from '../../../shared/study/objectives';
import type { ParetoPoint } from '../../lib/analytics/pareto';
import {
  baseOption,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  legendBase,
  plotGrid,
  tooltipHtml,
  valueAxisLabel,
  valueXAxis,
  valueYAxis,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface ParetoLabels {
  front: string;
  dominated: string;
  trialTitle: (n: number) => string;
}

export interface ParetoOptions {
  theme?: ChartStyle;
  labels: ParetoLabels;
  /** Objective names and directions of the study. */
  objectives: readonly string[];
  directions: readonly Direction[];
  /** Which two objectives to plot. */
  x?: number;
  y?: number;
}

export function buildParetoOption(points: readonly ParetoPoint[], opts: ParetoOptions): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const xi = opts.x ?? 0;
  const yi = opts.y ?? 1;
  const front = points.filter((p) => p.front === 0);
  const rest = points.filter((p) => p.front !== 0);
  const frontLine = [...front].sort((a, b) => a.values[xi] - b.values[xi]).map((p) => [p.values[xi], p.values[yi]]);
  const row = (p: ParetoPoint) => ({ value: [p.values[xi], p.values[yi], p.number, p.trialId] });
  const byId = new Map(points.map((p) => [p.trialId, p] as const));
  const name = (i: number) => `${opts.objectives[i] ?? `#${i + 1}`} (${opts.directions[i] === 'maximize' ? '↑' : '↓'})`;
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 24, top: 36, bottom: 8 }),
    legend: { ...legendBase(theme), right: 8, data: [labels.front, labels.dominated] },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      const point = typeof v[3] === 'number' ? byId.get(v[3]) : undefined;
      if (!point) return '';
      return tooltipHtml(
        labels.trialTitle(point.number),
        point.values.map((val, i) => ({ name: opts.objectives[i] ?? `#${i + 1}`, value: formatValue(val) })),
      );
    }),
    xAxis: { ...valueXAxis(theme, name(xi)), scale: true, axisLabel: valueAxisLabel(theme) },
    yAxis: valueYAxis(theme, name(yi)),
    series: [
      {
        type: 'scatter',
        name: labels.dominated,
        data: rest.map(row),
        symbolSize: 7,
        itemStyle: { color: theme.faint, opacity: 0.6 },
      },
      {
        type: 'scatter',
        name: labels.front,
        data: front.map(row),
        symbolSize: 10,
        itemStyle: { color: theme.bad },
        z: 3,
      },
      {
        type: 'line',
        name: labels.front,
        data: frontLine,
        step: 'end',
        showSymbol: false,
        silent: true,
        lineStyle: { color: theme.bad, width: 1.5, type: 'dashed' },
        z: 2,
      },
    ],
  };
}
