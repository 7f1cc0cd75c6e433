// The latent explorer's map: one scatter series per colour group (large mode above LARGE_THRESHOLD points in
// all: a canvas pass per series; a group above 5,000 points draws progressively), plus a small series ringing
// the selected point and its nearest neighbours; wheel zoom and drag pan. Pure; the groups come from
// lib/explorer/groups.ts.
import type { PointGroup } from '../../lib/explorer/groups';
import {
  axisLabelStyle,
  baseOption,
  DEFAULT_STYLE,
  legendBase,
  plotGrid,
  seriesColor,
  splitLineStyle,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface ExplorerChartOptions {
  theme?: ChartStyle;
  /** The legend text of each group, in the groups' order. */
  names: readonly string[];
  /** The clicked point and its neighbours, ringed. */
  selected?: readonly number[];
  /** Points outside the lasso are dimmed when a lasso selection exists. */
  lassoed?: ReadonlySet<number> | null;
}

/**
 * Above this many points in all, every series draws in large mode (one path per series, no per-point hover
 * state). Decided on the total: ten colour groups of 1,000 points each are 10,000 symbols all the same, and
 * ECharts' own per-series largeThreshold would have drawn them as 10,000 separate elements (2 s to draw at load 12).
 */
export const LARGE_THRESHOLD = 2000;

function groupColour(theme: ChartStyle, g: PointGroup, i: number): string {
  if (g.key.kind === 'error') return theme.ramp[Math.min(theme.ramp.length - 1, g.key.band)];
  if (g.key.kind === 'outcome') return g.key.outcome === 'correct' ? theme.good : g.key.outcome === 'wrong' ? theme.bad : theme.faint;
  return g.key.label === null ? theme.faint : seriesColor(theme, i);
}

export function buildExplorerOption(points: readonly (readonly [number, number])[], groups: readonly PointGroup[], opts: ExplorerChartOptions): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const n = points.length;
  const size = n > 5000 ? 3 : n > 1500 ? 4 : 6;
  const lassoed = opts.lassoed && opts.lassoed.size > 0 ? opts.lassoed : null;
  const large = n > LARGE_THRESHOLD;
  const series = groups.map((g, i) => ({
    type: 'scatter' as const,
    name: opts.names[i] ?? '',
    // [x, y, point index]: hover and click events name the point by its index.
    data: g.indices.map((p) => [points[p][0], points[p][1], p]),
    symbolSize: size,
    itemStyle: { color: groupColour(theme, g, i), opacity: lassoed ? 0.25 : 0.8 },
    large,
    largeThreshold: 0,
    progressive: 5000,
    progressiveThreshold: 5000,
    emphasis: { scale: 2 },
    cursor: 'pointer',
  }));
  const extras = [];
  if (lassoed) {
    extras.push({
      type: 'scatter' as const,
      name: '__lasso',
      data: [...lassoed].map((p) => [points[p][0], points[p][1], p]),
      symbolSize: size + 1,
      itemStyle: { color: theme.accent, opacity: 0.9 },
      large,
      largeThreshold: 0,
      silent: true,
      z: 3,
    });
  }
  if (opts.selected?.length) {
    extras.push({
      type: 'scatter' as const,
      name: '__selected',
      data: opts.selected.map((p, k) => ({ value: [points[p][0], points[p][1], p], symbolSize: k === 0 ? 16 : 11 })),
      symbol: 'circle',
      itemStyle: { color: 'transparent', borderColor: theme.text, borderWidth: 2 },
      silent: true,
      z: 4,
    });
  }
  const axis = () => ({
    type: 'value' as const,
    scale: true,
    axisLine: { onZero: false, lineStyle: { color: theme.axis } },
    axisLabel: axisLabelStyle(theme),
    splitLine: splitLineStyle(theme),
  });
  return {
    ...baseOption(theme),
    // Animating 10,000 symbols in would cost frames for nothing.
    animation: false,
    grid: plotGrid({ left: 8, right: 8, top: 34, bottom: 8 }),
    legend: { ...legendBase(theme, 11), left: 'center', itemWidth: 10, itemHeight: 10, icon: 'circle', data: series.map((s) => s.name) },
    // The side panel shows the hovered point (images, label, error); a tooltip would cover the map.
    tooltip: { show: false },
    // Wheel zooms, drag pans (both axes); points outside the window stay in the data (no filtering pass).
    dataZoom: [
      { type: 'inside' as const, xAxisIndex: 0, filterMode: 'none' as const },
      { type: 'inside' as const, yAxisIndex: 0, filterMode: 'none' as const },
    ],
    xAxis: axis(),
    yAxis: axis(),
    series: [...series, ...extras],
  };
}
