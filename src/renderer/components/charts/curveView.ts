// What the chart host adds to every curve chart, TensorBoard-style: EMA smoothing of its line series (the raw
// curve stays behind it, faint), zoom and brush on the x axis (ECharts dataZoom: wheel/drag inside, a slider
// below), and the choice of step or wall-time x axis (passed to the builder, which knows the times). Pure:
// the option in, the option to draw out.
import { emaSmooth, type CurveY } from '../../lib/curves/smoothing';
import type { ChartOption, ChartStyle } from './chartStyle';

export type CurveXAxis = 'step' | 'wall';

export interface CurveView {
  /** EMA weight in [0, 1): 0 shows the raw curves. */
  smoothing: number;
  xAxis: CurveXAxis;
  /** The zoomed x window in percent of the data range (kept across data updates). */
  zoom: { start: number; end: number };
}

export const DEFAULT_CURVE_VIEW: CurveView = { smoothing: 0, xAxis: 'step', zoom: { start: 0, end: 100 } };

/** Room the zoom slider takes under the plot. */
export const ZOOM_SLIDER_HEIGHT = 18;

type Datum = unknown;
interface SeriesLike {
  type?: string;
  name?: string;
  data?: Datum[];
  lineStyle?: Record<string, unknown>;
  [key: string]: unknown;
}

const yOf = (d: Datum): CurveY => {
  const v = Array.isArray(d) ? d[1] : d;
  return typeof v === 'number' ? v : '-';
};
const withY = (d: Datum, y: CurveY): Datum => (Array.isArray(d) ? [d[0], y, ...d.slice(2)] : y);

/** Smoothed copy of one line series' data: each curve restarts where x goes back (a grouped series' next trial). */
export function smoothSeriesData(data: readonly Datum[], weight: number): Datum[] {
  const xs = data.map((d) => (Array.isArray(d) && typeof d[0] === 'number' ? d[0] : null));
  const restart = xs.map((x, i) => i > 0 && x !== null && xs[i - 1] !== null && x <= (xs[i - 1] as number));
  const smoothed = emaSmooth(data.map(yOf), weight, restart);
  return data.map((d, i) => withY(d, smoothed[i]));
}

/** The option with smoothing and zoom applied; options without line series are returned unchanged. */
export function applyCurveView(option: ChartOption, view: CurveView, theme: ChartStyle): ChartOption {
  const series = (Array.isArray(option.series) ? option.series : option.series ? [option.series] : []) as SeriesLike[];
  if (!series.some((s) => s.type === 'line')) return option;
  const out: SeriesLike[] = [];
  for (const s of series) {
    if (s.type !== 'line' || view.smoothing <= 0 || !Array.isArray(s.data)) {
      out.push(s);
      continue;
    }
    // The raw curve first (drawn below), faint and silent; the smoothed one keeps the name, legend and tooltip.
    out.push({ ...s, data: s.data, silent: true, showSymbol: false, tooltip: { show: false }, lineStyle: { ...s.lineStyle, opacity: 0.25 }, emphasis: { disabled: true }, z: 1 });
    out.push({ ...s, data: smoothSeriesData(s.data, view.smoothing), z: 2 });
  }
  const grid = option.grid && !Array.isArray(option.grid) ? (option.grid as { bottom?: number }) : null;
  return {
    ...option,
    ...(grid ? { grid: { ...grid, bottom: (typeof grid.bottom === 'number' ? grid.bottom : 8) + ZOOM_SLIDER_HEIGHT + 14 } } : {}),
    series: out,
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', start: view.zoom.start, end: view.zoom.end, zoomOnMouseWheel: 'shift', moveOnMouseWheel: false },
      {
        type: 'slider',
        xAxisIndex: 0,
        filterMode: 'none',
        start: view.zoom.start,
        end: view.zoom.end,
        height: ZOOM_SLIDER_HEIGHT,
        bottom: 4,
        showDetail: false,
        brushSelect: true,
        borderColor: theme.grid,
        fillerColor: 'rgba(127, 127, 127, 0.15)',
        handleStyle: { color: theme.surface, borderColor: theme.axis },
        moveHandleStyle: { color: theme.axis },
        textStyle: { color: theme.muted },
        dataBackground: { lineStyle: { color: theme.axis }, areaStyle: { color: theme.grid } },
      },
    ],
  } as ChartOption;
}
