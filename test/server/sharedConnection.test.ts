// The app connects to a shared study database (a throw-away PostgreSQL cluster): storage.connect switches every
// service to it, the studies of that database are listed, trials another process writes arrive as live events
// (LISTEN), passwords are never returned or put in a message, a failed connect leaves the connection as it
// was, and disconnect goes back to the local database. A trial whose worker is gone without a word (kill -9 on
// this host, or no heartbeat from another machine) is failed as stale by the watching app, not shown running
// forever.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { openStorageAt } from '../../src/core/storage/open';
import { STALE_HEARTBEAT_MS, Study } from '../../src/core/study/study';
import { ownerOf } from '../../src/core/study/trialOwner';
import type { FromTrainer, SpawnTrainer } from '../../src/core/trainer/protocol';
import { createAppServices } from '../../src/server/services/appServices';
import type { AnyEvent } from '../../src/server/services/types';
import { eventWaiter } from '../helpers/events';
import { makeImageFolder } from '../helpers/images';
import { startPgCluster } from '../helpers/pgCluster';

const idleTrainer: SpawnTrainer = () => ({ send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });
const cluster = await startPgCluster();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-shared-connect-'));
afterAll(() => {
  cluster?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

if (!cluster) {
  describe.skip('the app on a shared study database (PostgreSQL is not installed: apt-get install postgresql)', () => it('connects', () => {}));
} else {
  describe('the app on a shared study database', () => {
    it('connect, list, live updates from another process, masked passwords, disconnect', { timeout: 180_000 }, async () => {
      const images = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 3);
      const url = await cluster.createDatabase();
      const elsewhere = await openStorageAt(url);
      const study = await Study.create(elsewhere, {
        name: 'remote-study',
        dataset: { path: images, imageSize: 8 },
        searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 4 }] },
        sampler: { type: 'random' },
        budget: { trials: 3 },
      });

      const services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.join(tmp, 'home') }), spawnTrainer: idleTrainer });
      const seen: AnyEvent[] = [];
      services.subscribe((e) => seen.push(e));
      const waitFor = eventWaiter(() => services, seen);
      try {
        const h = services.handlers;
        expect(await h['storage.current']({})).toMatchObject({ kind: 'local', host: null, credentials: 'memory', saved: [] });
        expect(await h['studies.list']({})).toEqual([]);

        const withSecret = url.replace('postgres@', 'postgres:s3cret@');
        const info = await h['storage.connect']({ url: withSecret, remember: true });
        expect(info).toMatchObject({ kind: 'shared', location: url, credentials: 'memory', saved: [url], liveUpdates: true });
        expect(info.host).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(JSON.stringify(info)).not.toContain('s3cret');
        expect((await h['studies.list']({})).map((s) => s.name)).toEqual(['remote-study']);

        // Another machine's worker trains a trial: its epoch and its end reach the app as live events.
        const trial = await elsewhere.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 1, datasetPath: images, owner: { host: 'far', pid: 1, start: 'x' } });
        await elsewhere.reportStep(trial.id, 1, { loss: 0.5, valLoss: 0.4, valMse: 0.4 }, 0.4);
        const epoch = await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === trial.id, 20_000);
        expect(epoch.payload).toMatchObject({ trialId: trial.id, metrics: { epoch: 1 } });
        await waitFor((e) => e.event === 'study.progress' && e.payload.studyName === 'remote-study' && e.payload.running === 1 && e.payload.state === 'elsewhere', 20_000);
        expect((await h['studies.get']({ name: 'remote-study' })).state).toBe('elsewhere');
        await elsewhere.setTrialValues(trial.id, [0.4]);
        await elsewhere.setTrialState(trial.id, 'COMPLETE');
        await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === trial.id && e.payload.state === 'COMPLETE', 20_000);
        await waitFor((e) => e.event === 'study.progress' && e.payload.studyName === 'remote-study' && e.payload.running === 0 && e.payload.bestTrialId === trial.id && e.payload.state === 'idle', 20_000);

        // A server that does not answer: one message naming it without the password; the connection stays.
        const failed = await h['storage.connect']({ url: 'postgresql://ann:topsecret@127.0.0.1:1/none', remember: false }).catch((e: unknown) => e);
        expect(failed).toMatchObject({ code: 'DB_SERVER_UNREACHABLE' });
        expect((failed as Error).message).toContain('postgresql://ann@127.0.0.1:1/none');
        expect((failed as Error).message).not.toContain('topsecret');
        expect(await h['storage.current']({})).toMatchObject({ kind: 'shared', location: url });
        await expect(h['storage.connect']({ url: 'trials.sqlite', remember: false })).rejects.toMatchObject({ code: 'DB_URL_INVALID' });

        expect(await h['storage.disconnect']({})).toMatchObject({ kind: 'local', host: null, saved: [url] });
        expect(await h['studies.list']({})).toEqual([]);
        // The saved password (memory, this process) is used when the address is given without one.
        expect(await h['storage.connect']({ url, remember: false })).toMatchObject({ kind: 'shared' });
      } finally {
        await services.dispose();
        await elsewhere.close();
      }
    });

    it("relays other machines' trials and their live reconstructions while this window trains the same study", { timeout: 180_000 }, async () => {
      const images = await makeImageFolder(path.join(tmp, 'imgs-beside'), ['a', 'b'], 3);
      const url = await cluster.createDatabase();
      const elsewhere = await openStorageAt(url);
      const study = await Study.create(elsewhere, {
        name: 'beside',
        dataset: { path: images, imageSize: 8 },
        searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 4 }] },
        sampler: { type: 'random' },
        budget: { trials: 10 },
        parallel: 1,
      });
      // This window's trainer: it trains nothing here, but says which trial it started, as a real one does.
      const toSupervisor: Array<(m: FromTrainer) => void> = [];
      const ownTrainer: SpawnTrainer = () => ({ send: () => undefined, onMessage: (l) => toSupervisor.push(l), onExit: () => undefined, kill: () => undefined });
      const services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.join(tmp, 'home-beside') }), spawnTrainer: ownTrainer });
      const seen: AnyEvent[] = [];
      services.subscribe((e) => seen.push(e));
      const waitFor = eventWaiter(() => services, seen);
      try {
        const h = services.handlers;
        await h['storage.connect']({ url, remember: false });
        // "Train here too": the study runs in this window as well.
        await h['study.resume']({ name: 'beside' });
        expect((await h['studies.get']({ name: 'beside' })).state).toBe('running');
        const ours = await elsewhere.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 2 }, seed: 1, datasetPath: images, owner: { host: 'here', pid: 1, start: 'x' } });
        for (const l of toSupervisor) l({ type: 'study.trialStarted', payload: { studyName: 'beside', trialId: ours.id, number: ours.number, worker: 0 } });
        const far = await elsewhere.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 2, datasetPath: images, owner: { host: 'far', pid: 1, start: 'x' } });
        await elsewhere.reportStep(ours.id, 1, { trainLoss: 1, valLoss: 1, valMse: 1 });
        await elsewhere.reportStep(far.id, 1, { trainLoss: 1, valLoss: 1, valMse: 1 });
        const png = 'data:image/png;base64,iVBORw0KGgo=';
        await elsewhere.liveViews?.putReconstructions(far.id, { trialId: far.id, epoch: 1, originals: [png], reconstructions: [png] });
        // The other machine's trial: its epoch and its reconstructions, as for a study run only elsewhere.
        await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === far.id, 20_000);
        const rec = await waitFor((e) => e.event === 'trial.reconstructions' && e.payload.trialId === far.id, 20_000);
        expect(rec.payload).toEqual({ trialId: far.id, epoch: 1, originals: [png], reconstructions: [png] });
        // The study's progress counts both running trials, ours and the other machine's.
        await waitFor((e) => e.event === 'study.progress' && e.payload.studyName === 'beside' && e.payload.state === 'running' && e.payload.running === 2, 20_000);
        // A window opened now reads them from the database.
        expect(await h['trials.reconstructions']({ trialId: far.id })).toEqual(rec.payload);
        // This window's own trial reports itself through its trainer: not a second time from the database.
        await elsewhere.reportStep(far.id, 2, { trainLoss: 0.5, valLoss: 0.5, valMse: 0.5 });
        await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === far.id && e.payload.metrics.epoch === 2, 20_000);
        expect(seen.filter((e) => e.event.startsWith('trial.') && 'trialId' in e.payload && e.payload.trialId === ours.id)).toEqual([]);
        // Pausing here: a change heard from the other machine keeps saying so, it does not clear the message.
        await h['study.cancel']({ name: 'beside', when: 'afterRunning' });
        const mark = seen.length;
        await elsewhere.reportStep(far.id, 3, { trainLoss: 0.25, valLoss: 0.25, valMse: 0.25 });
        await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === far.id && e.payload.metrics.epoch === 3, 20_000);
        const after = await waitFor((e) => seen.indexOf(e) >= mark && e.event === 'study.progress' && e.payload.studyName === 'beside', 20_000);
        expect(after.payload).toMatchObject({ state: 'running', running: 2, message: 'Pausing: 1 running trial(s) will finish; no new trial starts.' });
      } finally {
        await services.dispose();
        await elsewhere.close();
      }
    });

    it('sends every epoch another process stores, and fails a trial whose worker is gone as stale', { timeout: 180_000 }, async () => {
      const images = await makeImageFolder(path.join(tmp, 'imgs-stale'), ['a', 'b'], 3);
      const url = await cluster.createDatabase();
      const elsewhere = await openStorageAt(url);
      const study = await Study.create(elsewhere, {
        name: 'watched',
        dataset: { path: images, imageSize: 8 },
        searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 4 }] },
        sampler: { type: 'random' },
        budget: { trials: 5 },
      });
      // A process of this host that is gone (killed), and a worker on another machine.
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const deadHere = ownerOf(child.pid as number);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const far = { host: 'far-away-host', pid: 1, start: 'x' };
      const trial = (owner: typeof far) => elsewhere.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 1, datasetPath: images, owner });

      const services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.join(tmp, 'home-stale') }), spawnTrainer: idleTrainer });
      const seen: AnyEvent[] = [];
      services.subscribe((e) => seen.push(e));
      const waitFor = eventWaiter(() => services, seen);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        await services.handlers['storage.connect']({ url, remember: false });
        const killed = await trial(deadHere);
        const silent = await trial(far);
        const alive = await trial(far);
        // Several epochs within one refresh of the app: each one arrives, in order.
        for (let e = 1; e <= 4; e++) await elsewhere.reportStep(killed.id, e, { trainLoss: 1 / e, valLoss: 1 / e, valMse: 1 / e });
        await elsewhere.reportStep(silent.id, 1, { trainLoss: 1, valLoss: 1, valMse: 1 });
        await elsewhere.reportStep(alive.id, 1, { trainLoss: 1, valLoss: 1, valMse: 1 });
        await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === killed.id && e.payload.metrics.epoch === 4, 20_000);
        expect(seen.flatMap((e) => (e.event === 'trial.epoch' && e.payload.trialId === killed.id ? [e.payload.metrics.epoch] : []))).toEqual([1, 2, 3, 4]);
        // The far worker went silent: its last heartbeat is older than the limit, by the database's clock.
        await db.query(`UPDATE trials SET heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1`, [silent.id, STALE_HEARTBEAT_MS / 1000 + 30]);

        const failed = async (id: number) => (await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === id && e.payload.state === 'FAILED', 60_000)).payload;
        expect(await failed(killed.id)).toMatchObject({ reason: expect.stringMatching(new RegExp(`^stale: its trainer \\(pid ${deadHere.pid} on .+\\) is gone`)) });
        expect(await failed(silent.id)).toMatchObject({ reason: expect.stringMatching(/^stale: no heartbeat since .+ from pid 1 on far-away-host/) });
        const stored = await elsewhere.listTrials({ studyId: study.id });
        expect(stored.filter((t) => t.retryOf === null).map((t) => [t.id, t.state])).toEqual([
          [killed.id, 'FAILED'],
          [silent.id, 'FAILED'],
          [alive.id, 'RUNNING'],
        ]);
        // Each queued once more for the next worker.
        const retries = stored.filter((t) => t.retryOf !== null).sort((a, b) => (a.retryOf as number) - (b.retryOf as number));
        expect(retries.map((t) => [t.state, t.retryOf])).toEqual([
          ['WAITING', killed.id],
          ['WAITING', silent.id],
        ]);
        expect((await elsewhere.getMetrics(killed.id)).length).toBe(4);
        await waitFor((e) => e.event === 'study.progress' && e.payload.studyName === 'watched' && e.payload.running === 1 && e.payload.state === 'elsewhere', 20_000);
        expect((await services.handlers['studies.get']({ name: 'watched' })).state).toBe('elsewhere');
      } finally {
        await db.end();
        await services.dispose();
        await elsewhere.close();
      }
    });
  });
}
