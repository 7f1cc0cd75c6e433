// The trials table's data: one flat row per trial (derived once per trial object and cached), then filter,
// sort and paginate as separate pure steps so a page change does not redo the sort and a sort does not
// redo the derivation. Stays well under a frame for thousands of trials (see the unit test).
import type { TrialState, TrialSummary } from '../../../shared/dto';
import { paramValue, type ParamAxis, type ParamValue } from '../../../shared/analytics/params';

export interface TrialRow {
  id: number;
  number: number;
  state: TrialState;
  values: (number | null)[];
  params: Record<string, ParamValue | null>;
  /** Validation metrics of the finished trial (val_accuracy, val_recon_mse, ...). */
  metrics: Record<string, number | null>;
  epochsDone: number;
  /** Null when this version cannot read the trial's configuration (paramsProblem says why). */
  epochsPlanned: number | null;
  paramsProblem: string | null;
  bestValLoss: number | null;
  durationSeconds: number | null;
  createdMs: number;
  retryOf: number | null;
  failReason: string | null;
}

export type SortKey =
  | { kind: 'number' }
  | { kind: 'state' }
  | { kind: 'value'; index: number }
  | { kind: 'param'; name: string }
  | { kind: 'metric'; name: string }
  | { kind: 'epochs' }
  | { kind: 'bestValLoss' }
  | { kind: 'duration' }
  | { kind: 'created' };

export interface SortSpec {
  key: SortKey;
  descending: boolean;
}

export type ParamFilter =
  | { name: string; kind: 'range'; min: number | null; max: number | null }
  | { name: string; kind: 'equals'; value: string };

export interface RowFilter {
  /** Empty = every state. */
  states: readonly TrialState[];
  params: readonly ParamFilter[];
}

const rowCache = new WeakMap<TrialSummary, { axesKey: string; row: TrialRow }>();

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const keyOfAxes = (axes: readonly ParamAxis[]): string => axes.map((a) => a.name).join('\u0000');

export function toRow(t: TrialSummary, axes: readonly ParamAxis[], axesKey = keyOfAxes(axes)): TrialRow {
  const cached = rowCache.get(t);
  if (cached && cached.axesKey === axesKey) return cached.row;
  const params: Record<string, ParamValue | null> = {};
  for (const a of axes) params[a.name] = paramValue(t, a);
  const created = Date.parse(t.createdAt);
  const finished = t.finishedAt ? Date.parse(t.finishedAt) : NaN;
  const row: TrialRow = {
    id: t.id,
    number: t.number,
    state: t.state,
    values: t.values.map((v) => (t.state === 'COMPLETE' ? finite(v) : null)),
    params,
    metrics: t.metrics ?? {},
    epochsDone: t.epochsDone,
    epochsPlanned: t.params?.epochs ?? null,
    paramsProblem: t.paramsProblem,
    bestValLoss: finite(t.bestValLoss),
    durationSeconds: Number.isFinite(created) && Number.isFinite(finished) && finished >= created ? (finished - created) / 1000 : null,
    createdMs: Number.isFinite(created) ? created : 0,
    retryOf: t.retryOf,
    failReason: t.failReason,
  };
  rowCache.set(t, { axesKey, row });
  return row;
}

export function toRows(trials: readonly TrialSummary[], axes: readonly ParamAxis[]): TrialRow[] {
  const key = keyOfAxes(axes);
  return trials.map((t) => toRow(t, axes, key));
}

function passesParam(row: TrialRow, f: ParamFilter): boolean {
  const v = row.params[f.name];
  if (f.kind === 'equals') return v !== null && v !== undefined && String(v) === f.value;
  if (f.min === null && f.max === null) return true;
  if (typeof v !== 'number') return false;
  return (f.min === null || v >= f.min) && (f.max === null || v <= f.max);
}

export function filterRows(rows: readonly TrialRow[], filter: RowFilter): TrialRow[] {
  const states = filter.states.length ? new Set(filter.states) : null;
  if (!states && filter.params.length === 0) return rows.slice();
  return rows.filter((r) => (!states || states.has(r.state)) && filter.params.every((f) => passesParam(r, f)));
}

const STATE_ORDER: Record<TrialState, number> = { RUNNING: 0, WAITING: 1, COMPLETE: 2, PRUNED: 3, CANCELLED: 4, FAILED: 5 };

function keyOf(row: TrialRow, key: SortKey): number | string | null {
  switch (key.kind) {
    case 'number':
      return row.number;
    case 'state':
      return STATE_ORDER[row.state];
    case 'value':
      return row.values[key.index] ?? null;
    case 'param':
      return row.params[key.name] ?? null;
    case 'metric': {
      const v = row.metrics[key.name];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    case 'epochs':
      return row.epochsDone;
    case 'bestValLoss':
      return row.bestValLoss;
    case 'duration':
      return row.durationSeconds;
    case 'created':
      return row.createdMs;
  }
}

/** One collator for all comparisons: localeCompare with options builds one per call (100x slower). */
const collator = new Intl.Collator(undefined, { numeric: true });

/** Stable sort; missing values (inactive params, unfinished trials) always go last. */
export function sortRows(rows: readonly TrialRow[], sort: SortSpec): TrialRow[] {
  const keyed = rows.map((r, i) => ({ r, i, k: keyOf(r, sort.key) }));
  const sign = sort.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
    let c: number;
    if (typeof a.k === 'number' && typeof b.k === 'number') c = a.k - b.k;
    else c = collator.compare(String(a.k), String(b.k));
    return c !== 0 ? sign * c : a.i - b.i;
  });
  return keyed.map((x) => x.r);
}

export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
  from: number;
  to: number;
}

/** Page `page` (0-based, clamped) of `size` rows. */
export function paginate<T>(rows: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const from = p * size;
  const items = rows.slice(from, from + size);
  return { items, page: p, pages, total: rows.length, from: rows.length ? from + 1 : 0, to: from + items.length };
}

/** Remembers the last result for the same arguments (by identity): a cheap memo for derived data. */
export function memoLast<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | null = null;
  let last: R;
  return (...args: A): R => {
    if (lastArgs && lastArgs.length === args.length && lastArgs.every((a, i) => Object.is(a, args[i]))) return last;
    last = fn(...args);
    lastArgs = args;
    return last;
  };
}
