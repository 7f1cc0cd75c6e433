// Grid size of a search space, with the factors that make it ("latentSize 3 x learningRate 2 = 6"), counted
// per branch when parameters are conditional (the engine's gridSize gives the same total); and a rough
// duration estimate for the strategy step.
import type { JsonValue } from '../../../shared/json';
import type { ParamSpec } from '../../../shared/study/searchSpace';
import { gridCount, gridValues } from '../../../shared/study/distributions';
import { isActive } from '../../../shared/study/space';

export interface GridFactor {
  name: string;
  count: number;
}

export interface GridBranch {
  /** the parent values of this branch, e.g. [['architecture', 'denoising']]; empty without conditions */
  when: Array<[string, string]>;
  factors: GridFactor[];
  size: number;
}

export type GridInfo = { ok: true; total: number; branches: GridBranch[] } | { ok: false; continuous: string[] };

function label(v: JsonValue): string {
  return Array.isArray(v) ? `[${v.map(label).join(', ')}]` : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Grid size and its factors; params whose range has no step (continuous floats) make a grid impossible. */
export function gridInfo(params: readonly ParamSpec[]): GridInfo {
  const continuous = params.filter((p) => gridCount(p) === null).map((p) => p.name);
  if (continuous.length) return { ok: false, continuous };
  const parents = [...new Set(params.map((p) => p.condition?.parent).filter((x): x is string => x !== undefined))];
  const parentSpecs = parents.map((n) => params.find((p) => p.name === n)).filter((p): p is ParamSpec => p !== undefined);

  // every combination of parent values (a parent that is itself inactive in a branch takes no value there)
  let combos: Array<Record<string, JsonValue>> = [{}];
  for (const parent of parentSpecs) {
    const grid = gridValues(parent);
    const values = typeof grid === 'string' ? [] : grid;
    const next: Array<Record<string, JsonValue>> = [];
    for (const combo of combos) {
      if (!isActive(parent, combo)) {
        next.push(combo);
        continue;
      }
      for (const v of values) next.push({ ...combo, [parent.name]: v });
    }
    combos = next;
  }

  const branches: GridBranch[] = combos.map((combo) => {
    const factors: GridFactor[] = [];
    let size = 1;
    for (const p of params) {
      if (parents.includes(p.name) || !isActive(p, combo)) continue;
      const count = gridCount(p) ?? 1;
      size *= count;
      if (count > 1) factors.push({ name: p.name, count });
    }
    const when = Object.entries(combo)
      .filter(([name]) => (gridCount(params.find((p) => p.name === name) as ParamSpec) ?? 1) > 1)
      .map(([name, v]) => [name, label(v)] as [string, string]);
    return { when, factors, size };
  });
  return { ok: true, total: branches.reduce((s, b) => s + b.size, 0), branches };
}

/** "latentSize 3 × learningRate 2 = 6" for one branch (just the size when nothing varies). */
export function branchText(b: GridBranch): string {
  if (b.factors.length === 0) return String(b.size);
  return `${b.factors.map((f) => `${f.name} ${f.count}`).join(' × ')} = ${b.size}`;
}

export interface DurationInput {
  trials: number;
  secondsPerTrial: number;
  workers: number;
  /** A wall-time budget caps the estimate. */
  budgetSeconds?: number;
}

/** Wall time of a study: trials spread over parallel workers, capped by a time budget. */
export function estimateSeconds(o: DurationInput): number {
  const workers = Math.max(1, Math.floor(o.workers));
  const seconds = Math.ceil(Math.max(0, o.trials) / workers) * Math.max(0, o.secondsPerTrial);
  return o.budgetSeconds !== undefined ? Math.min(seconds, o.budgetSeconds) : seconds;
}

/** Compact duration: 45 s, 12 min, 3.5 h, 2.1 days. */
export function formatDuration(seconds: number): { value: string; unit: 's' | 'min' | 'h' | 'days' } {
  if (seconds < 90) return { value: String(Math.max(1, Math.round(seconds))), unit: 's' };
  if (seconds < 90 * 60) return { value: String(Math.round(seconds / 60)), unit: 'min' };
  if (seconds < 48 * 3600) return { value: (seconds / 3600).toFixed(1), unit: 'h' };
  return { value: (seconds / 86400).toFixed(1), unit: 'days' };
}
