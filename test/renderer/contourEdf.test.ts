import { describe, expect, it } from 'vitest';
import { paramAxes } from '../../src/shared/analytics/params';
import { axisPosition, contourGrid } from '../../src/renderer/lib/analytics/contour';
import { edfCurve, empiricalDistribution } from '../../src/renderer/lib/analytics/edf';
import { SPEC, trial } from './analyticsFixtures';

const axes = paramAxes(SPEC, []);
const lr = axes.find((a) => a.name === 'learningRate')!;
const act = axes.find((a) => a.name === 'activation')!;
const dropout = axes.find((a) => a.name === 'dropout')!;

describe('contourGrid', () => {
  const trials = [
    trial({ id: 1, values: [1], searchParams: { learningRate: 0.001, dropout: 0 } }),
    trial({ id: 2, values: [2], searchParams: { learningRate: 0.01, dropout: 0.5 } }),
    trial({ id: 3, values: [3], searchParams: { learningRate: 0.1, dropout: 0.25 } }),
    trial({ id: 4, values: [null], searchParams: { learningRate: 0.05, dropout: 0.1 } }),
    trial({ id: 5, values: [9], searchParams: { dropout: 0.1 } }),
  ];

  it('places log params at log10 and categories at their index', () => {
    expect(axisPosition(lr, trials[1])).toBeCloseTo(-2, 12);
    expect(axisPosition(act, trial({ id: 9, searchParams: { activation: 'tanh' } }))).toBe(2);
    expect(axisPosition(lr, trials[4])).toBeNull();
  });

  it('interpolates between the trials that set both params and passes through them exactly', () => {
    const g = contourGrid(trials, lr, dropout, 0, 11)!;
    expect(g.points.map((p) => p.trialId)).toEqual([1, 2, 3]);
    expect(g.xs[0]).toBeCloseTo(-4, 12); // the spec's bounds, log10(1e-4) .. log10(0.1)
    expect(g.xs[10]).toBeCloseTo(-1, 12);
    expect(g.values).toHaveLength(11);
    const flat = g.values.flat();
    expect(Math.min(...flat)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...flat)).toBeLessThanOrEqual(3);
    // trial 3 (lr 0.1 = grid x index 10, dropout 0.25 = grid y index 5) sits on a grid node
    expect(g.values[5][10]).toBe(3);
    expect([g.min, g.max]).toEqual([1, 3]);
  });

  it('gives no surface with fewer than three trials', () => {
    expect(contourGrid(trials.slice(0, 2), lr, dropout)).toBeNull();
  });

  it('uses one grid line per category on a categorical axis', () => {
    const t = [0, 1, 2].map((i) => trial({ id: i + 1, values: [i], searchParams: { activation: act.choices[i], dropout: i / 10 } }));
    expect(contourGrid(t, act, dropout, 0, 5)!.xs).toEqual([0, 1, 2]);
  });
});

describe('empirical distribution', () => {
  it('is a step function of the sorted values; ties share one step', () => {
    expect(empiricalDistribution([3, 1, 2, 2, Number.NaN])).toEqual([[1, 0.25], [2, 0.75], [3, 1]]);
    expect(empiricalDistribution([])).toEqual([]);
  });

  it('counts only COMPLETE trials with a value', () => {
    const c = edfCurve('s', [trial({ id: 1, values: [0.2] }), trial({ id: 2, values: [0.1] }), trial({ id: 3, state: 'PRUNED', values: [0.05] }), trial({ id: 4, values: [null] })]);
    expect(c).toEqual({ name: 's', steps: [[0.1, 0.5], [0.2, 1]], trials: 2 });
  });
});
