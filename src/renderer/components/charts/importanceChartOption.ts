// Hyperparameter importance as horizontal bars, most important on top, each with its band across the forest's
// trees (a thin bar from the 10th to the 90th percentile, drawn over it).
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
  band: string;
  trials: string;
  /** Parameter names in the UI language. */
  param?: (name: string) => string;
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
  const name = labels.param ?? ((n: string) => n);
  const band = { type: 'bar' as const, stack: 'band', barGap: '-100%', barWidth: 4, silent: true, z: 3 };
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 56, top: 8, bottom: 8 }),
    tooltip: chartTooltip('axis', (p) => {
      const r = rows[p.dataIndex ?? -1];
      if (!r) return '';
      return tooltipHtml(name(r.name), [
        { name: labels.importance, value: pct(r.importance) },
        { name: labels.band, value: `${pct(r.low)} – ${pct(r.high)}` },
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
      data: rows.map((r) => name(r.name)),
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
      // The band: an invisible bar up to `low`, then a thin one from `low` to `high`, stacked, over the bar.
      { ...band, name: 'band-base', data: rows.map((r) => r.low), itemStyle: { color: 'transparent' } },
      { ...band, name: labels.band, data: rows.map((r) => Math.max(0, r.high - r.low)), itemStyle: { color: theme.text, opacity: 0.55 } },
    ],
  };
}
