// Intermediate values: what the study's pruner compared, per trial and epoch (the validation reconstruction MSE
// after every epoch, or the downstream primary objective at the pruner's decision epochs only). Trials are
// grouped by state into a few line series (curves separated by gaps), so a thousand trials cost four series,
// not a thousand; pruned trials are dashed and end in a marker where the pruner stopped them.
import type { EpochMetrics, TrialState } from '../../../shared/dto';
import type { PruneSignal } from '../../../shared/study/prunerConfig';
import { formatSeconds } from '../../lib/format';
import { wallSeconds } from '../../lib/curves/smoothing';
import type { CurveXAxis } from './curveView';
import {
  baseOption,
  canUseLog,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  legendBase,
  plotGrid,
  tooltipHtml,
  valueXAxis,
  valueYAxis,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

/** One intermediate value: the epoch, the value the pruner compared, and the seconds that epoch trained. */
export interface IntermediatePoint {
  epoch: number;
  value: number;
  seconds?: number;
}

export interface TrialCurve {
  trialId: number;
  number: number;
  state: TrialState;
  epochs: readonly IntermediatePoint[];
}

/**
 * A trial's intermediate values from its epochs. 'reconstruction': every epoch's validation MSE (a missing one is
 * a gap). 'downstream': only the epochs where the probe scored the primary objective (the pruner's decision
 * epochs); the others have no value and are left out, not drawn as if something were measured there. A point
 * carries the seconds of the epochs left out before it, so the wall-time axis places it where its epoch ended.
 */
export function intermediatePoints(epochs: readonly EpochMetrics[], signal: PruneSignal): IntermediatePoint[] {
  const out: IntermediatePoint[] = [];
  let skipped = 0;
  for (const e of [...epochs].sort((a, b) => a.epoch - b.epoch)) {
    const value = e.intermediate ?? (signal === 'reconstruction' ? e.valMse : undefined);
    const seconds = Number.isFinite(e.seconds) && e.seconds > 0 ? e.seconds : 0;
    if (value === undefined && signal === 'downstream') {
      skipped += seconds;
      continue;
    }
    out.push({ epoch: e.epoch, value: value ?? Number.NaN, seconds: skipped + seconds });
    skipped = 0;
  }
  return out;
}

export type CurveGroup = 'complete' | 'pruned' | 'running' | 'other';

export interface IntermediateLabels {
  groups: Record<CurveGroup, string>;
  prunedAt: string;
  epoch: string;
  /** The x axis's name against wall-clock time. */
  wall: string;
  value: string;
  trialTitle: (n: number) => string;
}

export function curveGroup(state: TrialState): CurveGroup {
  if (state === 'COMPLETE') return 'complete';
  if (state === 'PRUNED') return 'pruned';
  if (state === 'RUNNING' || state === 'WAITING') return 'running';
  return 'other';
}

const GAP = '-';
/** [epoch, value, trial number], or against wall time [seconds, value, trial number, epoch]. */
type Datum = [number, number | typeof GAP, number] | [number, number | typeof GAP, number, number];

/** A trial's x positions: its epochs, or the seconds of training at the end of each epoch. */
function xOf(c: TrialCurve, xAxis: CurveXAxis): (epoch: number) => number {
  if (xAxis === 'step') return (epoch) => epoch;
  const wall = wallSeconds(c.epochs.map((e) => ({ epoch: e.epoch, seconds: e.seconds ?? 0 })));
  return (epoch) => wall.get(epoch) ?? 0;
}

/** One gap-separated data array per group; non-finite losses become gaps. */
export function groupCurves(curves: readonly TrialCurve[], xAxis: CurveXAxis = 'step'): Record<CurveGroup, Datum[]> {
  const out: Record<CurveGroup, Datum[]> = { complete: [], pruned: [], running: [], other: [] };
  for (const c of [...curves].sort((a, b) => a.number - b.number)) {
    if (c.epochs.length === 0) continue;
    const data = out[curveGroup(c.state)];
    const x = xOf(c, xAxis);
    const datum = (epoch: number, y: number | typeof GAP): Datum => (xAxis === 'step' ? [epoch, y, c.number] : [x(epoch), y, c.number, epoch]);
    if (data.length) data.push(datum(c.epochs[0].epoch, GAP));
    for (const e of [...c.epochs].sort((a, b) => a.epoch - b.epoch)) {
      data.push(datum(e.epoch, Number.isFinite(e.value) ? e.value : GAP));
    }
  }
  return out;
}

export function buildIntermediateOption(
  curves: readonly TrialCurve[],
  opts: {
    theme?: ChartStyle;
    labels: IntermediateLabels;
    log?: boolean;
    xAxis?: CurveXAxis;
    /** Values only at some epochs (the downstream signal's decision epochs): every point gets a symbol. */
    sparse?: boolean;
  },
): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const xAxis = opts.xAxis ?? 'step';
  const groups = groupCurves(curves, xAxis);
  const all = curves.flatMap((c) => c.epochs.map((e) => e.value)).filter((v) => Number.isFinite(v));
  const log = Boolean(opts.log) && canUseLog(all);
  const color: Record<CurveGroup, string> = { complete: theme.series[0], pruned: theme.warn, running: theme.good, other: theme.faint };
  const many = curves.length > 60;
  const line = (g: CurveGroup) => ({
    type: 'line' as const,
    name: labels.groups[g],
    data: groups[g],
    connectNulls: false,
    showSymbol: opts.sparse || (!many && groups[g].length <= 400),
    symbolSize: opts.sparse ? 6 : 4,
    lineStyle: { width: g === 'running' ? 2.2 : 1.4, color: color[g], opacity: many ? 0.45 : 0.8, type: g === 'pruned' ? ('dashed' as const) : ('solid' as const) },
    itemStyle: { color: color[g] },
    emphasis: { focus: 'none' as const, lineStyle: { width: 2.5, opacity: 1 } },
    large: many,
  });
  const prunedEnds = curves
    .filter((c) => c.state === 'PRUNED' && c.epochs.length)
    .map((c) => {
      const last = [...c.epochs].sort((a, b) => b.epoch - a.epoch)[0];
      return [xOf(c, xAxis)(last.epoch), last.value, c.number] as [number, number, number];
    })
    .filter((d) => Number.isFinite(d[1]));
  const present = (Object.keys(groups) as CurveGroup[]).filter((g) => groups[g].length > 0);
  const byNumber = new Map(curves.map((c) => [c.number, c] as const));
  return {
    ...baseOption(theme),
    animation: curves.length <= 100,
    grid: plotGrid({ left: 12, right: 20, top: 36, bottom: 8 }),
    legend: {
      ...legendBase(theme),
      right: 8,
      itemWidth: 14,
      itemHeight: 6,
      data: [...present.map((g) => labels.groups[g]), ...(prunedEnds.length ? [labels.prunedAt] : [])],
    },
    tooltip: chartTooltip('item', (p) => {
      const v = Array.isArray(p.value) ? p.value : [];
      const n = typeof v[2] === 'number' ? v[2] : null;
      const c = n === null ? undefined : byNumber.get(n);
      if (!c || typeof v[1] !== 'number') return '';
      return tooltipHtml(labels.trialTitle(c.number), [
        { name: labels.epoch, value: String(v[3] ?? v[0]) },
        { name: labels.value, value: formatValue(v[1]) },
        { name: '', value: labels.groups[curveGroup(c.state)] },
      ]);
    }),
    xAxis:
      xAxis === 'step'
        ? { ...valueXAxis(theme, labels.epoch), minInterval: 1, min: 'dataMin' }
        : { ...valueXAxis(theme, labels.wall), min: 0, axisLabel: { ...valueXAxis(theme, '').axisLabel, formatter: (v: number) => formatSeconds(v) } },
    yAxis: valueYAxis(theme, labels.value, log, curves.flatMap((c) => c.epochs.map((e) => e.value))),
    series: [
      ...present.map(line),
      ...(prunedEnds.length
        ? [
            {
              type: 'scatter' as const,
              name: labels.prunedAt,
              data: prunedEnds,
              symbol: 'triangle',
              symbolRotate: 180,
              symbolSize: 9,
              itemStyle: { color: theme.warn },
              z: 4,
            },
          ]
        : []),
    ],
  };
}
