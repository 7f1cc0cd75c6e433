// A study whose trials another process trains (a `latent-lab search` in a terminal on the same database) is
// "running elsewhere", not idle: the dashboard must not call it paused. A trial whose trainer is gone does not
// count (resume recovers it), and nothing is changed by asking.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { openStorage } from '../../src/core/storage/sqlite';
import { Study } from '../../src/core/study/study';
import { ownerOf } from '../../src/core/study/trialOwner';
import type { SpawnTrainer } from '../../src/core/trainer/protocol';
import { createAppServices } from '../../src/server/services/appServices';
import type { AnyEvent } from '../../src/server/services/types';
import { eventWaiter } from '../helpers/events';

const idleTrainer: SpawnTrainer = () => ({ send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-elsewhere-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('a study trained by another process', () => {
  it('is "elsewhere" while that process lives, idle once it is gone, and asking changes no trial', async () => {
    const home = path.join(tmp, 'home');
    const locations = resolveLocations({ dataDir: home });
    fs.mkdirSync(home, { recursive: true });
    const other = openStorage(locations.dbPath, { create: true });
    const study = await Study.create(other, {
      name: 'terminal-study',
      dataset: { path: tmp, imageSize: 8 },
      searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 4 }] },
      sampler: { type: 'random' },
      budget: { trials: 4 },
    });
    const worker = liveProcess();
    const trial = await other.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 1, datasetPath: tmp, owner: ownerOf(worker.pid as number) });

    const services = await createAppServices({ mode: 'browser', locations, spawnTrainer: idleTrainer });
    try {
      const h = services.handlers;
      expect((await h['studies.get']({ name: 'terminal-study' })).state).toBe('elsewhere');
      expect((await h['studies.list']({})).map((s) => [s.name, s.state])).toEqual([['terminal-study', 'elsewhere']]);

      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGKILL');
      await exited;
      const detail = await h['studies.get']({ name: 'terminal-study' });
      expect(detail.state).toBe('idle');
      // Only reading: the gone trainer's trial is still RUNNING until a resume (or a worker) recovers it.
      expect(detail.trials.map((t) => [t.id, t.state])).toEqual([[trial.id, 'RUNNING']]);

      // Recovered (failed as stale, queued once more): the budget is used, but the queued retry is work left.
      await Study.load(other, 'terminal-study').then((s) => s.recoverStale());
      const one = await Study.create(other, { ...study.spec, name: 'one-trial', budget: { trials: 1 } });
      const gone = await other.createTrial(one.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 1, datasetPath: tmp, owner: ownerOf(worker.pid as number) });
      await one.recoverStale();
      const queued = await h['studies.get']({ name: 'one-trial' });
      expect(queued.trials.map((t) => [t.state, t.retryOf])).toEqual([['FAILED', null], ['WAITING', gone.id]]);
      expect(queued.state).toBe('idle');
      await other.setTrialValues(queued.trials[1].id, [0.1]);
      await other.setTrialState(queued.trials[1].id, 'COMPLETE');
      expect((await h['studies.get']({ name: 'one-trial' })).state).toBe('finished');
    } finally {
      await services.dispose();
      await other.close();
    }
  });

  it('is shown live: epochs, reconstructions and the end of a trial another process trains in the same file', { timeout: 60_000 }, async () => {
    const home = path.join(tmp, 'home-live');
    const locations = resolveLocations({ dataDir: home });
    fs.mkdirSync(home, { recursive: true });
    const terminal = openStorage(locations.dbPath, { create: true });
    const study = await Study.create(terminal, {
      name: 'terminal-live',
      dataset: { path: tmp, imageSize: 8 },
      searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 4 }] },
      sampler: { type: 'random' },
      budget: { trials: 4 },
    });
    const worker = liveProcess();
    const trial = await terminal.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 1, datasetPath: tmp, owner: ownerOf(worker.pid as number) });
    await terminal.reportStep(trial.id, 1, { trainLoss: 1, valLoss: 1, valMse: 1 });

    const services = await createAppServices({ mode: 'browser', locations, spawnTrainer: idleTrainer });
    const seen: AnyEvent[] = [];
    services.subscribe((e) => seen.push(e));
    const waitFor = eventWaiter(() => services, seen);
    try {
      // The dashboard opens it: from then on what the terminal's search stores reaches the page as events.
      expect((await services.handlers['studies.get']({ name: 'terminal-live' })).state).toBe('elsewhere');
      await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === trial.id && e.payload.metrics.epoch === 1, 10_000);
      await terminal.reportStep(trial.id, 2, { trainLoss: 0.5, valLoss: 0.5, valMse: 0.5 });
      await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === trial.id && e.payload.metrics.epoch === 2, 10_000);
      const png = 'data:image/png;base64,iVBORw0KGgo=';
      await terminal.liveViews?.putReconstructions(trial.id, { trialId: trial.id, epoch: 2, originals: [png], reconstructions: [png] });
      const rec = await waitFor((e) => e.event === 'trial.reconstructions' && e.payload.trialId === trial.id, 10_000);
      expect(rec.payload).toEqual({ trialId: trial.id, epoch: 2, originals: [png], reconstructions: [png] });
      expect(await services.handlers['trials.reconstructions']({ trialId: trial.id })).toEqual(rec.payload);
      // Its last epoch and its end, in that order.
      await terminal.reportStep(trial.id, 3, { trainLoss: 0.25, valLoss: 0.25, valMse: 0.25 });
      await terminal.setTrialValues(trial.id, [0.25]);
      await terminal.setTrialState(trial.id, 'COMPLETE');
      const done = await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === trial.id && e.payload.state === 'COMPLETE', 10_000);
      const epochs = seen.flatMap((e) => (e.event === 'trial.epoch' && e.payload.trialId === trial.id ? [e.payload.metrics.epoch] : []));
      expect(epochs).toEqual([1, 2, 3]);
      expect(seen.indexOf(done)).toBeGreaterThan(seen.findIndex((e) => e.event === 'trial.epoch' && e.payload.metrics.epoch === 3));
      await waitFor((e) => e.event === 'study.progress' && e.payload.studyName === 'terminal-live' && e.payload.running === 0 && e.payload.bestTrialId === trial.id, 10_000);
      // Watching wrote nothing: the trial is as the terminal left it.
      expect(await terminal.getTrial(trial.id)).toMatchObject({ state: 'COMPLETE', values: [0.25] });
    } finally {
      await services.dispose();
      await terminal.close();
    }
  });
});
