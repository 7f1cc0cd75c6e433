// Hyperparameter importance as horizontal bars, most important on top.
import type { ParamImportance } from '../../../shared/analytics/importance';
import {
  axisLabelStyle,
  baseOption,
  chartTooltip,
  DEFAULT_STYLE,
  plotGrid,
  splitLineStyle,
  tooltipHtml,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface ImportanceLabels {
  importance: string;
  explained: string;
  adjusted: string;
  groups: string;
  trials: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(v >= 0.1 ? 0 : 1)}%`;

/** Height that fits the bars: ~28 px per param. */
export function importanceHeight(count: number): number {
  return Math.max(140, 48 + count * 28);
}

export function buildImportanceOption(
  params: readonly ParamImportance[],
  opts: { theme?: ChartStyle; labels: ImportanceLabels },
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  // Category axes draw bottom-up: reverse so the most important param is the top bar.
  const rows = [...params].reverse();
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 56, top: 8, bottom: 8 }),
    tooltip: chartTooltip('item', (p) => {
      const r = rows[p.dataIndex ?? -1];
      if (!r) return '';
      return tooltipHtml(r.name, [
        { name: labels.importance, value: pct(r.importance) },
        { name: labels.explained, value: r.etaSquared.toFixed(3) },
        { name: labels.adjusted, value: r.epsilonSquared.toFixed(3) },
        { name: labels.groups, value: String(r.groups) },
        { name: labels.trials, value: String(r.trials) },
      ]);
    }),
    xAxis: {
      type: 'value',
      min: 0,
      max: 1,
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => pct(v) },
      splitLine: splitLineStyle(theme),
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 12 },
    },
    series: [
      {
        type: 'bar',
        name: labels.importance,
        data: rows.map((r) => r.importance),
        barMaxWidth: 18,
        itemStyle: { color: theme.accent, borderRadius: [0, 4, 4, 0] },
        label: {
          show: true,
          position: 'right',
          color: theme.muted,
          fontFamily: theme.fontFamily,
          fontSize: 11,
          formatter: (p: { value?: unknown }) => (typeof p.value === 'number' ? pct(p.value) : ''),
        },
      },
    ],
  };
}
