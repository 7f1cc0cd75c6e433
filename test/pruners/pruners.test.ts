import { describe, expect, it } from 'vitest';
import { createPruner } from '../../src/core/pruners';
import { PrunerConfig } from '../../src/shared/study/prunerConfig';
import { bracketCount } from '../../src/core/pruners/hyperband';
import { rungStep } from '../../src/core/pruners/successiveHalving';
import type { FrozenTrial } from '../../src/core/search/types';

const curve = (number: number, values: number[], state: FrozenTrial['state'] = 'COMPLETE'): FrozenTrial => ({
  number,
  state,
  params: {},
  values: state === 'COMPLETE' ? [values[values.length - 1]] : null,
  intermediate: values.map((value, i) => ({ step: i + 1, value })),
});

describe('median pruner', () => {
  const pruner = createPruner(PrunerConfig.parse({ type: 'median', startupTrials: 3, warmupSteps: 1 }), 10);
  const done = [curve(0, [1.0, 0.8, 0.6]), curve(1, [1.1, 0.9, 0.7]), curve(2, [0.9, 0.7, 0.5])];

  it('prunes a trial worse than the median at the same epoch, after warm-up', () => {
    const bad = curve(3, [1.5, 1.2], 'RUNNING');
    const good = curve(4, [1.0, 0.75], 'RUNNING');
    expect(pruner.shouldPrune({ trial: bad, step: 2, trials: [...done, bad], direction: 'minimize' })).toBe(true);
    expect(pruner.shouldPrune({ trial: good, step: 2, trials: [...done, good], direction: 'minimize' })).toBe(false);
    // Warm-up: never at step 1.
    expect(pruner.shouldPrune({ trial: curve(5, [9], 'RUNNING'), step: 1, trials: done, direction: 'minimize' })).toBe(false);
  });

  it('waits for enough completed trials and respects maximize', () => {
    const bad = curve(3, [1.5, 1.2], 'RUNNING');
    expect(pruner.shouldPrune({ trial: bad, step: 2, trials: done.slice(0, 2), direction: 'minimize' })).toBe(false);
    expect(pruner.shouldPrune({ trial: bad, step: 2, trials: done, direction: 'maximize' })).toBe(false);
    const low = curve(3, [0.1, 0.2], 'RUNNING');
    expect(pruner.shouldPrune({ trial: low, step: 2, trials: done, direction: 'maximize' })).toBe(true);
  });

  it('ignores pruned and failed trials as references', () => {
    const others = [curve(0, [0.1, 0.1], 'PRUNED'), curve(1, [0.1, 0.1], 'FAILED'), curve(2, [0.1, 0.1], 'PRUNED')];
    const t = curve(3, [1, 1], 'RUNNING');
    expect(pruner.shouldPrune({ trial: t, step: 2, trials: [...others, t], direction: 'minimize' })).toBe(false);
  });
});

describe('successive halving (ASHA)', () => {
  const cfg = PrunerConfig.parse({ type: 'successiveHalving', minResource: 1, reductionFactor: 3 });
  const pruner = createPruner(cfg, 27);

  it('decides only on rung epochs 1, 3, 9, 27', () => {
    expect([0, 1, 2, 3].map((k) => rungStep({ minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 0 }, k))).toEqual([1, 3, 9, 27]);
    const t = curve(9, [5, 5], 'RUNNING');
    expect(pruner.shouldPrune({ trial: t, step: 2, trials: [t], direction: 'minimize' })).toBe(false);
  });

  it('promotes only the top third of the trials that reached a rung', () => {
    const population = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v, i) => curve(i, [v]));
    const top = curve(6, [0.15], 'RUNNING');
    const mid = curve(7, [0.35], 'RUNNING');
    expect(pruner.shouldPrune({ trial: top, step: 1, trials: [...population, top], direction: 'minimize' })).toBe(false);
    expect(pruner.shouldPrune({ trial: mid, step: 1, trials: [...population, mid], direction: 'minimize' })).toBe(true);
  });

  it('lets the first trial through a rung and prunes non-finite values', () => {
    const first = curve(0, [3], 'RUNNING');
    expect(pruner.shouldPrune({ trial: first, step: 1, trials: [first], direction: 'minimize' })).toBe(false);
    const nan = curve(1, [Number.NaN], 'RUNNING');
    expect(pruner.shouldPrune({ trial: nan, step: 1, trials: [first, nan], direction: 'minimize' })).toBe(true);
  });
});

describe('hyperband', () => {
  it('spreads trials over brackets that compete only among themselves', () => {
    const opts = { minResource: 1, maxResource: 9, reductionFactor: 3 };
    expect(bracketCount(opts)).toBe(3);
    const pruner = createPruner(PrunerConfig.parse({ type: 'hyperband', minResource: 1, reductionFactor: 3 }), 9);
    // Bracket 0 (numbers 0, 3, 6, ...) decides at epoch 1; bracket 1 (1, 4, ...) first at epoch 3.
    const b0 = [0, 3, 6].map((n, i) => curve(n, [0.1 * (i + 1)]));
    const worst0 = curve(9, [0.9], 'RUNNING');
    expect(pruner.shouldPrune({ trial: worst0, step: 1, trials: [...b0, worst0], direction: 'minimize' })).toBe(true);
    const b1 = curve(10, [0.9], 'RUNNING');
    expect(pruner.shouldPrune({ trial: b1, step: 1, trials: [...b0, b1], direction: 'minimize' })).toBe(false);
  });

  it('nop never prunes', () => {
    const p = createPruner({ type: 'nop' }, 5);
    expect(p.shouldPrune({ trial: curve(0, [9e9], 'RUNNING'), step: 3, trials: [], direction: 'minimize' })).toBe(false);
  });

  it('says where it decides: the steps where the downstream signal must be measured', () => {
    const steps = Array.from({ length: 27 }, (_, i) => i + 1);
    const at = (cfg: unknown, maxEpochs: number, trialNumber: number): number[] => {
      const p = createPruner(PrunerConfig.parse(cfg), maxEpochs);
      return steps.filter((s) => p.decidesAt(s, trialNumber));
    };
    // The feature template's Hyperband: rungs 3, 9, 27; bracket b starts at 3 * 3^b and never decides at the top.
    const hb = { type: 'hyperband', minResource: 3, reductionFactor: 3 };
    expect([0, 1, 2].map((b) => at(hb, 27, b))).toEqual([[3, 9, 27], [9, 27], [27]]);
    expect(at(hb, 27, 4)).toEqual([9, 27]);
    expect(at({ type: 'successiveHalving', minResource: 2, reductionFactor: 2 }, 27, 0)).toEqual([2, 4, 8, 16]);
    expect(at({ type: 'median', warmupSteps: 2, intervalSteps: 5 }, 27, 0)).toEqual([7, 12, 17, 22, 27]);
    expect(at({ type: 'nop' }, 27, 0)).toEqual([]);
    // shouldPrune agrees: nothing is decided off those steps, whatever the values.
    const p = createPruner(PrunerConfig.parse(hb), 27);
    const others = [1, 2, 3, 4].map((n) => curve(n * 3 + 1, Array.from({ length: 27 }, () => 0.1)));
    const bad = curve(1, Array.from({ length: 10 }, () => 0.9), 'RUNNING');
    expect(steps.slice(0, 10).filter((s) => p.shouldPrune({ trial: bad, step: s, trials: [...others, bad], direction: 'minimize' }))).toEqual([9]);
  });
});
