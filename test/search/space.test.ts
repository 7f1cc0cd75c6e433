import { describe, expect, it } from 'vitest';
import { activeParams, enumerateGrid, estimateDuration, gridSize, pruneInactive, validateSpace } from '../../src/shared/study/space';
import { richSpace, space } from './fixtures';

function errorsOf(params: unknown[]): string[] {
  const v = validateSpace({ params });
  if (v.ok) throw new Error('expected errors');
  return v.errors;
}

describe('validateSpace', () => {
  it('accepts a valid space and fills defaults', () => {
    const v = validateSpace({ params: [{ name: 'lr', type: 'float', low: 1e-4, high: 0.1 }] });
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.space.params[0]).toMatchObject({ log: false });
  });

  it.each([
    [[{ name: 'lr', type: 'float', low: 0.1, high: 0.01 }], /"lr": low \(0.1\) is greater than high \(0.01\); swap them/],
    [[{ name: 'lr', type: 'float', low: 0, high: 1, log: true }], /"lr": a log scale needs low > 0 \(got 0\)/],
    [[{ name: 'units', type: 'int', low: -4, high: 8, log: true }], /"units": a log scale needs low > 0/],
    [[{ name: 'drop', type: 'float', low: 0, high: 0.5, step: 0.2 }], /"drop": step 0.2 does not divide the range 0..0.5; change high to 0.4/],
    [[{ name: 'units', type: 'int', low: 8, high: 100, step: 8 }], /"units": step 8 does not divide the range 8..100; change high to 96/],
    [[{ name: 'lr', type: 'float', low: 0.1, high: 1, log: true, step: 0.1 }], /"lr": step and log cannot be combined/],
    [[{ name: 'act', type: 'categorical', choices: [] }], /"act": choices is empty; list at least one value/],
    [[{ name: 'act', type: 'categorical', choices: ['relu', 'relu'] }], /"act": the choice "relu" is listed twice/],
    [[{ name: 'a', type: 'fixed', value: 1 }, { name: 'a', type: 'fixed', value: 2 }], /"a": the name is used twice/],
    [[{ name: 'noise', type: 'float', low: 0, high: 1, condition: { parent: 'arch', values: ['denoising'] } }], /"noise": its condition's parent "arch" is not a parameter; add it or fix the name/],
    [
      [
        { name: 'noise', type: 'float', low: 0, high: 1, condition: { parent: 'arch', values: ['denoising'] } },
        { name: 'arch', type: 'categorical', choices: ['dense', 'denoising'] },
      ],
      /"noise": its parent "arch" must be listed before it; move "arch" up/,
    ],
    [
      [
        { name: 'arch', type: 'categorical', choices: ['dense', 'denoising'] },
        { name: 'noise', type: 'float', low: 0, high: 1, condition: { parent: 'arch', values: ['denosing'] } },
      ],
      /"noise": condition value "denosing" can never be taken by "arch" \(its choices "dense", "denoising"\)/,
    ],
    [
      [
        { name: 'depth', type: 'int', low: 1, high: 3 },
        { name: 'w3', type: 'int', low: 1, high: 9, condition: { parent: 'depth', values: [4] } },
      ],
      /"w3": condition value 4 can never be taken by "depth" \(an integer in 1..3\)/,
    ],
    [[{ name: 'self', type: 'fixed', value: 1, condition: { parent: 'self', values: [1] } }], /"self": its condition names itself/],
  ])('%#: names the parameter and the fix', (params, message) => {
    expect(errorsOf(params).join('\n')).toMatch(message);
  });

  it('reports schema errors with the parameter name', () => {
    const errors = errorsOf([{ name: 'lr', type: 'float', low: 'small', high: 1 }]);
    expect(errors[0]).toMatch(/^"lr" \(low\): /);
    const v = validateSpace({ params: [{ type: 'categorical', choices: [1] }] });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors[0]).toMatch(/^parameter #1 \(name\)/);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf([
      { name: 'a', type: 'float', low: 2, high: 1 },
      { name: 'b', type: 'categorical', choices: [] },
    ]);
    expect(errors).toHaveLength(2);
  });
});

describe('activeParams', () => {
  it('follows conditions, including nested ones', () => {
    const names = (values: Record<string, unknown>) =>
      activeParams(richSpace, values as Record<string, never>).map((p) => p.name);
    const base = ['kind', 'x', 'lr', 'units', 'drop'];
    expect(names({ kind: 'c' })).toEqual([...base, 'k', 'fixedOne', 'cfg']);
    expect(names({ kind: 'b' })).toEqual([...base, 'a', 'sub', 'fixedOne', 'cfg']);
    expect(names({ kind: 'a', sub: 'q' })).toEqual([...base, 'sub', 'deep', 'fixedOne', 'cfg']);
    // A child of an inactive parent stays inactive even if a stale value is present.
    expect(names({ kind: 'c', sub: 'q' })).not.toContain('deep');
  });

  it('pruneInactive drops stale children', () => {
    expect(pruneInactive(richSpace, { kind: 'c', k: 2, a: 0.5, sub: 'q', deep: 2, extra: 1 })).toEqual({ kind: 'c', k: 2 });
  });
});

describe('gridSize and enumerateGrid', () => {
  const seedGrid = space({
    params: [
      { name: 'latentSize', type: 'categorical', choices: [8, 16, 32] },
      { name: 'learningRate', type: 'categorical', choices: [0.01, 0.001] },
    ],
  });

  it('counts the seed example: latent [8,16,32] x lr [0.01,0.001] = 6', () => {
    expect(gridSize(seedGrid)).toBe(6);
    expect(enumerateGrid(seedGrid)).toEqual([
      { latentSize: 8, learningRate: 0.01 },
      { latentSize: 8, learningRate: 0.001 },
      { latentSize: 16, learningRate: 0.01 },
      { latentSize: 16, learningRate: 0.001 },
      { latentSize: 32, learningRate: 0.01 },
      { latentSize: 32, learningRate: 0.001 },
    ]);
  });

  it('counts a conditional child only under its branch', () => {
    const s = space({
      params: [
        { name: 'architecture', type: 'categorical', choices: ['dense', 'denoising'] },
        { name: 'noise', type: 'categorical', choices: [0.1, 0.2, 0.3], condition: { parent: 'architecture', values: ['denoising'] } },
        { name: 'latentSize', type: 'categorical', choices: [8, 16, 32] },
        { name: 'learningRate', type: 'categorical', choices: [0.01, 0.001] },
      ],
    });
    // dense: 3 x 2 = 6; denoising: 3 noise x 6 = 18.
    expect(gridSize(s)).toBe(24);
    const grid = enumerateGrid(s);
    expect(grid).toHaveLength(24);
    expect(grid.filter((g) => g.architecture === 'dense').every((g) => !('noise' in g))).toBe(true);
    expect(new Set(grid.map((g) => JSON.stringify(g))).size).toBe(24);
  });

  it('enumerates ints and stepped floats, counts nested conditions, skips fixed', () => {
    const s = space({
      params: [
        { name: 'units', type: 'int', low: 8, high: 32, step: 8 },
        { name: 'drop', type: 'float', low: 0, high: 0.3, step: 0.1 },
        { name: 'opt', type: 'categorical', choices: ['adam', 'sgd'] },
        { name: 'nesterov', type: 'categorical', choices: [false, true], condition: { parent: 'opt', values: ['sgd'] } },
        { name: 'nLr', type: 'int', low: 1, high: 3, condition: { parent: 'nesterov', values: [true] } },
        { name: 'seed', type: 'fixed', value: 7 },
      ],
    });
    // 4 units x 4 drops x (adam 1 + sgd (false 1 + true 3)) = 16 x 5 = 80
    expect(gridSize(s)).toBe(80);
    const grid = enumerateGrid(s);
    expect(grid).toHaveLength(80);
    expect(grid[0]).toEqual({ units: 8, drop: 0, opt: 'adam', seed: 7 });
    expect([...new Set(grid.map((g) => g.drop))]).toEqual([0, 0.1, 0.2, 0.3]);
    expect(grid.find((g) => g.nLr === 3)).toMatchObject({ opt: 'sgd', nesterov: true });
  });

  it('refuses a continuous float, naming it', () => {
    const s = space({ params: [{ name: 'lr', type: 'float', low: 1e-4, high: 0.1, log: true }] });
    expect(gridSize(s)).toEqual({ error: expect.stringMatching(/"lr".*give a step or choices/) });
    expect(() => enumerateGrid(s)).toThrow(/"lr"/);
  });

  it('is stable: the same space enumerates in the same order', () => {
    const s = space({
      params: [
        { name: 'b', type: 'int', low: 1, high: 3 },
        { name: 'a', type: 'categorical', choices: ['z', 'y'] },
      ],
    });
    expect(enumerateGrid(s).map((g) => `${g.b}${g.a}`)).toEqual(['1z', '1y', '2z', '2y', '3z', '3y']);
  });
});

describe('estimateDuration', () => {
  it('multiplies trials by seconds per trial and splits over workers', () => {
    expect(estimateDuration(6, 120)).toEqual({ trials: 6, seconds: 720, text: '6 trials x ~2 min = ~12 min' });
    expect(estimateDuration(6, 120, 2)).toMatchObject({ seconds: 360 });
    const grid = space({ params: [{ name: 'latent', type: 'categorical', choices: [8, 16, 32] }] });
    expect(estimateDuration(grid, 30)).toMatchObject({ trials: 3, seconds: 90 });
    expect(estimateDuration(space({ params: [{ name: 'lr', type: 'float', low: 0, high: 1 }] }), 30)).toHaveProperty('error');
  });
});
