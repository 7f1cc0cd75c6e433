// What the analytics charts need to know about a study's search parameters: their names, kind (numeric or
// categorical), whether they live on a log scale, and each trial's value as a number or a category label.
// Read from the study's spec when it parses; otherwise inferred from the trials' sampled values.
import { SearchSpace } from '../study/searchSpace';
import type { JsonValue } from '../json';
import type { TrialSummary } from '../dto';
import { formatNumber, quantityKind } from '../numberFormat';

export type ParamKind = 'float' | 'int' | 'categorical';

export interface ParamAxis {
  name: string;
  kind: ParamKind;
  log: boolean;
  /** Category labels in the spec's order (categorical only). */
  choices: string[];
  low: number | null;
  high: number | null;
  /** Active only under a condition on another param: may be missing from some trials. */
  conditional: boolean;
}

export type ParamValue = number | string;

/** One label per JSON value: arrays as "[128, 64]", strings as they are. */
export function valueLabel(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueLabel).join(', ')}]`;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function specSpace(spec: unknown): SearchSpace | null {
  if (!spec || typeof spec !== 'object') return null;
  const parsed = SearchSpace.safeParse((spec as { searchSpace?: unknown }).searchSpace);
  return parsed.success ? parsed.data : null;
}

function inferAxes(trials: readonly TrialSummary[]): ParamAxis[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const t of trials) {
    for (const k of Object.keys(t.searchParams)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  const axes: ParamAxis[] = [];
  for (const name of names) {
    const values = trials.map((t) => t.searchParams[name]).filter((v) => v !== undefined && v !== null);
    const distinct = new Set(values.map(valueLabel));
    if (distinct.size <= 1) continue; // constant: nothing to analyse
    const numeric = values.every((v) => typeof v === 'number' && Number.isFinite(v));
    const conditional = values.length < trials.length;
    if (numeric) {
      const nums = values as number[];
      axes.push({
        name,
        kind: nums.every(Number.isInteger) ? 'int' : 'float',
        log: false,
        choices: [],
        low: Math.min(...nums),
        high: Math.max(...nums),
        conditional,
      });
    } else {
      axes.push({ name, kind: 'categorical', log: false, choices: [...distinct].sort(), low: null, high: null, conditional });
    }
  }
  return axes;
}

/**
 * The searched (not fixed) parameters, in the spec's order. Categorical params with a single choice and
 * fixed params are left out: they cannot explain anything.
 */
export function paramAxes(spec: unknown, trials: readonly TrialSummary[]): ParamAxis[] {
  const space = specSpace(spec);
  if (!space) return inferAxes(trials);
  const axes: ParamAxis[] = [];
  for (const p of space.params) {
    if (p.type === 'fixed') continue;
    if (p.type === 'categorical') {
      if (p.choices.length < 2) continue;
      axes.push({
        name: p.name,
        kind: 'categorical',
        log: false,
        choices: p.choices.map((c: JsonValue) => valueLabel(c)),
        low: null,
        high: null,
        conditional: p.condition !== undefined,
      });
    } else {
      if (p.low === p.high) continue;
      axes.push({ name: p.name, kind: p.type, log: p.log, choices: [], low: p.low, high: p.high, conditional: p.condition !== undefined });
    }
  }
  return axes;
}

/** A trial's value of one param: a number for numeric params, a label for categorical ones, null if inactive. */
export function paramValue(t: TrialSummary, axis: ParamAxis): ParamValue | null {
  const raw = t.searchParams[axis.name];
  if (raw === undefined || raw === null) return null;
  if (axis.kind === 'categorical') return valueLabel(raw);
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
}

/** Short display of a param value, in its kind's format when named (a learning rate as 2.25e-3). */
export function formatParamValue(v: ParamValue | null | undefined, name?: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return formatNumber(name ? quantityKind(name) : 'param', v);
}
