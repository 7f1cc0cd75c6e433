// Slice plots: the objective against each searched parameter, one small panel per parameter in a grid,
// all in one chart instance. Points are coloured by trial number (early = grey, late = accent), so a
// sampler that converges shows its late points gathering in one region.
import type { TrialSummary } from '../../../shared/dto';
import { objectiveValue } from '../../../shared/analytics/objective';
import { formatParamValue, paramValue, type ParamAxis } from '../../../shared/analytics/params';
import {
  axisLabelStyle,
  axisLineStyle,
  baseOption,
  canUseLog,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  splitLineStyle,
  tooltipHtml,
  valueAxisLabel,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface SliceLabels {
  objective: string;
  trialTitle: (n: number) => string;
}

export interface SliceOptions {
  theme?: ChartStyle;
  labels: SliceLabels;
  objectiveIndex?: number;
  columns?: number;
  /** Height of one panel, px. */
  panelHeight?: number;
  logObjective?: boolean;
}

export interface SliceChart {
  option: AnalyticsOption;
  /** Total height the chart needs, px. */
  height: number;
}

const TITLE_SPACE = 26;
const AXIS_SPACE = 30;

export function buildSliceOption(trials: readonly TrialSummary[], axes: readonly ParamAxis[], opts: SliceOptions): SliceChart {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const columns = Math.max(1, Math.min(opts.columns ?? 3, axes.length || 1));
  const panel = opts.panelHeight ?? 210;
  const rows = Math.max(1, Math.ceil(axes.length / columns));
  const height = rows * panel;
  const done = trials
    .map((t) => ({ t, y: objectiveValue(t, opts.objectiveIndex ?? 0) }))
    .filter((x): x is { t: TrialSummary; y: number } => x.y !== null);
  const numbers = done.map((d) => d.t.number);
  const minN = numbers.length ? Math.min(...numbers) : 0;
  const maxN = numbers.length ? Math.max(...numbers) : 1;
  const logY = Boolean(opts.logObjective) && canUseLog(done.map((d) => d.y));
  const colW = 100 / columns;

  const grid = axes.map((_, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    return {
      left: `${col * colW + 1.5}%`,
      width: `${colW - 3}%`,
      top: row * panel + TITLE_SPACE,
      height: panel - TITLE_SPACE - AXIS_SPACE,
      // The rectangle holds the tick labels too (ECharts 6's replacement for containLabel).
      outerBoundsMode: 'same' as const,
      outerBoundsContain: 'all' as const,
    };
  });
  const xAxis = axes.map((a, i) => {
    const values = done.map((d) => paramValue(d.t, a)).filter((v): v is number | string => v !== null);
    const common = {
      gridIndex: i,
      axisLine: axisLineStyle(theme),
      axisLabel: { ...axisLabelStyle(theme), hideOverlap: true },
      splitLine: { show: false },
    };
    if (a.kind === 'categorical') {
      const data = [...a.choices];
      for (const v of values) if (!data.includes(String(v))) data.push(String(v));
      return { ...common, type: 'category' as const, data };
    }
    const nums = values.filter((v): v is number => typeof v === 'number');
    const log = a.log && canUseLog(nums);
    return {
      ...common,
      type: log ? ('log' as const) : ('value' as const),
      scale: true,
      axisLabel: { ...common.axisLabel, formatter: (v: number) => formatParamValue(v) },
    };
  });
  const yAxis = axes.map((_, i) => ({
    gridIndex: i,
    type: logY ? ('log' as const) : ('value' as const),
    scale: true,
    axisLabel: valueAxisLabel(theme),
    splitLine: splitLineStyle(theme),
  }));
  // Each panel's parameter name sits above it, like a title.
  const title = axes.map((a, i) => ({
    text: a.name + (a.log ? ' (log)' : ''),
    left: grid[i].left,
    top: Math.floor(i / columns) * panel + 2,
    textStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 12, fontWeight: 600 as const },
  }));
  const series = axes.map((a, i) => ({
    type: 'scatter' as const,
    name: a.name,
    xAxisIndex: i,
    yAxisIndex: i,
    symbolSize: 7,
    data: done
      .map((d) => ({ x: paramValue(d.t, a), d }))
      .filter((r): r is { x: number | string; d: { t: TrialSummary; y: number } } => r.x !== null)
      .map((r) => ({ value: [r.x, r.d.y, r.d.t.number, r.d.t.id] })),
    itemStyle: { opacity: 0.85 },
  }));
  const byId = new Map(done.map((d) => [d.t.id, d] as const));
  return {
    height,
    option: {
      ...baseOption(theme),
      title,
      grid,
      xAxis,
      yAxis,
      visualMap: {
        type: 'continuous' as const,
        show: false,
        dimension: 2,
        min: minN,
        max: maxN === minN ? minN + 1 : maxN,
        // Early trials faint, late trials in the accent colour: readable on light and dark surfaces.
        inRange: { color: [theme.faint, theme.accent] },
      },
      tooltip: chartTooltip('item', (p) => {
        const v = Array.isArray(p.value) ? p.value : [];
        const d = typeof v[3] === 'number' ? byId.get(v[3]) : undefined;
        if (!d) return '';
        const axis = axes[p.seriesIndex ?? 0];
        return tooltipHtml(labels.trialTitle(d.t.number), [
          { name: axis?.name ?? '', value: typeof v[0] === 'number' ? formatParamValue(v[0]) : String(v[0]) },
          { name: labels.objective, value: formatValue(d.y) },
        ]);
      }),
      series,
    },
  };
}
