// How the GP sees a configuration. A candidate is one number per param (numeric: position u in [0,1] of
// its transformed range, log-warped for log params; categorical: choice index); its GP input has one column
// per numeric param and one-hot columns per categorical. Params inactive under the candidate's own parent
// values get a fixed input (0.5, or all-zero one-hot) so every point has the same dimension.
import type { JsonValue } from '../../../shared/json';
import type { ParamSpec, SearchSpace } from '../../../shared/study/searchSpace';
import { choiceIndex, fromInternal, internalBounds, toInternal } from '../../../shared/study/distributions';
import type { Rng } from '../../../shared/rng';
import { isActive } from '../../../shared/study/space';
import { validFor } from './observations';

export interface Slot {
  p: ParamSpec;
  kind: 'num' | 'cat' | 'none';
  /** First GP input column, and how many it uses. */
  col: number;
  width: number;
  lo: number;
  hi: number;
}

export interface Encoding {
  space: SearchSpace;
  slots: Slot[];
  /** Number of GP input columns. */
  D: number;
  /** Length-scale group of each column (one per numeric param, one per categorical). */
  scaleOf: Int32Array;
  S: number;
}

export function buildEncoding(space: SearchSpace): Encoding {
  const slots: Slot[] = [];
  const scaleOf: number[] = [];
  let D = 0;
  let S = 0;
  for (const p of space.params) {
    if (p.type === 'float' || p.type === 'int') {
      const { lo, hi } = internalBounds(p);
      slots.push({ p, kind: 'num', col: D, width: 1, lo, hi });
      scaleOf.push(S++);
      D += 1;
    } else if (p.type === 'categorical' && p.choices.length > 1) {
      slots.push({ p, kind: 'cat', col: D, width: p.choices.length, lo: 0, hi: 0 });
      for (let c = 0; c < p.choices.length; c++) scaleOf.push(S);
      S++;
      D += p.choices.length;
    } else {
      slots.push({ p, kind: 'none', col: D, width: 0, lo: 0, hi: 0 });
    }
  }
  return { space, slots, D, scaleOf: Int32Array.from(scaleOf), S };
}

/** The value a candidate gives one slot (numeric ones snapped to step/int). */
function slotValue(s: Slot, z: number): JsonValue {
  const p = s.p;
  if (p.type === 'fixed') return p.value;
  if (p.type === 'categorical') return p.choices[s.kind === 'cat' ? z : 0];
  if (p.type === 'float' || p.type === 'int') return fromInternal(p, s.lo + z * (s.hi - s.lo));
  throw new Error('unreachable');
}

/** Values of the params active under the candidate, in spec order. */
export function decode(enc: Encoding, z: Float64Array): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const active = new Set<string>();
  enc.slots.forEach((s, j) => {
    const p = s.p;
    if (p.condition && !active.has(p.condition.parent)) return;
    const v = slotValue(s, z[j]);
    out[p.name] = v; // provisional: parents must be in `out` for isActive
    if (!isActive(p, out)) {
      delete out[p.name];
      return;
    }
    active.add(p.name);
  });
  return out;
}

/**
 * GP input of a candidate into x (length D). With `relaxed`, numeric columns take u itself (smooth, for
 * gradients); otherwise the position of the snapped value, which is what a trial would actually run.
 */
export function embed(enc: Encoding, z: Float64Array, x: Float64Array, relaxed: boolean, values = decode(enc, z)): void {
  enc.slots.forEach((s, j) => {
    if (s.kind === 'none') return;
    const on = s.p.name in values;
    if (s.kind === 'num') {
      if (!on) x[s.col] = 0.5;
      else if (relaxed) x[s.col] = z[j];
      else {
        const p = s.p as Extract<ParamSpec, { type: 'float' | 'int' }>;
        x[s.col] = (toInternal(p, values[p.name] as number) - s.lo) / (s.hi - s.lo);
      }
    } else {
      for (let c = 0; c < s.width; c++) x[s.col + c] = on && c === z[j] ? 1 : 0;
    }
  });
}

/** The candidate of stored params; params they lack (inactive then) are filled at random. */
export function fromParams(enc: Encoding, params: Record<string, JsonValue>, rng: Rng): Float64Array {
  const z = new Float64Array(enc.slots.length);
  enc.slots.forEach((s, j) => {
    const v = params[s.p.name];
    const ok = validFor(s.p, v);
    if (s.kind === 'num') {
      const p = s.p as Extract<ParamSpec, { type: 'float' | 'int' }>;
      z[j] = ok ? (toInternal(p, v as number) - s.lo) / (s.hi - s.lo) : rng.next();
    } else if (s.kind === 'cat') {
      const choices = (s.p as Extract<ParamSpec, { type: 'categorical' }>).choices;
      z[j] = ok ? choiceIndex(choices, v as JsonValue) : rng.int(0, s.width - 1);
    }
  });
  return z;
}

/** A uniformly random candidate (numeric u uniform, so discrete params get equal odds per lattice point). */
export function randomCandidate(enc: Encoding, rng: Rng): Float64Array {
  const z = new Float64Array(enc.slots.length);
  enc.slots.forEach((s, j) => {
    if (s.kind === 'num') z[j] = rng.next();
    else if (s.kind === 'cat') z[j] = rng.int(0, s.width - 1);
  });
  return z;
}

/** Whether a stored trial's params can be encoded at all (every active param valid for the space). */
export function encodable(enc: Encoding, params: Record<string, JsonValue>): boolean {
  for (const s of enc.slots) {
    if (!(s.p.name in params)) continue;
    if (!validFor(s.p, params[s.p.name])) return false;
  }
  return true;
}
