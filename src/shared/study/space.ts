// Search-space checks and the grid: validation whose messages name the parameter and the fix, which params
// are active under given parent values, grid size (conditional branches counted per branch), enumeration in
// a stable order, and a rough duration estimate to show before a study starts.
import { humanErrorMap, issueLines } from '../issueLines';
import type { JsonValue } from '../json';
import { SearchSpace } from './searchSpace';
import type { ParamSpec, SearchSpace as Space } from './searchSpace';
import { canTake, gridCount, gridValueAt, gridValues, jsonKey, sameValue, stepDivides, stepValue } from './distributions';

export type ValidateResult = { ok: true; space: Space } | { ok: false; errors: string[] };

function describe(v: JsonValue): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

function possibleValues(p: ParamSpec): string {
  switch (p.type) {
    case 'fixed':
      return `its only value ${describe(p.value)}`;
    case 'categorical':
      return `its choices ${p.choices.map(describe).join(', ')}`;
    default:
      return `${p.type === 'int' ? 'an integer' : 'a number'} in ${p.low}..${p.high}${p.step ? ` on step ${p.step}` : ''}`;
  }
}

/**
 * A label for issue paths inside a list of params: params.3.low -> "lr" (low), using the param's name
 * where it has one. `prefix` is where the list sits in the parsed object (['searchSpace'] in a study spec).
 */
export function paramPathLabel(raw: unknown, prefix: readonly PropertyKey[] = []): (path: readonly PropertyKey[]) => string | undefined {
  return (path) => {
    if (path.length < prefix.length + 2 || prefix.some((k, i) => path[i] !== k)) return undefined;
    const [head, index, ...rest] = path.slice(prefix.length);
    let list: unknown = raw;
    for (const k of prefix) list = list && typeof list === 'object' ? (list as Record<PropertyKey, unknown>)[k] : undefined;
    const params = list && typeof list === 'object' ? (list as { params?: unknown }).params : undefined;
    if (head !== 'params' || typeof index !== 'number' || !Array.isArray(params)) return undefined;
    const name = (params[index] as { name?: unknown } | null)?.name;
    const who = typeof name === 'string' && name ? `"${name}"` : `parameter #${index + 1}`;
    return `${who}${rest.length ? ` (${rest.map(String).join('.')})` : ''}`;
  };
}

function rangeErrors(p: ParamSpec): string[] {
  if (p.type !== 'float' && p.type !== 'int') return [];
  const errors: string[] = [];
  const n = `"${p.name}"`;
  if (p.low > p.high) errors.push(`${n}: low (${p.low}) is greater than high (${p.high}); swap them.`);
  if (p.log && p.low <= 0) {
    errors.push(`${n}: a log scale needs low > 0 (got ${p.low}); raise low or set log to false.`);
  }
  if (p.step !== undefined) {
    if (p.log && !(p.type === 'int' && p.step === 1)) {
      errors.push(`${n}: step and log cannot be combined; drop the step or set log to false.`);
    } else if (p.low <= p.high && !stepDivides(p.low, p.high, p.step)) {
      const k = Math.floor((p.high - p.low) / p.step + 1e-9);
      errors.push(
        `${n}: step ${p.step} does not divide the range ${p.low}..${p.high}; ` +
          `change high to ${stepValue(p.low, p.step, k)} or pick a step that divides ${p.high} - ${p.low}.`,
      );
    }
  }
  return errors;
}

/** Checks a search-space spec (parsed JSON); the returned space has zod defaults filled in. */
export function validateSpace(spec: unknown): ValidateResult {
  const parsed = SearchSpace.safeParse(spec, { error: humanErrorMap });
  if (!parsed.success) return { ok: false, errors: issueLines(parsed.error.issues, { root: 'search space', label: paramPathLabel(spec) }) };
  const space = parsed.data;
  const errors: string[] = [];
  const index = new Map<string, number>();
  space.params.forEach((p, i) => {
    if (index.has(p.name)) errors.push(`"${p.name}": the name is used twice; give each parameter its own name.`);
    else index.set(p.name, i);
  });
  space.params.forEach((p, i) => {
    errors.push(...rangeErrors(p));
    if (p.type === 'categorical') {
      if (p.choices.length === 0) errors.push(`"${p.name}": choices is empty; list at least one value.`);
      const seen = new Set<string>();
      for (const c of p.choices) {
        const key = jsonKey(c);
        if (seen.has(key)) errors.push(`"${p.name}": the choice ${describe(c)} is listed twice; remove the copy.`);
        seen.add(key);
      }
    }
    if (!p.condition) return;
    const { parent: parentName, values } = p.condition;
    const at = index.get(parentName);
    if (parentName === p.name) {
      errors.push(`"${p.name}": its condition names itself as parent; point it at another parameter.`);
    } else if (at === undefined) {
      errors.push(`"${p.name}": its condition's parent "${parentName}" is not a parameter; add it or fix the name.`);
    } else if (at > i) {
      errors.push(`"${p.name}": its parent "${parentName}" must be listed before it; move "${parentName}" up.`);
    } else {
      const parent = space.params[at];
      for (const v of values) {
        if (!canTake(parent, v)) {
          errors.push(
            `"${p.name}": condition value ${describe(v)} can never be taken by "${parentName}" ` +
              `(${possibleValues(parent)}); use one of those or remove it.`,
          );
        }
      }
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, space };
}

/** Whether p is active given the values of the params before it (inactive or unset parents: inactive). */
export function isActive(p: ParamSpec, values: Record<string, JsonValue>): boolean {
  if (!p.condition) return true;
  if (!Object.prototype.hasOwnProperty.call(values, p.condition.parent)) return false;
  const v = values[p.condition.parent];
  return p.condition.values.some((c) => sameValue(c, v));
}

/**
 * The params active given (some) parent values, in spec order. A child whose parent is active but not
 * given a value yet counts as inactive; params are listed parents-first so a sampler can fill them in order.
 */
export function activeParams(space: Space, partial: Record<string, JsonValue>): ParamSpec[] {
  const active = new Set<string>();
  const out: ParamSpec[] = [];
  for (const p of space.params) {
    if (p.condition && !active.has(p.condition.parent)) continue;
    if (!isActive(p, partial)) continue;
    active.add(p.name);
    out.push(p);
  }
  return out;
}

/** Only the values of params active under `values` (drops stale children of a changed parent). */
export function pruneInactive(space: Space, values: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const p of activeParams(space, values)) if (p.name in values) out[p.name] = values[p.name];
  return out;
}

/** Per param: how many grid values it has, or the first grid error (a continuous float range). */
function gridCounts(space: Space): number[] | { error: string } {
  const counts: number[] = [];
  for (const p of space.params) {
    const n = gridCount(p);
    if (n === null) return { error: gridValues(p) as string };
    counts.push(n);
  }
  return counts;
}

/** For each param, the index of the last param conditioned on it (-1 when none): it branches until then. */
function lastChildIndex(space: Space): number[] {
  const pos = new Map(space.params.map((p, i) => [p.name, i]));
  const last = space.params.map(() => -1);
  space.params.forEach((p, i) => {
    const at = p.condition ? pos.get(p.condition.parent) : undefined;
    if (at !== undefined) last[at] = Math.max(last[at], i);
  });
  return last;
}

/**
 * Number of distinct trials a grid search would run. A conditional param multiplies only the branches
 * where it is active: latent [8,16,32] x lr [0.01,0.001] = 6; adding noise [0.1,0.2] under
 * architecture=denoising to architecture [dense, denoising] gives 6 + 12 = 18.
 */
export function gridSize(space: Space): number | { error: string } {
  const counts = gridCounts(space);
  if (!Array.isArray(counts)) return counts;
  const last = lastChildIndex(space);
  // Only parents (params others are conditioned on) are walked value by value; the rest multiply by their
  // count, so a long range (0..1e9 on step 1) is counted without being listed.
  const parentValues = space.params.map((p, i) => (last[i] > i ? (gridValues(p) as JsonValue[]) : []));
  const memo = new Map<string, number>();
  const assign: Record<string, JsonValue> = {};
  const count = (i: number): number => {
    if (i === space.params.length) return 1;
    // Only parents whose children are still ahead influence the rest of the count.
    const live = space.params.filter((q, j) => j < i && last[j] >= i && q.name in assign);
    const key = `${i}|${live.map((q) => jsonKey(assign[q.name])).join('|')}|${live.map((q) => q.name).join(',')}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const p = space.params[i];
    let total: number;
    if (!isActive(p, assign)) total = count(i + 1);
    else if (last[i] > i) {
      total = 0;
      for (const v of parentValues[i]) {
        assign[p.name] = v;
        total += count(i + 1);
      }
      delete assign[p.name];
    } else total = counts[i] * count(i + 1);
    memo.set(key, total);
    return total;
  };
  return count(0);
}

/**
 * Grid points in a stable order: nested loops in spec order, the first param varying slowest, each value in
 * its listed (or ascending) order. Lazy, so a sampler can skip points already taken without materialising.
 */
export function* iterateGrid(space: Space): Generator<Record<string, JsonValue>> {
  const grid = gridCounts(space);
  if (!Array.isArray(grid)) throw new Error(grid.error);
  const counts: number[] = grid;
  const assign: Record<string, JsonValue> = {};
  function* walk(i: number): Generator<Record<string, JsonValue>> {
    if (i === space.params.length) {
      yield { ...assign };
      return;
    }
    const p = space.params[i];
    if (!isActive(p, assign)) {
      yield* walk(i + 1);
      return;
    }
    for (let k = 0; k < counts[i]; k++) {
      assign[p.name] = gridValueAt(p, k);
      yield* walk(i + 1);
    }
    delete assign[p.name];
  }
  yield* walk(0);
}

/** Every grid point (see iterateGrid for the order). Throws when a param cannot be gridded. */
export function enumerateGrid(space: Space): Array<Record<string, JsonValue>> {
  return [...iterateGrid(space)];
}

/** Canonical key of a param assignment (only keys, sorted): a grid point and a stored trial compare equal. */
export function paramsKey(values: Record<string, JsonValue>): string {
  return jsonKey(values);
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export type DurationEstimate = { trials: number; seconds: number; text: string } | { error: string };

/**
 * Rough wall time of a study: a trial count (or a space, counted as a grid) times seconds per trial, divided
 * over parallel workers. For the wizard's "6 trials x ~2 min = ~12 min" line.
 */
export function estimateDuration(gridOrTrials: number | Space, secondsPerTrial: number, workers = 1): DurationEstimate {
  const trials = typeof gridOrTrials === 'number' ? gridOrTrials : gridSize(gridOrTrials);
  if (typeof trials !== 'number') return trials;
  if (!(secondsPerTrial >= 0) || !(workers >= 1)) return { error: 'seconds per trial must be >= 0 and workers >= 1' };
  const seconds = (Math.ceil(trials / workers) * secondsPerTrial);
  const per = `${trials} trial${trials === 1 ? '' : 's'} x ~${formatSeconds(secondsPerTrial)}`;
  const par = workers > 1 ? ` on ${workers} workers` : '';
  return { trials, seconds, text: `${per}${par} = ~${formatSeconds(seconds)}` };
}
