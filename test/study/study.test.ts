// Study logic with a synthetic objective (no training), against the in-memory, SQLite and PostgreSQL storages.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStorage, openStorage, type Storage, type TrialOwner } from '../../src/core/storage';
import { Study, StudyError } from '../../src/core/study/study';
import { runWorkerLoop, type TrialRunner } from '../../src/core/study/workerLoop';
import { openStorageAt } from '../../src/core/storage/open';
import { startPgCluster } from '../helpers/pgCluster';
import type { StudySpecInput } from '../../src/shared/study/spec';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-study-'));

/** A process of this host that has exited: an owner that is gone. */
function deadOwner(): TrialOwner {
  const r = spawnSync(process.execPath, ['-e', '']);
  return { host: os.hostname(), pid: r.pid as number, start: 'linux:gone:1' };
}
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const baseSpec = (over: Partial<StudySpecInput> = {}): StudySpecInput => ({
  name: 'quad',
  dataset: { path: '/data' },
  searchSpace: {
    params: [
      { name: 'x', type: 'float', low: -5, high: 5 },
      { name: 'y', type: 'float', low: -5, high: 5 },
    ],
  },
  sampler: { type: 'random' },
  pruner: { type: 'nop' },
  budget: { trials: 8 },
  seed: 3,
  ...over,
});

/** A synthetic trial: 3 "epochs" approaching (x-1)^2 + (y+2)^2, recorded like runTrial records. */
function quadraticRunner(study: Study, opts: { delayMs?: number } = {}): TrialRunner {
  return async ({ trialId, params, shouldPrune }) => {
    const x = Number(params.x ?? 0);
    const y = Number(params.y ?? 0);
    const final = (x - 1) ** 2 + (y + 2) ** 2;
    for (let step = 1; step <= 3; step++) {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const value = final + (3 - step);
      await study.storage.reportStep(trialId, step, { valLoss: value }, value);
      if (await shouldPrune(step, value)) return await study.tell(trialId, 'PRUNED', null, `pruned at ${step}`);
    }
    await study.tell(trialId, 'COMPLETE', [final]);
  };
}

// PostgreSQL when it is installed (a throw-away cluster; .ci/run installs it), else those cases are skipped.
const cluster = await startPgCluster();
afterAll(() => cluster?.stop());

const storages: Array<[string, () => Storage | Promise<Storage>]> = [
  ['memory', () => createMemoryStorage()],
  ['sqlite', () => openStorage(path.join(tmp, `${Math.random().toString(36).slice(2)}.sqlite`), { create: true })],
  ...(cluster ? [['postgresql', async () => openStorageAt(await cluster.createDatabase())] as [string, () => Promise<Storage>]] : []),
];
if (!cluster) describe.skip('studies on postgresql storage (PostgreSQL is not installed: apt-get install postgresql)', () => it('runs the study cases', () => {}));

describe.each(storages)('studies on %s storage', (_name, make) => {
  it('runs to the trial budget and records values', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec());
    expect(await runWorkerLoop({ study, runTrial: quadraticRunner(study) })).toBe('budget');
    const trials = await storage.listTrials({ studyId: study.id });
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(trials.every((t) => t.state === 'COMPLETE' && typeof t.values[0] === 'number')).toBe(true);
    await storage.close();
  });

  it('never duplicates a study, and explains an invalid spec by field', async () => {
    const storage = await make();
    await Study.create(storage, baseSpec());
    await expect(Study.create(storage, baseSpec())).rejects.toThrow(/already exists: resume it/);
    const bad = () => Study.create(storage, baseSpec({ name: 'bad', budget: {} as never }));
    await expect(bad()).rejects.toThrow(StudyError);
    await expect(bad()).rejects.toThrow(/budget/);
    await expect(Study.create(storage, baseSpec({ name: 'bad2', searchSpace: { params: [{ name: 'x', type: 'float', low: 5, high: 1 }] } }))).rejects.toThrow(/x/);
    await expect(Study.load(storage, 'nope')).rejects.toThrow(/No study named "nope"; known studies: quad/);
    await storage.close();
  });

  it('says once when a worker starts waiting for another worker\'s last trial, and stops when that one ends', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'waits', budget: { trials: 2 } }));
    let release = (): void => {};
    const held = new Promise<void>((r) => (release = r));
    const quick = quadraticRunner(study);
    // Worker A's trial runs until released; worker B finishes its own at once and then has nothing to run.
    const slow: TrialRunner = async (input) => {
      await held;
      await quick(input);
    };
    let aStarted = (): void => {};
    const aRunning = new Promise<void>((r) => (aStarted = r));
    const a = runWorkerLoop({ study, runTrial: slow, onTrialStart: () => aStarted() });
    await aRunning;
    let waits = 0;
    let finished = 0;
    const b = runWorkerLoop({
      study,
      runTrial: quick,
      waitMs: 5,
      onWait: () => {
        waits++;
        // Let B ask a few more times while A still runs, then let A finish.
        setTimeout(release, 40);
      },
      onTrialFinished: () => finished++,
    });
    expect(await b).toBe('budget');
    expect(await a).toBe('budget');
    expect(waits).toBe(1);
    expect(finished).toBe(1);
    await storage.close();
  });

  it('runs enqueued (manual) configurations first, with their exact values', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ enqueue: [{ x: 1, y: -2 }, { x: 0, y: 0 }], budget: { trials: 4 } }));
    await runWorkerLoop({ study, runTrial: quadraticRunner(study) });
    const trials = await storage.listTrials({ studyId: study.id });
    expect(trials.slice(0, 2).map((t) => t.params)).toEqual([{ x: 1, y: -2 }, { x: 0, y: 0 }]);
    expect(trials[0].values[0]).toBe(0);
    expect(trials).toHaveLength(4);
    await storage.close();
  });

  it('stops cleanly when a grid is exhausted, and a resumed study continues the grid and the numbering', async () => {
    const storage = await make();
    const spec = baseSpec({
      name: 'grid',
      sampler: { type: 'grid' },
      searchSpace: { params: [{ name: 'x', type: 'categorical', choices: [8, 16, 32] }, { name: 'y', type: 'categorical', choices: [0.01, 0.001] }] },
      budget: { trials: 100 },
    });
    const first = await Study.create(storage, spec);
    // Pause while a trial runs: it finishes normally and no new trial starts.
    const pause = new AbortController();
    expect(await runWorkerLoop({ study: first, runTrial: quadraticRunner(first, { delayMs: 1 }), pause: pause.signal, onTrialStart: () => pause.abort() })).toBe('paused');
    expect((await storage.listTrials({ studyId: first.id })).map((t) => t.state)).toEqual(['COMPLETE']);
    const abort = new AbortController();
    let seen = 0;
    await runWorkerLoop({ study: first, runTrial: quadraticRunner(first), signal: abort.signal, onTrialFinished: () => ++seen === 2 && abort.abort() });
    expect(await storage.listTrials({ studyId: first.id })).toHaveLength(3);
    const resumed = await Study.load(storage, 'grid');
    expect(await runWorkerLoop({ study: resumed, runTrial: quadraticRunner(resumed) })).toBe('exhausted');
    const trials = await storage.listTrials({ studyId: first.id });
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(6);
    expect((await storage.listStudies()).filter((s) => s.name === 'grid')).toHaveLength(1);
    await storage.close();
  });

  it('fails a trial whose owner process is gone as stale at once, and retries it once, linked to the original', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'stale' }));
    const asked = await study.ask(deadOwner());
    if (typeof asked === 'string') throw new Error('expected a trial');
    // No waiting for a heartbeat to age: the owner's process is checked directly.
    const recovered = await study.recoverStale();
    expect(recovered.map((r) => r.failed.id)).toEqual([asked.trialId]);
    expect(await storage.getTrial(asked.trialId)).toMatchObject({ state: 'FAILED' });
    expect((await storage.getTrial(asked.trialId))?.failReason).toMatch(/^stale: its trainer \(pid \d+ on .+\) is gone/);
    expect(recovered[0].retry).toMatchObject({ state: 'WAITING', retryOf: asked.trialId, number: 1 });
    const retry = await study.ask(deadOwner());
    if (typeof retry === 'string') throw new Error('expected the retry');
    expect(retry).toMatchObject({ retryOf: asked.trialId, params: asked.params, number: 1 });
    // The retry going stale too is failed but not retried again.
    const again = await study.recoverStale();
    expect(again.map((r) => [r.failed.id, r.retry])).toEqual([[retry.trialId, null]]);
    expect(await storage.listTrials({ studyId: study.id, states: ['WAITING'] })).toHaveLength(0);
    // A failed-and-retried trial does not count against the budget.
    expect(await study.countedTrials()).toBe(1);
    await storage.close();
  });

  it('keeps a trial whose owner lives, and judges other hosts by their heartbeat', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'alive' }));
    const mine = await study.ask();
    const remote = await study.ask({ host: 'another-machine', pid: process.pid, start: 'none' });
    if (typeof mine === 'string' || typeof remote === 'string') throw new Error('expected trials');
    expect(await study.recoverStale()).toEqual([]);
    // A heartbeat older than the limit: only the other host's trial is stale; this process is alive.
    const stale = await study.recoverStale(-1000);
    expect(stale.map((r) => r.failed.id)).toEqual([remote.trialId]);
    expect(stale[0].why).toMatch(/^no heartbeat since .* from pid \d+ on another-machine$/);
    expect((await storage.getTrial(mine.trialId))?.state).toBe('RUNNING');
    await storage.close();
  });

  it('recovers dead owners before judging the budget, and waits while live trials of others run', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'budget', budget: { trials: 2 } }));
    const first = await study.ask();
    if (typeof first === 'string') throw new Error('expected a trial');
    await study.tell(first.trialId, 'COMPLETE', [1]);
    const killed = await study.ask(deadOwner());
    if (typeof killed === 'string') throw new Error('expected a trial');
    // The killed trial does not use up the budget: the next ask fails it and hands out its retry.
    const retry = await study.ask();
    expect(retry).toMatchObject({ retryOf: killed.trialId });
    expect((await storage.getTrial(killed.trialId))?.failReason).toMatch(/^stale: /);
    // The budget is reached while the retry runs (owned by a live process): another worker waits.
    expect(await study.ask()).toBe('wait');
    if (typeof retry === 'string') throw new Error('expected the retry');
    await study.tell(retry.trialId, 'COMPLETE', [2]);
    expect(await study.ask()).toBe('budget');
    await storage.close();
  });

  it('never leaves a study without its queued configurations', async () => {
    const storage = await make();
    const failingView = (base: Storage): Storage =>
      new Proxy(base, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (key === 'createTrial') return () => { throw new Error('disk full'); };
          // The transaction's own view fails the same way.
          if (key === 'exclusive') return (fn: (tx: Storage) => Promise<unknown>, lock?: { studyId: number }) => target.exclusive((tx) => fn(failingView(tx)), lock);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const failing = failingView(storage);
    await expect(Study.create(failing, baseSpec({ name: 'queued', enqueue: [{ x: 1, y: 1 }] }))).rejects.toThrow(/disk full/);
    if (storage.path !== ':memory:') expect(await storage.getStudy('queued')).toBeNull();
    await storage.close();
  });

  it('turns a runner error into a FAILED trial and goes on', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'err', budget: { trials: 3 } }));
    let n = 0;
    const good = quadraticRunner(study);
    await runWorkerLoop({
      study,
      runTrial: async (input) => {
        if (n++ === 1) throw new Error('out of memory in the trainer');
        await good(input);
      },
    });
    expect((await storage.listTrials({ studyId: study.id })).map((t) => t.state)).toEqual(['COMPLETE', 'FAILED', 'COMPLETE']);
    expect((await storage.listTrials({ studyId: study.id }))[1].failReason).toBe('out of memory in the trainer');
    await storage.close();
  });

  it('prunes through the pruning bridge', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'prune', pruner: { type: 'median', startupTrials: 2, warmupSteps: 0 }, budget: { trials: 12 } }));
    await runWorkerLoop({ study, runTrial: quadraticRunner(study) });
    const states = (await storage.listTrials({ studyId: study.id })).map((t) => t.state);
    expect(states.slice(0, 2)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(states).toContain('PRUNED');
    await storage.close();
  });

  it('shares a study between concurrent workers without duplicate numbers or going over budget', async () => {
    const storage = await make();
    const study = await Study.create(storage, baseSpec({ name: 'par', sampler: { type: 'tpe' }, budget: { trials: 9 } }));
    const runner = quadraticRunner(study, { delayMs: 2 });
    await Promise.all([0, 1, 2].map(async () => runWorkerLoop({ study: await Study.load(storage, 'par'), runTrial: runner })));
    const trials = await storage.listTrials({ studyId: study.id });
    expect(trials).toHaveLength(9);
    expect(new Set(trials.map((t) => t.number)).size).toBe(9);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(9);
    await storage.close();
  });
});

describe('best trial', () => {
  it('is judged by the primary objective and its direction', async () => {
    const storage = createMemoryStorage();
    const study = await Study.create(storage, baseSpec({ name: 'multi', objectives: [{ name: 'val_recon' }, { name: 'val_accuracy' }], primaryObjective: 1 }));
    const tell = async (values: number[]) => {
      const t = await study.ask();
      if (typeof t === 'string') throw new Error('expected a trial');
      await study.tell(t.trialId, 'COMPLETE', values);
      return t.trialId;
    };
    await tell([0.01, 0.5]);
    const best = await tell([0.05, 0.9]);
    await tell([0.02, 0.7]);
    expect(study.directions).toEqual(['minimize', 'maximize']);
    expect((await study.bestTrial())?.id).toBe(best);
    await storage.close();
  });
});

describe('reproducibility', () => {
  it.each(['random', 'tpe'] as const)('the same spec and seed propose the same parameters (%s)', async (type) => {
    const run = async (name: string, seed: number) => {
      const storage = createMemoryStorage();
      const study = await Study.create(storage, baseSpec({ name, seed, sampler: { type }, budget: { trials: 14 } }));
      await runWorkerLoop({ study, runTrial: quadraticRunner(study) });
      return (await storage.listTrials({ studyId: study.id })).map((t) => t.params);
    };
    const a = await run('a', 11);
    expect(await run('b', 11)).toEqual(a);
    expect(await run('c', 12)).not.toEqual(a);
  });
});
