// Three `latent-lab worker` processes on one study kept in PostgreSQL (a throw-away cluster): a grid of 30
// tiny trials (1 epoch), and one worker killed with -9 while its trainer is mid-trial. Its trial is FAILED as
// stale by another worker, retried once, and the grid is run exactly once: every point COMPLETE once, numbers
// contiguous, finished trials = budget. Runs from a folder outside the repository.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorageAt } from '../../src/core/storage/open';
import { killGroup, makeCrashWorld, runCli, startCli, waitForStop, type RunningCli } from '../helpers/crash';
import { makeImageFolder } from '../helpers/images';
import { startPgCluster } from '../helpers/pgCluster';

const cluster = await startPgCluster();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-workers-'));
afterAll(() => {
  cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const GRID = 30;

if (!cluster) {
  describe.skip('workers on several machines (PostgreSQL is not installed: apt-get install postgresql)', () => it('share one study', () => {}));
} else {
  describe('workers sharing a study through PostgreSQL', () => {
    it('three workers, one killed mid-trial: no duplicate, the grid run once, finished = budget', { timeout: 600_000 }, async () => {
      await makeCrashWorld(dir);
      const url = await cluster.createDatabase();
      const spec = {
        name: 'shared',
        dataset: { path: 'images', imageSize: 8 },
        searchSpace: {
          params: [
            { name: 'latentSize', type: 'categorical', choices: [2, 3, 4] },
            { name: 'learningRate', type: 'categorical', choices: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01] },
            { name: 'hiddenUnits', type: 'fixed', value: [8] },
            { name: 'batchSize', type: 'fixed', value: 8 },
            { name: 'epochs', type: 'fixed', value: 1 },
          ],
        },
        sampler: { type: 'grid' },
        pruner: { type: 'nop' },
        budget: { trials: GRID },
        seed: 5,
        parallel: 1,
      };
      fs.writeFileSync(path.join(dir, 'shared.json'), JSON.stringify(spec));
      // The study is created by one machine, checked and stored, without running a trial (--dry-run would not store it).
      const storage = await openStorageAt(url);
      const { Study } = await import('../../src/core/study/study');
      await Study.create(storage, { ...spec, dataset: { ...spec.dataset, path: path.join(dir, 'images') } });

      const stopFile = path.join(dir, 'worker0.stopped');
      const worker = (i: number, env: NodeJS.ProcessEnv = {}): RunningCli =>
        startCli(dir, ['worker', '--storage', url, '--study', 'shared', '--data-dir', `home-${i}`], env);
      const killed = worker(0, { LATENT_LAB_TEST_STOP_AT: 'trial.epoch@epoch=1', LATENT_LAB_TEST_STOP_FILE: stopFile });
      await waitForStop(stopFile, killed);
      const others = [worker(1), worker(2)];
      // Worker 0 and its trainer, stopped mid-trial, die at once (as a machine losing power would).
      await killGroup(killed);
      const codes = await Promise.all(others.map((w) => w.exited));
      expect(codes, others.map((w) => w.output()).join('\n----\n')).toEqual([0, 0]);

      const trials = await storage.listTrials({ studyId: (await storage.getStudy('shared'))!.id });
      await storage.close();
      const numbers = trials.map((t) => t.number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i));
      const stale = trials.filter((t) => t.state === 'FAILED');
      expect(stale).toHaveLength(1);
      expect(stale[0].failReason).toMatch(/^stale: its trainer \(pid \d+ on .+\) is gone/);
      const retry = trials.find((t) => t.retryOf === stale[0].id);
      expect(retry).toMatchObject({ state: 'COMPLETE', params: stale[0].params });
      const complete = trials.filter((t) => t.state === 'COMPLETE');
      expect(complete).toHaveLength(GRID);
      expect(new Set(complete.map((t) => JSON.stringify(t.params))).size).toBe(GRID);
      expect(trials).toHaveLength(GRID + 1);
      // Both surviving workers trained: the database shared the work out.
      expect(new Set(complete.map((t) => t.owner?.pid)).size).toBeGreaterThanOrEqual(2);
      // The shared study is read like a local one.
      const shown = runCli(dir, ['show', 'shared', '--storage', url]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/states: .*30 COMPLETE/);
      // A machine whose copy of the images differs is refused before it trains anything.
      await makeImageFolder(path.join(dir, 'other'), ['a', 'b'], 5);
      const refused = runCli(dir, ['worker', '--storage', url, '--study', 'shared', '--data', 'other', '--data-dir', 'home-3']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/The images at .*other are not the study's dataset: 10 images here, 24 in the study's copy/);
    });
  });
}
