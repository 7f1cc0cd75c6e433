// Chart colours for the current theme, read from the CSS variables of styles/theme.css, so charts follow the
// light/dark switch. `useChartTheme()` recomputes whenever the theme changes: watch it and call setOption.
import { computed, type ComputedRef } from 'vue';
import { DEFAULT_PALETTE, type ChartPalette } from '../components/charts/lossChartOption';
import { useUiStore, type Theme } from '../stores/ui';

export interface ChartTheme {
  theme: Theme;
  /** Axis, text, grid and the train/validation colours (the loss chart's palette). */
  palette: ChartPalette;
  /** Ten distinguishable series colours (--chart-1 .. --chart-10). */
  categorical: string[];
  /** Card background, for chart backgrounds and tooltip fills. */
  surface: string;
  tooltipBg: string;
  accent: string;
  danger: string;
  success: string;
  warning: string;
}

const FALLBACK_CATEGORICAL = ['#3056d3', '#e07b10', '#1d8050', '#c2362f', '#7c4dce', '#0f8a9d', '#b8458e', '#7a7f2a', '#5b6676', '#a0651c'];

/** Reads the chart colours from CSS (of `el`, default the root element) for the theme now in effect. */
export function readChartTheme(theme: Theme, el?: Element): ChartTheme {
  const target = el ?? (typeof document !== 'undefined' ? document.documentElement : null);
  const css = target ? getComputedStyle(target) : null;
  const v = (name: string, fallback: string): string => css?.getPropertyValue(name).trim() || fallback;
  return {
    theme,
    palette: {
      train: v('--chart-train', DEFAULT_PALETTE.train),
      val: v('--chart-val', DEFAULT_PALETTE.val),
      text: v('--text', DEFAULT_PALETTE.text),
      muted: v('--text-muted', DEFAULT_PALETTE.muted),
      grid: v('--chart-grid', DEFAULT_PALETTE.grid),
      axis: v('--chart-axis', DEFAULT_PALETTE.axis),
      fontFamily: v('--font-sans', DEFAULT_PALETTE.fontFamily),
    },
    categorical: FALLBACK_CATEGORICAL.map((c, i) => v(`--chart-${i + 1}`, c)),
    surface: v('--surface', '#ffffff'),
    tooltipBg: v('--tooltip-bg', '#ffffff'),
    accent: v('--accent', '#3056d3'),
    danger: v('--danger', '#c2362f'),
    success: v('--success', '#1d8050'),
    warning: v('--warning', '#b4630a'),
  };
}

/** The chart colours of the current theme; a new object after every theme switch. */
export function useChartTheme(): ComputedRef<ChartTheme> {
  const ui = useUiStore();
  return computed(() => readChartTheme(ui.theme));
}
