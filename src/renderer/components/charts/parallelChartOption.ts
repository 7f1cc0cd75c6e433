// Parallel coordinates: one axis per searched parameter (log axes for log-scale params, category axes for
// categorical ones) and the objective last. The best k% of trials are coloured by objective; the rest stay
// as faint grey context.
import type { TrialSummary } from '../../../shared/dto';
import type { Direction } from '../../../shared/study/objectives';
import { objectiveValue } from '../../../shared/analytics/objective';
import { formatParamValue, paramValue, type ParamAxis } from '../../../shared/analytics/params';
import {
  axisLabelStyle,
  baseOption,
  canUseLog,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  tooltipHtml,
  type ChartStyle,
  type ParallelAxisOption,
  type ParallelOption,
} from './chartStyle';

/** Shown on a categorical axis for trials where a conditional param was inactive. */
export const INACTIVE = '—';

export interface ParallelLabels {
  objective: string;
  top: string;
  others: string;
  trialTitle: (n: number) => string;
}

export interface ParallelOptions {
  theme?: ChartStyle;
  labels: ParallelLabels;
  direction: Direction;
  objectiveIndex?: number;
  /** Trials inside the top-k% filter; null = all completed trials are "top". */
  topIds?: ReadonlySet<number> | null;
}

type Row = (number | string)[];

/** One axis, before styling: the last one is the objective. */
export interface AxisSpec {
  dim: number;
  name: string;
  kind: 'category' | 'value' | 'log';
  data: string[];
  min: number | null;
  max: number | null;
}

interface Line {
  value: Row;
  trialId: number;
  number: number;
}

/** Axis definitions and rows, separated from styling so they can be tested directly. */
export function parallelData(trials: readonly TrialSummary[], axes: readonly ParamAxis[], objectiveIndex = 0) {
  const lines: Line[] = [];
  const missing = new Set<string>();
  const numericValues = new Map<string, number[]>();
  for (const t of trials) {
    const y = objectiveValue(t, objectiveIndex);
    if (y === null) continue;
    const row: Row = [];
    for (const a of axes) {
      const v = paramValue(t, a);
      if (v === null) {
        missing.add(a.name);
        row.push(a.kind === 'categorical' ? INACTIVE : '-');
      } else {
        row.push(v);
        if (typeof v === 'number') {
          const list = numericValues.get(a.name) ?? [];
          list.push(v);
          numericValues.set(a.name, list);
        }
      }
    }
    row.push(y);
    lines.push({ value: row, trialId: t.id, number: t.number });
  }
  const objectiveValues = lines.map((l) => l.value[axes.length] as number);
  const parallelAxis: AxisSpec[] = axes.map((a, dim): AxisSpec => {
    if (a.kind === 'categorical') {
      const data = [...a.choices];
      for (const l of lines) {
        const c = String(l.value[dim]);
        if (!data.includes(c) && c !== INACTIVE) data.push(c);
      }
      if (missing.has(a.name)) data.push(INACTIVE);
      return { dim, name: a.name, kind: 'category', data, min: null, max: null };
    }
    const values = numericValues.get(a.name) ?? [];
    const log = a.log && canUseLog(values.length ? values : [a.low ?? 0]);
    const lo = Math.min(a.low ?? Infinity, ...values);
    const hi = Math.max(a.high ?? -Infinity, ...values);
    return { dim, name: a.name, kind: log ? 'log' : 'value', data: [], min: Number.isFinite(lo) ? lo : null, max: Number.isFinite(hi) ? hi : null };
  });
  parallelAxis.push({
    dim: axes.length,
    name: '',
    kind: 'value',
    data: [],
    min: objectiveValues.length ? Math.min(...objectiveValues) : null,
    max: objectiveValues.length ? Math.max(...objectiveValues) : null,
  });
  return { lines, parallelAxis, objectiveValues };
}

export function buildParallelOption(trials: readonly TrialSummary[], axes: readonly ParamAxis[], opts: ParallelOptions): ParallelOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const { lines, parallelAxis, objectiveValues } = parallelData(trials, axes, opts.objectiveIndex ?? 0);
  const top = lines.filter((l) => !opts.topIds || opts.topIds.has(l.trialId));
  const others = opts.topIds ? lines.filter((l) => !opts.topIds?.has(l.trialId)) : [];
  const byId = new Map(lines.map((l) => [l.trialId, l] as const));
  const lo = objectiveValues.length ? Math.min(...objectiveValues) : 0;
  const hi = objectiveValues.length ? Math.max(...objectiveValues) : 1;
  // Best = the warm end of the ramp, whichever the direction.
  const ramp = opts.direction === 'minimize' ? [...theme.ramp].reverse() : theme.ramp;
  const axisStyle = {
    nameTextStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 11, fontWeight: 600 as const },
    nameLocation: 'end' as const,
    nameGap: 12,
    axisLine: { lineStyle: { color: theme.axis } },
    axisTick: { lineStyle: { color: theme.axis } },
    axisLabel: axisLabelStyle(theme),
  };
  return {
    ...baseOption(theme),
    animation: lines.length <= 300,
    parallel: { left: 56, right: 72, top: 40, bottom: 28, parallelAxisDefault: axisStyle },
    parallelAxis: parallelAxis.map((a): ParallelAxisOption => {
      const name = a.dim === axes.length ? labels.objective : a.name;
      if (a.kind === 'category') return { dim: a.dim, name, type: 'category', data: a.data };
      if (a.dim === axes.length) {
        // The objective gets round ticks (exact min/max labels would collide with them).
        return { dim: a.dim, name, type: 'value', scale: true, axisLabel: { ...axisStyle.axisLabel, formatter: (v: number) => formatValue(v) } };
      }
      return {
        dim: a.dim,
        name,
        type: a.kind,
        min: a.min ?? undefined,
        max: a.max ?? undefined,
        axisLabel: { ...axisStyle.axisLabel, formatter: (v: number) => formatParamValue(v) },
      };
    }),
    visualMap: {
      type: 'continuous' as const,
      show: false,
      seriesIndex: 1,
      dimension: axes.length,
      min: lo,
      max: hi === lo ? lo + 1 : hi,
      inRange: { color: ramp },
    },
    tooltip: chartTooltip('item', (p) => {
      const id = (p.data as { trialId?: number } | undefined)?.trialId;
      const line = id === undefined ? undefined : byId.get(id);
      if (!line) return '';
      return tooltipHtml(labels.trialTitle(line.number), [
        ...axes.map((a, i) => ({
          name: a.name,
          value: typeof line.value[i] === 'number' ? formatParamValue(line.value[i] as number) : String(line.value[i]),
        })),
        { name: labels.objective, value: formatValue(line.value[axes.length] as number) },
      ]);
    }),
    series: [
      {
        type: 'parallel',
        name: labels.others,
        data: others.map((l) => ({ value: l.value, trialId: l.trialId })),
        lineStyle: { width: 1, color: theme.faint, opacity: 0.25 },
        emphasis: { lineStyle: { width: 2, opacity: 0.8 } },
        silent: false,
        z: 1,
      },
      {
        type: 'parallel',
        name: labels.top,
        data: top.map((l) => ({ value: l.value, trialId: l.trialId })),
        lineStyle: { width: 1.6, opacity: 0.85 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        z: 2,
      },
    ],
  };
}
