// What model-based samplers learn from pruned trials: they are ranked by how far they got, then by their last
// intermediate value in the direction of what the pruner compared (not the objective's direction).
import { describe, expect, it } from 'vitest';
import { observations, rankObservations } from '../../src/core/search/samplers/observations';
import type { FrozenTrial, SampleContext } from '../../src/core/search/types';

const pruned = (number: number, values: number[]): FrozenTrial => ({
  number,
  state: 'PRUNED',
  params: { x: number },
  values: null,
  intermediate: values.map((value, i) => ({ step: (i + 1) * 3, value })),
});

const ctx = (pruneDirection: SampleContext['pruneDirection']): SampleContext => ({
  space: { params: [{ name: 'x', type: 'int', low: 0, high: 9, log: false }] },
  trials: [pruned(0, [0.70]), pruned(1, [0.80]), pruned(2, [0.60, 0.75]), { number: 3, state: 'COMPLETE', params: { x: 3 }, values: [0.9], intermediate: [] }],
  // A downstream study: its objective (accuracy) is maximised whatever the pruner compares.
  directions: ['maximize'],
  pruneDirection,
  trialNumber: 4,
  seed: 0,
});

const order = (c: SampleContext): number[] => rankObservations(observations(c, false)).map((o) => o.number);

describe('pruned trials in the sampler history', () => {
  it('rank by the downstream signal (higher accuracy first) after the trial that got furthest', () => {
    expect(order(ctx('maximize'))).toEqual([3, 2, 1, 0]);
  });

  it('rank by reconstruction MSE (lower first) even when the objective is maximised', () => {
    // Before pruneDirection the MSE was negated by the objective's direction: the worst reconstruction ranked first.
    expect(order(ctx('minimize'))).toEqual([3, 2, 0, 1]);
  });
});
