// Shared pieces of the analytics charts' options: the colours (read from the theme's CSS variables, so a
// dark theme only changes CSS), axis styling, and tooltip markup. ECharts' default tooltip uses inline
// style attributes, which the CSP forbids: every chart formats its tooltip with class names only.
import { formatNumber } from '../../../shared/numberFormat';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, ParallelSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  ParallelComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';

export type AnalyticsOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | BarSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
  | TitleComponentOption
  | DataZoomComponentOption
>;

/** One parallel axis (ECharts does not export the type under its own name). */
export type ParallelAxisOption = NonNullable<ParallelComponentOption['parallelAxisDefault']>;

/**
 * ComposeOption cannot combine grid and parallel coordinates (their axis dependencies collapse into an
 * index signature), so the parallel chart has its own option type.
 */
export type ParallelOption = ComposeOption<ParallelSeriesOption | TooltipComponentOption | VisualMapComponentOption> & {
  parallel?: ParallelComponentOption;
  parallelAxis?: ParallelAxisOption[];
};

/** Any option an analytics chart hands to ECharts. */
export type ChartOption = AnalyticsOption | ParallelOption;

export interface ChartStyle {
  text: string;
  muted: string;
  faint: string;
  grid: string;
  axis: string;
  surface: string;
  accent: string;
  good: string;
  bad: string;
  warn: string;
  train: string;
  val: string;
  fontFamily: string;
  /** Categorical colours (labels, trials in a comparison); distinguishable on light and dark surfaces. */
  series: string[];
  /** Low-to-high sequential ramp for continuous colouring. */
  ramp: string[];
}

/**
 * Categorical colours; the theme overrides them with --chart-1 .. --chart-10 (light and dark variants).
 * The tooltip classes ll-tt-dot--cN use the same variables.
 */
export const SERIES_COLORS = ['#3056d3', '#e07b10', '#1d8050', '#c2362f', '#7c4dce', '#0f8a9d', '#b8458e', '#7a7f2a', '#5b6676', '#a0651c'];

export const DEFAULT_STYLE: ChartStyle = {
  text: '#18202c',
  muted: '#5b6676',
  faint: '#8a94a3',
  grid: '#eceff3',
  axis: '#a3acb9',
  surface: '#ffffff',
  accent: '#3056d3',
  good: '#1d8050',
  bad: '#c2362f',
  warn: '#b4630a',
  train: '#3056d3',
  val: '#e07b10',
  fontFamily: 'system-ui, sans-serif',
  series: SERIES_COLORS,
  ramp: ['#2c7bb6', '#7fbfd6', '#e7d87d', '#f08a4b', '#d7191c'],
};

/** The chart colours of the theme that applies to `el` (call again after a theme switch). */
export function readChartStyle(el: Element): ChartStyle {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    ...DEFAULT_STYLE,
    text: v('--text', DEFAULT_STYLE.text),
    muted: v('--text-muted', DEFAULT_STYLE.muted),
    faint: v('--text-faint', DEFAULT_STYLE.faint),
    grid: v('--chart-grid', DEFAULT_STYLE.grid),
    axis: v('--chart-axis', DEFAULT_STYLE.axis),
    surface: v('--surface', DEFAULT_STYLE.surface),
    accent: v('--accent', DEFAULT_STYLE.accent),
    good: v('--success', DEFAULT_STYLE.good),
    bad: v('--danger', DEFAULT_STYLE.bad),
    warn: v('--warning', DEFAULT_STYLE.warn),
    train: v('--chart-train', DEFAULT_STYLE.train),
    val: v('--chart-val', DEFAULT_STYLE.val),
    fontFamily: v('--font-sans', DEFAULT_STYLE.fontFamily),
    series: SERIES_COLORS.map((c, i) => v(`--chart-${i + 1}`, c)),
  };
}

export function seriesColor(theme: ChartStyle, i: number): string {
  return theme.series[((i % theme.series.length) + theme.series.length) % theme.series.length];
}

export function axisLabelStyle(theme: ChartStyle) {
  return { color: theme.muted, fontFamily: theme.fontFamily, fontSize: 11 };
}

export function axisNameStyle(theme: ChartStyle) {
  return { color: theme.muted, fontFamily: theme.fontFamily, fontSize: 11 };
}

export function axisLineStyle(theme: ChartStyle) {
  return { lineStyle: { color: theme.axis } };
}

export function splitLineStyle(theme: ChartStyle) {
  return { lineStyle: { color: theme.grid } };
}

export function baseOption(theme: ChartStyle) {
  return { textStyle: { fontFamily: theme.fontFamily, color: theme.text }, animationDuration: 250, animationDurationUpdate: 200 };
}

/** A plot rectangle that holds the tick labels too (ECharts 6's replacement for containLabel). */
export function plotGrid(box: { left: number; right: number; top: number; bottom: number }) {
  return { ...box, outerBoundsMode: 'same' as const, outerBoundsContain: 'all' as const };
}

/** A legend in the top strip, in the chart's text colour; callers add placement, item size and data. */
export function legendBase(theme: ChartStyle, fontSize = 12) {
  return { top: 2, textStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize } };
}

/** An axis name centred under (or beside) the axis. */
export function axisTitle(theme: ChartStyle, name: string, nameGap = 24) {
  return { name, nameLocation: 'middle' as const, nameGap, nameTextStyle: axisNameStyle(theme) };
}

/** A horizontal value axis, named below its middle, without vertical grid lines. */
export function valueXAxis(theme: ChartStyle, name: string) {
  return {
    type: 'value' as const,
    ...axisTitle(theme, name),
    axisLine: axisLineStyle(theme),
    axisLabel: axisLabelStyle(theme),
    splitLine: { show: false },
  };
}

/** Tick labels for objective values and losses (significant digits). */
export function valueAxisLabel(theme: ChartStyle) {
  return { ...axisLabelStyle(theme), formatter: (v: number) => formatValue(v) };
}

/**
 * Axis bounds around a single value (one trial, one epoch): ECharts would otherwise stretch a vanishing range
 * into a column of identical labels (issue 14 defect 7). Empty when the values already span a range.
 */
export function flatRange(values: readonly (number | null | undefined)[], log = false): { min?: number; max?: number } {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0));
  if (!finite.length) return {};
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi), 1e-300)) return {};
  if (log) return { min: lo / 2, max: lo * 2 };
  const pad = lo === 0 ? 1 : Math.abs(lo) * 0.25;
  return { min: lo - pad, max: lo + pad };
}

/** A vertical value (or log) axis, named at its top, with horizontal grid lines; `values` bound a flat series. */
export function valueYAxis(theme: ChartStyle, name: string, log = false, values: readonly (number | null | undefined)[] = []) {
  return {
    type: log ? ('log' as const) : ('value' as const),
    name,
    nameTextStyle: { ...axisNameStyle(theme), align: 'left' as const },
    scale: true,
    ...flatRange(values, log),
    axisLabel: valueAxisLabel(theme),
    splitLine: splitLineStyle(theme),
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface TooltipRow {
  name: string;
  value: string;
  /** Index into SERIES_COLORS for a coloured dot. */
  color?: number;
}

/** Tooltip HTML from class names only (no inline styles: the CSP forbids them). */
export function tooltipHtml(title: string, rows: readonly TooltipRow[], note?: string): string {
  const body = rows
    .map(
      (r) =>
        `<div class="ll-tt-row">${r.color === undefined ? '' : `<span class="ll-tt-dot ll-tt-dot--c${r.color % SERIES_COLORS.length}"></span>`}` +
        `<span class="ll-tt-name">${escapeHtml(r.name)}</span><span class="ll-tt-value">${escapeHtml(r.value)}</span></div>`,
    )
    .join('');
  const head = title ? `<div class="ll-tt-title">${escapeHtml(title)}</div>` : '';
  const foot = note ? `<div class="ll-tt-note">${escapeHtml(note)}</div>` : '';
  return head + body + foot;
}

export const TOOLTIP_BASE = { confine: true, className: 'll-chart-tooltip' } as const;

/** Significant-digit formatting for objective values and losses. */
export function formatValue(v: number | null | undefined): string {
  return formatNumber('loss', v);
}

/** A log axis only makes sense for strictly positive data. */
export function canUseLog(values: readonly number[]): boolean {
  return values.length > 0 && values.every((v) => v > 0 && Number.isFinite(v));
}

/** What an item tooltip formatter receives (the parts the charts read). */
export interface TooltipParam {
  seriesName?: string;
  seriesIndex?: number;
  dataIndex?: number;
  value?: unknown;
  data?: unknown;
  name?: string;
}

/** Wraps a typed formatter for ECharts' loosely typed tooltip.formatter. */
export function tooltipFormatter(fn: (p: TooltipParam) => string): TooltipComponentOption['formatter'] {
  return ((p: TooltipParam | TooltipParam[]) => fn(Array.isArray(p) ? (p[0] ?? {}) : p)) as TooltipComponentOption['formatter'];
}

/** A CSP-safe tooltip (class names only) whose markup comes from `fn`. */
export function chartTooltip(trigger: 'item' | 'axis', fn: (p: TooltipParam) => string) {
  return { ...TOOLTIP_BASE, trigger, formatter: tooltipFormatter(fn) };
}
