// The latent scatter: one series per label (class), coloured from the categorical palette. 3-D points come
// already rotated and projected ([x, y, depth], see lib/analytics/latent.ts): nearer points are drawn
// larger and more opaque, and the three rotated axes are drawn as guides.
import {
  axisLabelStyle,
  baseOption,
  chartTooltip,
  DEFAULT_STYLE,
  legendBase,
  plotGrid,
  seriesColor,
  splitLineStyle,
  tooltipHtml,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';
import { labelOrder } from '../../lib/explorer/groups';

export { labelOrder };

export interface LatentScatterOptions {
  theme?: ChartStyle;
  /** Points are [x, y, depth] from a 3-D rotation. */
  threeD?: boolean;
  /** Rotated unit axes ([from, to] per axis) to draw as guides in 3-D. */
  axes?: readonly (readonly (readonly number[])[])[];
  axisNames?: readonly string[];
  unlabeled?: string;
  /** Turn animation off while dragging a 3-D view. */
  animate?: boolean;
  /** 3-D: side of the square plot area in px (equal scales on both axes, so turning does not distort). */
  squarePx?: number;
}

export function buildLatentScatterOption(
  points: readonly (readonly number[])[],
  labels: readonly (string | null)[],
  opts: LatentScatterOptions = {},
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const order = labelOrder(labels);
  const unlabeled = opts.unlabeled ?? 'unlabeled';
  const name = (l: string | null) => (l === null ? unlabeled : l);
  const groups = new Map<string | null, number[][]>(order.map((l) => [l, []]));
  points.forEach((p, i) => groups.get(labels[i] ?? null)?.push([p[0], p[1], p[2] ?? 0, i]));
  const threeD = Boolean(opts.threeD);
  const small = points.length > 1500 ? 4 : 6;
  const axisNames = opts.axisNames ?? ['x', 'y', 'z'];

  // In 3-D a fixed symmetric extent keeps the cloud from jumping around while it turns.
  const extent = threeD ? 1.4 : undefined;
  const scatter = order.map((l, k) => ({
    type: 'scatter' as const,
    name: name(l),
    data: (groups.get(l) ?? []).map((d) =>
      threeD
        ? { value: d, symbolSize: small * (0.7 + 0.3 * (d[2] + 1)), itemStyle: { opacity: 0.35 + 0.3 * (d[2] + 1) } }
        : { value: d },
    ),
    symbolSize: small,
    itemStyle: { color: l === null ? theme.faint : seriesColor(theme, k), opacity: threeD ? undefined : 0.75 },
    large: !threeD && points.length > 3000,
    emphasis: { focus: 'series' as const },
  }));
  const guides = threeD
    ? (opts.axes ?? []).map((seg, i) => ({
        type: 'line' as const,
        name: `axis-${axisNames[i]}`,
        data: seg.map((p) => [p[0] * 1.05, p[1] * 1.05]),
        showSymbol: false,
        silent: true,
        lineStyle: { color: theme.axis, width: 1, type: 'dashed' as const },
        endLabel: { show: true, formatter: axisNames[i], color: theme.muted, fontSize: 11 },
        z: 0,
        tooltip: { show: false },
      }))
    : [];
  // x and y alike, hidden in 3-D (the guides replace them).
  const axis = () => ({
    type: 'value' as const,
    scale: !threeD,
    min: extent === undefined ? undefined : -extent,
    max: extent,
    show: !threeD,
    // Axes at the plot's edges, not through 0 (codes are not centred).
    axisLine: { onZero: false, lineStyle: { color: theme.axis } },
    axisLabel: axisLabelStyle(theme),
    splitLine: splitLineStyle(theme),
  });
  return {
    ...baseOption(theme),
    animation: opts.animate ?? !threeD,
    grid:
      threeD && opts.squarePx
        ? { left: 'center', top: 34, width: opts.squarePx, height: opts.squarePx }
        : plotGrid({ left: 8, right: 8, top: 34, bottom: 8 }),
    legend: {
      ...legendBase(theme, 11),
      type: 'plain',
      left: 'center',
      itemWidth: 10,
      itemHeight: 10,
      icon: 'circle',
      data: order.map(name),
    },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      if (typeof v[3] !== 'number') return '';
      const idx = v[3];
      const label = labels[idx] ?? null;
      return tooltipHtml(name(label), [{ name: '#', value: String(idx + 1), color: order.indexOf(label) }]);
    }),
    xAxis: axis(),
    yAxis: axis(),
    series: [...guides, ...scatter],
  };
}
