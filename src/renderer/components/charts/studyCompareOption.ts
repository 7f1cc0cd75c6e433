// Charts of the studies comparison: each study's best value so far by trial number (its trials as faint dots
// in the same colour), and each study's best value per latent size on the merged sizes. Pure.
import type { StudyHistory } from '../../lib/analytics/studyCompare';
import {
  axisLabelStyle,
  axisLineStyle,
  axisTitle,
  baseOption,
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

export interface StudiesChartLabels {
  objective: string;
  trial: string;
  latentSize: string;
  /** "Trial #{n}" */
  trialTitle: (n: number) => string;
  best: string;
}

/** One best-so-far step line per study; [trial number, value] dots of its trials beneath. */
export function buildStudiesHistoryOption(histories: readonly StudyHistory[], opts: { theme?: ChartStyle; labels: StudiesChartLabels }): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const { labels } = opts;
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 20, top: 36, bottom: 8 }),
    legend: { ...legendBase(theme), right: 8, data: histories.map((h) => h.name) },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      return typeof v[0] === 'number' && typeof v[1] === 'number'
        ? tooltipHtml(p.seriesName ?? '', [
            { name: labels.trialTitle(v[0]), value: formatValue(v[1]), color: Math.floor((p.seriesIndex ?? 0) / 2) },
            ...(typeof v[2] === 'number' ? [{ name: labels.best, value: formatValue(v[2]) }] : []),
          ])
        : '';
    }),
    xAxis: { ...valueXAxis(theme, labels.trial), minInterval: 1, scale: true },
    yAxis: valueYAxis(theme, labels.objective),
    series: histories.flatMap((h, i) => [
      {
        type: 'line' as const,
        name: h.name,
        step: 'end' as const,
        data: h.points.map((p) => [p.number, p.best]),
        showSymbol: false,
        lineStyle: { width: 2, color: seriesColor(theme, i) },
        itemStyle: { color: seriesColor(theme, i) },
        z: 3,
      },
      {
        type: 'scatter' as const,
        name: h.name,
        data: h.points.map((p) => [p.number, p.value, p.best]),
        symbolSize: 6,
        itemStyle: { color: seriesColor(theme, i), opacity: 0.45 },
        z: 2,
      },
    ]),
  };
}

/** Best value per latent size: a category axis of the merged sizes, one line per study (gaps where it has none). */
export function buildStudiesTradeoffOption(
  merged: { sizes: readonly number[]; values: readonly (readonly (number | null)[])[] },
  names: readonly string[],
  opts: { theme?: ChartStyle; labels: StudiesChartLabels },
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const { labels } = opts;
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 20, top: 36, bottom: 8 }),
    legend: { ...legendBase(theme), right: 8, data: [...names] },
    tooltip: chartTooltip('axis', (p) => {
      const i = p.dataIndex ?? 0;
      return tooltipHtml(`${labels.latentSize} ${merged.sizes[i] ?? ''}`, names.map((n, s) => ({ name: n, value: formatValue(merged.values[s]?.[i] ?? null), color: s })));
    }),
    xAxis: {
      type: 'category' as const,
      data: merged.sizes.map(String),
      ...axisTitle(theme, labels.latentSize),
      axisLine: axisLineStyle(theme),
      axisLabel: axisLabelStyle(theme),
    },
    yAxis: valueYAxis(theme, labels.objective),
    series: names.map((n, s) => ({
      type: 'line' as const,
      name: n,
      data: [...(merged.values[s] ?? [])],
      connectNulls: true,
      symbolSize: 8,
      lineStyle: { width: 2, color: seriesColor(theme, s) },
      itemStyle: { color: seriesColor(theme, s) },
    })),
  };
}
