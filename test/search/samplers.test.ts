// One suite every sampler runs (after optuna/testing/pytest_samplers.py), then sampler-specific checks.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/shared/json';
import type { ParamSpec, SearchSpace } from '../../src/shared/study/searchSpace';
import { canTake, stepOf } from '../../src/shared/study/distributions';
import { createSampler } from '../../src/core/search/samplers';
import { SamplerConfig, type SamplerConfigInput } from '../../src/shared/study/samplerConfig';
import { activeParams, enumerateGrid, paramsKey } from '../../src/shared/study/space';
import type { FrozenTrial, SampleContext } from '../../src/core/search/types';
import { complete, gridSpace, objective, richSpace, running, runStudy, tinySpace, type Params } from './fixtures';

interface Case {
  name: string;
  config: SamplerConfigInput;
  space: SearchSpace;
  seeded: boolean;
}

const CASES: Case[] = [
  { name: 'random', config: { type: 'random' }, space: richSpace, seeded: true },
  { name: 'tpe (multivariate)', config: { type: 'tpe', startupTrials: 5 }, space: richSpace, seeded: true },
  { name: 'tpe (univariate, no liar)', config: { type: 'tpe', startupTrials: 5, multivariate: false, constantLiar: false }, space: richSpace, seeded: true },
  { name: 'gp', config: { type: 'gp', startupTrials: 5 }, space: richSpace, seeded: true },
  { name: 'grid', config: { type: 'grid' }, space: gridSpace, seeded: false },
];

/** Every active param present and valid, nothing else. */
function expectValid(sp: SearchSpace, p: Params): void {
  const active = activeParams(sp, p);
  expect(Object.keys(p).sort()).toEqual(active.map((a) => a.name).sort());
  for (const spec of active) {
    const v = p[spec.name];
    expect(canTake(spec, v), `${spec.name}=${JSON.stringify(v)}`).toBe(true);
    checkNumeric(spec, v);
  }
}

function checkNumeric(spec: ParamSpec, v: JsonValue): void {
  if (spec.type !== 'float' && spec.type !== 'int') return;
  expect(typeof v).toBe('number');
  const x = v as number;
  expect(x).toBeGreaterThanOrEqual(spec.low);
  expect(x).toBeLessThanOrEqual(spec.high);
  if (spec.type === 'int') expect(Number.isInteger(x)).toBe(true);
  const step = stepOf(spec);
  if (step !== undefined) {
    const k = (x - spec.low) / step;
    expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
  }
}

function history(c: Case, n: number, seed = 11): FrozenTrial[] {
  return runStudy(createSampler(c.config), c.space, n, seed).trials;
}

const ctx = (c: Case, trials: FrozenTrial[], seed: number, trialNumber = trials.length): SampleContext => ({
  space: c.space,
  trials,
  directions: ['minimize'],
  pruneDirection: 'minimize',
  trialNumber,
  seed,
});

describe.each(CASES)('sampler suite: $name', (c) => {
  it('proposes only active params, inside bounds, on steps, ints as ints, choices from the list', () => {
    runStudy(createSampler(c.config), c.space, 14, 3, objective, ['minimize'], (p) => expectValid(c.space, p));
  });

  it('proposes the same params for the same space, seed and history (fresh instances too)', () => {
    const trials = history(c, 9);
    const a = createSampler(c.config).sample(ctx(c, trials, 5));
    const b = createSampler(c.config).sample(ctx(c, trials, 5));
    const again = createSampler(c.config);
    again.sample(ctx(c, trials.slice(0, 4), 5)); // an earlier call must not change later proposals
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
    expect(again.sample(ctx(c, trials, 5))).toEqual(a);
  });

  it.runIf(c.seeded)('proposes differently under different seeds', () => {
    const trials = history(c, 9);
    const s = createSampler(c.config);
    const bySeed = [1, 2, 3].map((seed) => JSON.stringify(s.sample(ctx(c, trials, seed))));
    expect(new Set(bySeed).size).toBeGreaterThan(1);
    // Whole studies differ too.
    expect(runStudy(s, c.space, 8, 1).proposals).not.toEqual(runStudy(s, c.space, 8, 2).proposals);
  });

  it('does not repeat a RUNNING (or any earlier) trial when workers run in parallel', () => {
    const tiny = { ...c, space: tinySpace };
    const s = createSampler(c.config);
    const trials = runStudy(s, tinySpace, 6, 4).trials;
    for (let t = 6; t < 14; t++) {
      const p = s.sample(ctx(tiny, trials, 4, t));
      expect(p).not.toBeNull();
      trials.push(running(t, p as Params));
    }
    const keys = trials.map((t) => paramsKey(t.params));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('works with PRUNED, FAILED and several-objective histories', () => {
    const trials = history(c, 8);
    trials.push({ number: 8, state: 'PRUNED', params: trials[0].params, values: null, intermediate: [{ step: 2, value: 9 }] });
    trials.push({ number: 9, state: 'FAILED', params: trials[1].params, values: null, intermediate: [] });
    const p = createSampler(c.config).sample(ctx(c, trials, 2));
    expect(p).not.toBeNull();
    expectValid(c.space, p as Params);
    const multi = runStudy(createSampler(c.config), c.space, 9, 3, objective, ['minimize', 'maximize']);
    multi.proposals.forEach((q) => expectValid(c.space, q));
  });
});

describe('continuous proposals with RUNNING trials (constant liar)', () => {
  it.each(['tpe', 'gp'] as const)('%s spreads parallel proposals out', (type) => {
    const s = createSampler({ type, startupTrials: 5 });
    const trials = runStudy(s, richSpace, 10, 8).trials;
    for (let t = 10; t < 14; t++) {
      trials.push(running(t, s.sample({ space: richSpace, trials, directions: ['minimize'], pruneDirection: 'minimize', trialNumber: t, seed: 8 }) as Params));
    }
    const pending = trials.slice(10).map((t) => paramsKey(t.params));
    expect(new Set(pending).size).toBe(4);
  });
});

describe('grid sampler', () => {
  const grid = enumerateGrid(gridSpace);

  it('walks the grid in order and returns null when exhausted', () => {
    const run = runStudy(createSampler({ type: 'grid' }), gridSpace, grid.length + 5, 0);
    expect(run.proposals).toEqual(grid);
  });

  it('resumes after earlier points, skips RUNNING ones and never retries FAILED ones', () => {
    const trials: FrozenTrial[] = [
      complete(0, grid[0], 1),
      { number: 1, state: 'FAILED', params: grid[1], values: null, intermediate: [] },
      running(2, grid[2]),
      complete(3, { ...grid[4], stale: 1 }, 1), // extra keys do not matter
    ];
    const s = createSampler({ type: 'grid' });
    const next = s.sample({ space: gridSpace, trials, directions: ['minimize'], pruneDirection: 'minimize', trialNumber: 4, seed: 0 });
    expect(next).toEqual(grid[3]);
    trials.push(running(4, grid[3]));
    expect(s.sample({ space: gridSpace, trials, directions: ['minimize'], pruneDirection: 'minimize', trialNumber: 5, seed: 0 })).toEqual(grid[5]);
  });

  it('throws a message naming a param it cannot enumerate', () => {
    expect(() => createSampler({ type: 'grid' }).sample({ space: richSpace, trials: [], directions: ['minimize'], pruneDirection: 'minimize', trialNumber: 0, seed: 0 })).toThrow(/"x".*give a step or choices/);
  });
});

describe('SamplerConfig', () => {
  it('fills defaults', () => {
    expect(SamplerConfig.parse({ type: 'tpe' })).toEqual({
      type: 'tpe', startupTrials: 10, candidates: 24, multivariate: true, constantLiar: true, priorWeight: 1, gamma: 0.2,
    });
    expect(SamplerConfig.parse({ type: 'gp' })).toMatchObject({ type: 'gp', startupTrials: 10 });
  });

  it('rejects unknown types, unknown keys and bad values with a readable error', () => {
    expect(() => createSampler({ type: 'cmaes' } as unknown as SamplerConfigInput)).toThrow(/Invalid sampler config/);
    expect(() => createSampler({ type: 'tpe', startup_trials: 3 } as unknown as SamplerConfigInput)).toThrow(/startup_trials/);
    expect(() => createSampler({ type: 'tpe', candidates: 0 })).toThrow(/candidates/);
  });
});
