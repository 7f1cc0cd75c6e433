// Spaces, objectives and a tiny study loop shared by the search tests and the second-process script.
import type { JsonValue } from '../../src/shared/json';
import type { Direction } from '../../src/shared/study/objectives';
import type { SearchSpace } from '../../src/shared/study/searchSpace';
import { validateSpace } from '../../src/shared/study/space';
import type { FrozenTrial, Sampler } from '../../src/core/search/types';

export type Params = Record<string, JsonValue>;

export function space(spec: unknown): SearchSpace {
  const v = validateSpace(spec);
  if (!v.ok) throw new Error(v.errors.join('\n'));
  return v.space;
}

/** Every kind of param: log float, stepped float, log int, stepped int, nested conditions, JSON choices, fixed. */
export const richSpace = space({
  params: [
    { name: 'kind', type: 'categorical', choices: ['a', 'b', 'c'] },
    { name: 'x', type: 'float', low: -5, high: 5 },
    { name: 'lr', type: 'float', low: 1e-5, high: 1, log: true },
    { name: 'units', type: 'int', low: 2, high: 512, log: true },
    { name: 'drop', type: 'float', low: 0, high: 0.5, step: 0.05 },
    { name: 'k', type: 'int', low: 0, high: 10, step: 2, condition: { parent: 'kind', values: ['c'] } },
    { name: 'a', type: 'float', low: 0, high: 1, condition: { parent: 'kind', values: ['b'] } },
    { name: 'sub', type: 'categorical', choices: ['p', 'q'], condition: { parent: 'kind', values: ['a', 'b'] } },
    { name: 'deep', type: 'int', low: 1, high: 3, condition: { parent: 'sub', values: ['q'] } },
    { name: 'fixedOne', type: 'fixed', value: 42 },
    { name: 'cfg', type: 'categorical', choices: [[16, 32], { w: 1 }, null, true] },
  ],
});

/** A finite version for the grid sampler (every float has a step). */
export const gridSpace = space({
  params: [
    { name: 'kind', type: 'categorical', choices: ['a', 'b', 'c'] },
    { name: 'x', type: 'float', low: -1, high: 1, step: 0.5 },
    { name: 'units', type: 'int', low: 1, high: 3 },
    { name: 'a', type: 'float', low: 0, high: 1, step: 0.5, condition: { parent: 'kind', values: ['b'] } },
    { name: 'sub', type: 'categorical', choices: ['p', 'q'], condition: { parent: 'kind', values: ['a', 'b'] } },
    { name: 'deep', type: 'int', low: 1, high: 2, condition: { parent: 'sub', values: ['q'] } },
    { name: 'fixedOne', type: 'fixed', value: 42 },
  ],
});

/** 16 points: small enough that repeats would happen without duplicate avoidance. */
export const tinySpace = space({
  params: [
    { name: 'p', type: 'categorical', choices: [1, 2, 3, 4] },
    { name: 'q', type: 'int', low: 0, high: 3 },
  ],
});

const num = (p: Params, k: string, dflt = 0): number => (typeof p[k] === 'number' ? (p[k] as number) : dflt);

/** A smooth-ish objective over any of the spaces above (missing params count as 0). */
export function objective(p: Params): number {
  const kind = { a: 0.5, b: 0, c: 0.3 }[p.kind as string] ?? 0;
  return kind + (num(p, 'x') - 1) ** 2 / 10 + (Math.log10(num(p, 'lr', 1e-2)) + 2) ** 2 + (num(p, 'drop') - 0.2) ** 2 +
    (num(p, 'a') - 0.3) ** 2 + num(p, 'units') / 512 + num(p, 'p') + num(p, 'q') / 4 + num(p, 'k') / 10 + num(p, 'deep') / 10;
}

export function complete(number: number, params: Params, value: number): FrozenTrial {
  return { number, state: 'COMPLETE', params, values: [value], intermediate: [] };
}

export function running(number: number, params: Params): FrozenTrial {
  return { number, state: 'RUNNING', params, values: null, intermediate: [] };
}

export interface SupervisedStudy {
  proposals: Params[];
  trials: FrozenTrial[];
}

/** Runs a sequential study: each proposal is evaluated and told before the next is asked. */
export function runStudy(
  sampler: Sampler,
  sp: SearchSpace,
  nTrials: number,
  seed: number,
  f: (p: Params) => number = objective,
  directions: Direction[] = ['minimize'],
  onProposal?: (p: Params) => void,
): SupervisedStudy {
  const trials: FrozenTrial[] = [];
  const proposals: Params[] = [];
  for (let t = 0; t < nTrials; t++) {
    const p = sampler.sample({ space: sp, trials, directions, pruneDirection: 'minimize', trialNumber: t, seed });
    if (!p) break;
    onProposal?.(p);
    proposals.push(p);
    const v = f(p);
    trials.push({ number: t, state: 'COMPLETE', params: p, values: directions.map((_, i) => (i === 0 ? v : -v * 0.5 + t * 0.01)), intermediate: [] });
  }
  return { proposals, trials };
}
