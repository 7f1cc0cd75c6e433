// What one parameter can take, shared by validation, the grid and every sampler, so that a value a sampler
// proposes, a grid point and a value read back from storage compare equal.
import type { JsonValue } from '../json';
import type { ParamSpec } from './searchSpace';

export type NumericParam = Extract<ParamSpec, { type: 'float' | 'int' }>;

export function isNumeric(p: ParamSpec): p is NumericParam {
  return p.type === 'float' || p.type === 'int';
}

/** Digits after the decimal point in the shortest representation of x (1e-7 -> 7). */
function decimals(x: number): number {
  const s = String(x);
  const m = /e-(\d+)$/.exec(s);
  if (m) {
    const mant = s.slice(0, s.indexOf('e'));
    const dot = mant.indexOf('.');
    return Number(m[1]) + (dot < 0 ? 0 : mant.length - dot - 1);
  }
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Step of a numeric param, or undefined for a continuous float (ints step 1). */
export function stepOf(p: NumericParam): number | undefined {
  return p.step ?? (p.type === 'int' ? 1 : undefined);
}

/** Number of grid points low, low+step, ..., high (the range is assumed valid). */
export function stepCount(low: number, high: number, step: number): number {
  return Math.floor((high - low) / step + 1e-9) + 1;
}

/** True when (high - low) is a whole number of steps, with a tolerance for binary fractions (0.1). */
export function stepDivides(low: number, high: number, step: number): boolean {
  const k = (high - low) / step;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}

/** low + k*step without binary noise (0.1 + 2*0.1 -> 0.3, not 0.30000000000000004). */
export function stepValue(low: number, step: number, k: number): number {
  const v = low + k * step;
  const d = Math.max(decimals(low), decimals(step));
  return d <= 15 ? Number(v.toFixed(d)) : v;
}

/** Puts a number onto the param's lattice (step/int) and inside its bounds. */
export function snap(p: NumericParam, v: number): number {
  const step = stepOf(p);
  let x = Math.min(p.high, Math.max(p.low, v));
  if (step !== undefined) {
    const k = Math.min(stepCount(p.low, p.high, step) - 1, Math.max(0, Math.round((x - p.low) / step)));
    x = stepValue(p.low, step, k);
  }
  return x;
}

/**
 * Bounds in the sampler's working space: log for log params, widened by half a step for discrete ones so
 * that rounding gives every lattice point an equal share of the interval (as Optuna does for ints).
 */
export function internalBounds(p: NumericParam): { lo: number; hi: number } {
  const step = stepOf(p);
  const half = step === undefined ? 0 : step / 2;
  if (p.log) return { lo: Math.log(Math.max(p.low - half, Number.MIN_VALUE)), hi: Math.log(p.high + half) };
  return { lo: p.low - half, hi: p.high + half };
}

export function toInternal(p: NumericParam, v: number): number {
  return p.log ? Math.log(v) : v;
}

/** Back from the working space; continuous values keep 15 significant digits (exp(log(1e-4)) -> 1e-4). */
export function fromInternal(p: NumericParam, x: number): number {
  const v = snap(p, p.log ? Math.exp(x) : x);
  return stepOf(p) === undefined ? Math.min(p.high, Math.max(p.low, Number(v.toPrecision(15)))) : v;
}

/** How many values a grid gives a param, or null for a continuous float range (no step). */
export function gridCount(p: ParamSpec): number | null {
  if (p.type === 'fixed') return 1;
  if (p.type === 'categorical') return p.choices.length;
  const step = stepOf(p);
  return step === undefined ? null : stepCount(p.low, p.high, step);
}

/** The k-th grid value of a param (0 <= k < gridCount(p)), without listing the others. */
export function gridValueAt(p: ParamSpec, k: number): JsonValue {
  if (p.type === 'fixed') return p.value;
  if (p.type === 'categorical') return p.choices[k];
  return stepValue(p.low, stepOf(p) ?? 1, k);
}

/** Every value of a param for a grid, or a message naming the fix. */
export function gridValues(p: ParamSpec): JsonValue[] | string {
  switch (p.type) {
    case 'fixed':
      return [p.value];
    case 'categorical':
      return p.choices;
    case 'int':
    case 'float': {
      const step = stepOf(p);
      if (step === undefined) {
        return `"${p.name}": a grid cannot enumerate a continuous float range; give a step or choices.`;
      }
      const n = stepCount(p.low, p.high, step);
      return Array.from({ length: n }, (_, k) => stepValue(p.low, step, k));
    }
  }
}

/** Canonical text of a JSON value (sorted keys, rounded numbers): equal values give equal keys. */
export function jsonKey(v: JsonValue): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(12))) : String(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsonKey).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonKey(v[k])}`).join(',')}}`;
}

export function sameValue(a: JsonValue, b: JsonValue): boolean {
  return jsonKey(a) === jsonKey(b);
}

/** Index of a value among a categorical param's choices, or -1. */
export function choiceIndex(choices: readonly JsonValue[], v: JsonValue): number {
  const key = jsonKey(v);
  return choices.findIndex((c) => jsonKey(c) === key);
}

/** Whether the param can ever take v (used to check condition values and stored params). */
export function canTake(p: ParamSpec, v: JsonValue): boolean {
  switch (p.type) {
    case 'fixed':
      return sameValue(p.value, v);
    case 'categorical':
      return choiceIndex(p.choices, v) >= 0;
    case 'int':
    case 'float': {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < p.low || v > p.high) return false;
      if (p.type === 'int' && !Number.isInteger(v)) return false;
      const step = stepOf(p);
      return step === undefined || Math.abs(snap(p, v) - v) <= 1e-9 * Math.max(1, Math.abs(v));
    }
  }
}
