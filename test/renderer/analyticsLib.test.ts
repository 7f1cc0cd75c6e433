import { describe, expect, it, vi } from 'vitest';
import { createFrameQueue, throttle, type Scheduler } from '../../src/renderer/lib/analytics/batching';
import { MIN_TRIALS, paramImportance } from '../../src/shared/analytics/importance';
import { dragRotation, normalise3d, pcaProject, rotateProject, threeDSize } from '../../src/renderer/lib/analytics/latent';
import { metricDirection } from '../../src/shared/study/objectives';
import { bestIndex, headlineMetric, metricKeys, objectiveKind } from '../../src/renderer/lib/analytics/metrics';
import {
  averageRanks,
  bestTrial,
  optimizationHistory,
  topPercentIds,
  trialDurationSeconds,
} from '../../src/shared/analytics/objective';
import { paretoPoints } from '../../src/renderer/lib/analytics/pareto';
import { formatParamValue, paramAxes, paramValue, valueLabel } from '../../src/shared/analytics/params';
import { endedTrialFraction, estimateEtaSeconds, studyProgress } from '../../src/renderer/lib/analytics/progress';
import { latentSizeTradeoff, paramDiff } from '../../src/renderer/lib/analytics/tradeoff';
import { liveEventKey } from '../../src/renderer/stores/liveTrials';
import { fakeTrials, paramsOf, SPEC, trial } from './analyticsFixtures';

/** A scheduler the test fires by hand (stands in for requestAnimationFrame). */
function manualScheduler() {
  const pending: (() => void)[] = [];
  const schedule: Scheduler = (cb) => {
    pending.push(cb);
    return () => {
      const i = pending.indexOf(cb);
      if (i >= 0) pending.splice(i, 1);
    };
  };
  return { schedule, frame: () => pending.splice(0).forEach((cb) => cb()), get scheduled() { return pending.length; } };
}

describe('frame queue (event batching)', () => {
  it('delivers a flood of events in one batch per frame, not one render per event', () => {
    const s = manualScheduler();
    const batches: number[][] = [];
    const q = createFrameQueue<number>((items) => batches.push(items), { schedule: s.schedule });
    for (let i = 0; i < 1000; i++) q.push(i);
    expect(batches).toEqual([]);
    expect(s.scheduled).toBe(1); // one frame requested for the whole flood
    s.frame();
    expect(batches.length).toBe(1);
    expect(batches[0].length).toBe(1000);
    expect(batches[0].slice(0, 3)).toEqual([0, 1, 2]); // order kept
  });

  it('coalesces keyed events (newest wins, first position) and keeps unkeyed ones in order', () => {
    const s = manualScheduler();
    type E = { kind: 'progress' | 'epoch'; trial: number; n: number };
    const got: E[][] = [];
    const q = createFrameQueue<E>((items) => got.push(items), {
      schedule: s.schedule,
      key: (e) => (e.kind === 'progress' ? `p${e.trial}` : null),
    });
    q.push({ kind: 'progress', trial: 1, n: 1 });
    q.push({ kind: 'epoch', trial: 1, n: 1 });
    q.push({ kind: 'progress', trial: 2, n: 1 });
    for (let n = 2; n <= 500; n++) q.push({ kind: 'progress', trial: 1, n });
    q.push({ kind: 'epoch', trial: 1, n: 2 });
    expect(q.pending).toBe(4);
    s.frame();
    expect(got[0]).toEqual([
      { kind: 'progress', trial: 1, n: 500 },
      { kind: 'epoch', trial: 1, n: 1 },
      { kind: 'progress', trial: 2, n: 1 },
      { kind: 'epoch', trial: 1, n: 2 },
    ]);
  });

  it('schedules a new frame after delivering, flushes on demand, and drops everything on dispose', () => {
    const s = manualScheduler();
    const got: number[][] = [];
    const q = createFrameQueue<number>((items) => got.push(items), { schedule: s.schedule });
    q.push(1);
    s.frame();
    q.push(2);
    expect(s.scheduled).toBe(1);
    q.flush();
    expect(got).toEqual([[1], [2]]);
    expect(s.scheduled).toBe(0); // flush cancelled the pending frame
    q.push(3);
    q.dispose();
    s.frame();
    expect(got).toEqual([[1], [2]]);
  });

  it('keys the store events: progress, images, codes and study progress coalesce; epochs and states do not', () => {
    const m = { epoch: 1, trainLoss: 1, valLoss: 1, seconds: 1, samplesPerSec: 1 };
    expect(liveEventKey({ event: 'trial.progress', payload: { trialId: 3, epoch: 1, epochs: 2, batch: 1, batches: 9, samplesPerSec: 1, etaSeconds: null } })).toBe('progress:3');
    expect(liveEventKey({ event: 'trial.epoch', payload: { trialId: 3, metrics: m } })).toBeNull();
    expect(liveEventKey({ event: 'trial.state', payload: { trialId: 3, state: 'COMPLETE', reason: null, backend: null } })).toBeNull();
    expect(liveEventKey({ event: 'trial.latents', payload: { trialId: 3, latentSize: 2, codes: [], labels: [] } })).toBe('latents:3');
  });

  it('throttle runs at once, then at most once per interval (trailing call kept)', () => {
    vi.useFakeTimers();
    try {
      const fn = vi.fn();
      const th = throttle(fn, 100);
      th();
      th();
      th();
      expect(fn).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(99);
      expect(fn).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1);
      expect(fn).toHaveBeenCalledTimes(2);
      th.cancel();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('objective helpers', () => {
  const trials = [
    trial({ id: 1, number: 0, values: [0.5] }),
    trial({ id: 2, number: 1, values: [0.7] }),
    trial({ id: 3, number: 2, state: 'PRUNED', values: [] }),
    trial({ id: 4, number: 3, values: [0.2] }),
    trial({ id: 5, number: 4, values: [0.3] }),
  ];

  it('builds the optimisation history with a running best (minimize and maximize)', () => {
    const min = optimizationHistory(trials, 'minimize');
    expect(min.map((p) => [p.number, p.value, p.best, p.improved])).toEqual([
      [0, 0.5, 0.5, true],
      [1, 0.7, 0.5, false],
      [3, 0.2, 0.2, true],
      [4, 0.3, 0.2, false],
    ]);
    expect(optimizationHistory(trials, 'maximize').map((p) => p.best)).toEqual([0.5, 0.7, 0.7, 0.7]);
    expect(bestTrial(trials, 'minimize')?.id).toBe(4);
  });

  it('selects the top k% of completed trials, at least one', () => {
    expect([...topPercentIds(trials, 'minimize', 50)].sort()).toEqual([4, 5]);
    expect([...topPercentIds(trials, 'maximize', 25)]).toEqual([2]);
    expect(topPercentIds(trials, 'minimize', 1).size).toBe(1);
    expect(topPercentIds(trials, 'minimize', 100).size).toBe(4);
  });

  it('ranks with ties sharing the mean rank', () => {
    expect(averageRanks([10, 30, 20, 20])).toEqual([1, 4, 2.5, 2.5]);
  });

  it('knows durations', () => {
    expect(trialDurationSeconds({ createdAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:01:30Z' })).toBe(90);
    expect(trialDurationSeconds({ createdAt: '2025-01-01T00:00:00Z', finishedAt: null })).toBeNull();
  });
});

describe('metrics', () => {
  it('tells reconstruction, downstream and combined objectives apart, as the engine labels them', () => {
    expect(objectiveKind('val reconstruction (MSE)')).toBe('reconstruction');
    expect(objectiveKind('val_loss')).toBe('reconstruction');
    expect(objectiveKind('val_recon')).toBe('reconstruction');
    expect(objectiveKind('val_accuracy')).toBe('downstream');
    expect(objectiveKind('val_mse_target')).toBe('downstream');
    expect(objectiveKind('weighted: 0.5 x recon MSE + 0.5 x val_accuracy')).toBe('combined');
  });

  it('knows which way is better, orders names and picks the headline metric', () => {
    expect(metricDirection('val_accuracy')).toBe('maximize');
    expect(metricDirection('test_r2')).toBe('maximize');
    expect(metricDirection('val_mse_target')).toBe('minimize');
    expect(metricDirection('val_recon_mse')).toBe('minimize');
    const keys = metricKeys([trial({ id: 1, metrics: { val_recon_mse: 0.1, val_f1_macro: 0.8, val_accuracy: 0.9, val_roc_auc: null } })]);
    expect(keys).toEqual(['val_accuracy', 'val_f1_macro', 'val_recon_mse']);
    expect(headlineMetric(keys)).toBe('val_accuracy');
    expect(headlineMetric(['val_r2', 'val_mse_target'])).toBe('val_r2');
    expect(headlineMetric(['val_recon_mse'])).toBeNull();
    expect(bestIndex([0.5, null, 0.9, 0.9], 'maximize')).toBe(2);
    expect(bestIndex([0.5, 0.2], 'minimize')).toBe(1);
    expect(bestIndex([null], 'minimize')).toBe(-1);
  });
});

describe('params', () => {
  it('reads searched params from the spec (fixed ones left out, log kept) and values from trials', () => {
    const axes = paramAxes(SPEC, []);
    expect(axes.map((a) => [a.name, a.kind, a.log])).toEqual([
      ['latentSize', 'int', true],
      ['learningRate', 'float', true],
      ['activation', 'categorical', false],
      ['hiddenUnits', 'categorical', false],
      ['dropout', 'float', false],
    ]);
    expect(axes[3].choices).toEqual(['[128]', '[256, 64]']);
    const t = trial({ id: 1, searchParams: { latentSize: 8, hiddenUnits: [256, 64] } });
    expect(paramValue(t, axes[0])).toBe(8);
    expect(paramValue(t, axes[3])).toBe('[256, 64]');
    expect(paramValue(t, axes[1])).toBeNull();
  });

  it('infers params from the trials when the spec cannot be read', () => {
    const trials = [
      trial({ id: 1, searchParams: { a: 1, b: 'x', c: 5 } }),
      trial({ id: 2, searchParams: { a: 2.5, b: 'y', c: 5 } }),
    ];
    const axes = paramAxes(undefined, trials);
    expect(axes.map((a) => [a.name, a.kind])).toEqual([
      ['a', 'float'],
      ['b', 'categorical'],
    ]);
  });

  it('formats values compactly', () => {
    expect(valueLabel([1, [2, 3]])).toBe('[1, [2, 3]]');
    expect(formatParamValue(0.000123456)).toBe('1.23e-4');
    expect(formatParamValue(0.0123456)).toBe('0.01235');
    expect(formatParamValue(64)).toBe('64');
    expect(formatParamValue(null)).toBe('—');
  });
});

describe('importance (fANOVA over a seeded random forest)', () => {
  /** Few trials where both the learning rate and the code size move the objective (issue 14 defect 4's study). */
  const twoDrivers = (n: number, seed: number) => {
    let s = seed;
    const r = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
    return Array.from({ length: n }, (_, i) => {
      const lr = 10 ** (-4 + 3 * r());
      const latent = 2 ** (1 + Math.floor(r() * 6));
      const dropout = 0.5 * r();
      // Code size matters as much as the learning rate over their ranges; dropout not at all.
      const value = 0.05 * Math.abs(Math.log10(lr) + 2.5) + 0.012 * (6 - Math.log2(latent)) + 0.001 * r();
      return trial({ id: i + 1, values: [value], searchParams: { learningRate: lr, latentSize: latent, dropout } });
    });
  };

  it('ranks the parameter that drives the objective first, deterministically, summing to 1, with bands around each bar', () => {
    const trials = fakeTrials(300, 7);
    const axes = paramAxes(SPEC, trials);
    const a = paramImportance(trials, axes);
    const b = paramImportance(trials, axes);
    expect(a).toEqual(b);
    expect(a.insufficient).toBe(false);
    expect(a.few).toBe(false);
    expect(a.params[0].name).toBe('learningRate');
    expect(a.params[0].importance).toBeGreaterThan(0.6);
    expect(a.params.reduce((s, p) => s + p.importance, 0)).toBeCloseTo(1);
    for (const p of a.params) {
      expect(p.low).toBeLessThanOrEqual(p.importance + 1e-12);
      expect(p.high).toBeGreaterThanOrEqual(p.importance - 1e-12);
    }
    const dropout = a.params.find((p) => p.name === 'dropout');
    expect(dropout?.importance ?? 1).toBeLessThan(0.1);
  });

  it('gives the code size its share on ten trials where it matters beside the learning rate (not 100% / 0%)', () => {
    const trials = twoDrivers(10, 3); // the old ε² estimator said learningRate 100%, latentSize 0% here
    const axes = paramAxes({ searchSpace: { params: [
      { name: 'learningRate', type: 'float', low: 0.0001, high: 0.1, log: true },
      { name: 'latentSize', type: 'int', low: 2, high: 64, log: true },
      { name: 'dropout', type: 'float', low: 0, high: 0.5 },
    ] } }, trials);
    const r = paramImportance(trials, axes);
    expect(r.few).toBe(true);
    const by = Object.fromEntries(r.params.map((p) => [p.name, p]));
    expect(by.latentSize.importance).toBeGreaterThan(0.15);
    expect(by.learningRate.importance).toBeGreaterThan(0.15);
    expect(by.dropout.importance).toBeLessThan(by.latentSize.importance);
    // On ten trials the trees disagree: the bands are wide, not a confident single number.
    expect(by.latentSize.high - by.latentSize.low).toBeGreaterThan(0.1);
  });

  it('says "too few to judge" below MIN_TRIALS and survives a diverged trial', () => {
    const axes = paramAxes(SPEC, []);
    const few = paramImportance(Array.from({ length: MIN_TRIALS - 1 }, (_, i) => trial({ id: i + 1, values: [i] })), axes);
    expect(few.insufficient).toBe(true);
    expect(few.params.every((p) => p.importance === 0)).toBe(true);
    const trials = fakeTrials(120, 3);
    const t0 = trials.find((t) => t.state === 'COMPLETE');
    if (!t0) throw new Error('fixture has no complete trial');
    t0.values = [1e12]; // one diverged run
    expect(paramImportance(trials, axes).params[0].name).toBe('learningRate');
  });

  it('is 0 everywhere when the objective does not vary', () => {
    const trials = Array.from({ length: 8 }, (_, i) => trial({ id: i + 1, values: [0.5], searchParams: { learningRate: 10 ** -(i % 4 + 1), latentSize: 2 + i, dropout: 0.1 } }));
    const r = paramImportance(trials, paramAxes(SPEC, trials));
    expect(r.params.every((p) => p.importance === 0 && p.high === 0)).toBe(true);
  });
});

describe('Pareto', () => {
  it('uses only completed trials with every objective', () => {
    const trials = [
      trial({ id: 1, values: [0.1, 0.9] }),
      trial({ id: 2, values: [0.2, 0.95] }),
      trial({ id: 3, values: [0.3, 0.5] }),
      trial({ id: 4, values: [0.05, null] }),
      trial({ id: 5, state: 'PRUNED', values: [] }),
    ];
    const p = paretoPoints(trials, ['minimize', 'maximize']);
    expect(p.map((x) => [x.trialId, x.front])).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
  });
});

describe('progress and ETA', () => {
  it('divides the remaining work by the workers', () => {
    expect(estimateEtaSeconds({ durations: [10, 20], runningElapsed: [5], notStarted: 2, workers: 1 })).toBe(40);
    expect(estimateEtaSeconds({ durations: [10], runningElapsed: [15, 0], notStarted: 4, workers: 2 })).toBe(25);
    expect(estimateEtaSeconds({ durations: [], runningElapsed: [1], notStarted: 3, workers: 1 })).toBeNull();
  });

  it('counts done trials (a retried failure does not count) and estimates the rest', () => {
    const trials = [
      trial({ id: 1, createdAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:30Z' }),
      trial({ id: 2, state: 'FAILED', values: [] }),
      trial({ id: 3, retryOf: 2, createdAt: '2025-01-01T00:01:00Z', finishedAt: '2025-01-01T00:01:30Z' }),
      trial({ id: 4, state: 'RUNNING', values: [], createdAt: '2025-01-01T00:02:00Z', finishedAt: null }),
    ];
    const now = Date.parse('2025-01-01T00:02:10Z');
    const p = studyProgress({ budgetTrials: 5, state: 'running' }, trials, now, 1);
    expect(p.done).toBe(2);
    expect(p.running).toBe(1);
    expect(p.fraction).toBeCloseTo(0.4);
    expect(p.meanTrialSeconds).toBe(30);
    expect(p.etaSeconds).toBe(20 + 2 * 30);
    expect(studyProgress({ budgetTrials: 5, state: 'idle' }, trials, now).etaSeconds).toBeNull();
  });
});

describe('latent space helpers', () => {
  it('PCA finds the direction of largest variance first, with fixed signs', () => {
    const r = (i: number) => Math.sin(i * 12.9898) * 0.5;
    const rows = Array.from({ length: 200 }, (_, i) => {
      const a = (i - 100) / 10;
      return [a, 0.5 * a + r(i) * 0.1, r(i + 7) * 0.2, 1];
    });
    const p = pcaProject(rows, 2);
    expect(p.length).toBe(200);
    const var0 = p.reduce((s, x) => s + x[0] ** 2, 0);
    const var1 = p.reduce((s, x) => s + x[1] ** 2, 0);
    expect(var0).toBeGreaterThan(10 * var1);
    expect(pcaProject(rows, 2)).toEqual(p);
    expect(p[199][0]).toBeGreaterThan(0); // sign fixed: largest loading positive
  });

  // Issue 14 defect 7: the 3-D view was a (height - 44) px square in the middle of a wide panel.
  it('sizes the 3-D view to fill the width of its panel, within bounds', () => {
    expect(threeDSize(700, 320)).toEqual({ height: 560, squarePx: 516 });
    expect(threeDSize(300, 320)).toEqual({ height: 320, squarePx: 276 }); // narrow: as tall as a 2-D plot
    expect(threeDSize(2000, 320).height).toBe(640); // wide: capped
    expect(threeDSize(0, 320)).toEqual({ height: 320, squarePx: 276 }); // width not known yet
  });

  it('rotates unit-ball points and keeps pitch within ±90°', () => {
    const pts = normalise3d([
      [0, 0, 0],
      [2, 0, 0],
      [0, 2, 0],
    ]);
    expect(Math.max(...pts.map((p) => Math.hypot(p[0], p[1], p[2])))).toBeCloseTo(1);
    const flat = rotateProject([[1, 0, 0]], { yaw: 0, pitch: 0 });
    expect(flat[0][0]).toBeCloseTo(1);
    expect(flat[0][1]).toBeCloseTo(0);
    const turned = rotateProject([[1, 0, 0]], { yaw: Math.PI / 2, pitch: 0 });
    expect(Math.abs(turned[0][0])).toBeLessThan(1e-9);
    expect(dragRotation({ yaw: 0, pitch: 1.5 }, 10, 1000).pitch).toBeCloseTo(Math.PI / 2);
  });
});

describe('latent-size trade-off and compare', () => {
  it('keeps the best reconstruction per latent size, and downstream when the study has it', () => {
    const trials = [
      trial({ id: 1, latentSize: 4, values: [0.1, 0.8], bestValLoss: 0.1 }),
      trial({ id: 2, latentSize: 4, values: [0.08, 0.7], bestValLoss: 0.08 }),
      trial({ id: 3, latentSize: 16, values: [0.05, 0.9], bestValLoss: 0.05 }),
      trial({ id: 4, latentSize: 16, state: 'PRUNED', values: [], bestValLoss: 0.01 }),
    ];
    const t = latentSizeTradeoff(trials, { objectives: ['val reconstruction (MSE)', 'val_accuracy'], directions: ['minimize', 'maximize'] });
    expect(t.downstream).toEqual({ source: 'objective', index: 1, metric: 'val_accuracy', direction: 'maximize' });
    expect(t.rows.map((r) => [r.latentSize, r.trials, r.bestReconstruction, r.bestDownstream])).toEqual([
      [4, 2, 0.08, 0.8],
      [16, 1, 0.05, 0.9],
    ]);
    expect(latentSizeTradeoff(trials, { objectives: ['val_loss'], directions: ['minimize'] }).downstream).toBeNull();
  });

  it('takes downstream scores and reconstruction from the trials\' metrics when the objective is reconstruction only', () => {
    const trials = [
      trial({ id: 1, latentSize: 2, values: [0.2], metrics: { val_recon_mse: 0.09, val_accuracy: 0.7 } }),
      trial({ id: 2, latentSize: 8, values: [0.1], metrics: { val_recon_mse: 0.05, val_accuracy: 0.9 } }),
      trial({ id: 3, latentSize: 32, values: [0.05], metrics: { val_recon_mse: 0.02, val_accuracy: 0.8 } }),
    ];
    const t = latentSizeTradeoff(trials, { objectives: ['val reconstruction (MSE)'], directions: ['minimize'] });
    expect(t.downstream).toEqual({ source: 'metric', metric: 'val_accuracy', direction: 'maximize' });
    expect(t.rows.map((r) => [r.latentSize, r.bestReconstruction, r.bestDownstream])).toEqual([
      [2, 0.09, 0.7],
      [8, 0.05, 0.9],
      [32, 0.02, 0.8],
    ]);
    // PCA at the sizes the study trained: reconstruction always, the probe's score when the metric is accuracy.
    const pca = [
      { latentSize: 8, reconMse: 0.06, accuracy: 0.85 },
      { latentSize: 64, reconMse: 0.01, accuracy: 0.88 },
    ];
    const withPca = latentSizeTradeoff(trials, { objectives: ['val reconstruction (MSE)'], directions: ['minimize'] }, pca);
    expect(withPca.rows.map((r) => [r.latentSize, r.pcaReconstruction, r.pcaDownstream])).toEqual([
      [2, null, null],
      [8, 0.06, 0.85],
      [32, null, null],
    ]);
    const f1 = [trial({ id: 1, latentSize: 8, values: [0.2], metrics: { val_recon_mse: 0.05, val_f1_macro: 0.8 } })];
    expect(latentSizeTradeoff(f1, { objectives: ['val reconstruction (MSE)'], directions: ['minimize'] }, pca).rows[0]).toMatchObject({ pcaReconstruction: 0.06, pcaDownstream: null });
  });

  it('lines up params and marks differences; per-architecture fields only where they apply', () => {
    const a = trial({ id: 1 });
    const b = trial({ id: 2, latentSize: 32 });
    const rows = paramDiff([a, b]);
    expect(rows.find((r) => r.name === 'latentSize')).toEqual({ name: 'latentSize', values: ['8', '32'], differs: true });
    expect(rows.find((r) => r.name === 'activation')?.differs).toBe(false);
    expect(rows.some((r) => r.name === 'klBeta')).toBe(false); // dense trials: no VAE weight
    const vae = { ...b, params: { ...paramsOf(b), architecture: 'variational' as const } };
    expect(paramDiff([a, vae]).find((r) => r.name === 'klBeta')?.values).toEqual(['—', '1']);
  });
});

describe('endedTrialFraction (issue 14 defect 6: a cancelled run kept an endless sliding bar)', () => {
  it('stops a cancelled or failed run\'s bar where it stopped, and fills a completed one', () => {
    expect(endedTrialFraction('CANCELLED', 1, 4)).toBe(0.25);
    expect(endedTrialFraction('FAILED', 0, 4)).toBe(0);
    expect(endedTrialFraction('CANCELLED', 2, null)).toBe(0);
    expect(endedTrialFraction('COMPLETE', 3, 4)).toBe(1);
    expect(endedTrialFraction('PRUNED', 9, 4)).toBe(1);
  });
});
