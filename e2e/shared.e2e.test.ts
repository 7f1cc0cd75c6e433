// End to end on a shared study database, in Chromium over the real HTTP bridge: the app connects to a
// throw-away PostgreSQL cluster, opens a study whose trials a separate `latent-lab worker` process trains
// (data folder X), shows the worker's progress live, and exports a trial the worker trained, from the app's own
// data folder (X's files out of sight: they come from the database). Skipped without PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openStorageAt } from '../src/core/storage/open';
import { Study } from '../src/core/study/study';
import { makeCrashWorld, startCli, type RunningCli } from '../test/helpers/crash';
import { startPgCluster, type PgCluster } from '../test/helpers/pgCluster';
import { buildRenderer, launchChromium, probe, startBridge, staticDirFor, tempDir, viewport, type Bridge } from './harness';

const staticDir = staticDirFor('e2e-renderer-shared');
const STUDY = 'shared-e2e';
const TRIALS = 3;

const cluster: PgCluster | null = await startPgCluster();
let tmp: string;
let url: string;
let bridge: Bridge | null = null;
let browser: Browser;
let page: Page;
let worker: RunningCli | null = null;

if (!cluster) {
  describe.skip('the app on a shared study database (PostgreSQL is not installed: apt-get install postgresql)', () => it('watches and exports', () => {}));
} else {
  beforeAll(async () => {
    tmp = tempDir('latent-lab-e2e-shared-');
    const x = path.join(tmp, 'machine-x');
    await makeCrashWorld(x);
    url = await cluster.createDatabase();
    const storage = await openStorageAt(url);
    try {
      await Study.create(storage, {
        name: STUDY,
        dataset: { path: path.join(x, 'images'), imageSize: 8 },
        searchSpace: {
          params: [
            { name: 'latentSize', type: 'int', low: 2, high: 4 },
            { name: 'hiddenUnits', type: 'fixed', value: [8] },
            { name: 'batchSize', type: 'fixed', value: 8 },
            { name: 'epochs', type: 'fixed', value: 3 },
          ],
        },
        sampler: { type: 'random' },
        pruner: { type: 'nop' },
        budget: { trials: TRIALS },
        seed: 3,
        parallel: 1,
      });
    } finally {
      await storage.close();
    }
    await buildRenderer(staticDir);
    bridge = await startBridge(path.join(tmp, 'app-home'), staticDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport });
  }, 600_000);

  afterAll(async () => {
    if (worker) process.kill(-(worker.child.pid as number), 'SIGKILL');
    await browser?.close();
    await bridge?.close();
    cluster.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('the app on a shared study database', () => {
    it('connects, shows a worker on another data folder live, and exports a trial it trained', { timeout: 600_000 }, async () => {
      if (!bridge) throw new Error('bridge did not start');
      const seen = await probe(page);
      await page.goto(bridge.newLaunchUrl());
      await page.getByTestId('open-connect').click();
      await page.getByTestId('connect-url').fill(url);
      await page.getByTestId('connect-submit').click();
      await page.getByTestId('nav-shared').waitFor({ timeout: 60_000 });
      await page.getByTestId('nav-studies').click();
      await page.getByTestId('studies-shared').waitFor();
      await page.getByTestId(`study-row-${STUDY}`).click();
      const progress = page.getByTestId('study-progress');
      await progress.waitFor({ timeout: 60_000 });
      expect(await progress.getAttribute('data-done')).toBe('0');

      // Another "machine": a worker process with its own data folder.
      const x = path.join(tmp, 'machine-x');
      worker = startCli(x, ['worker', '--storage', url, '--study', STUDY, '--data-dir', 'home-x']);
      // Live: the finished trials arrive one by one without any reload (the page keeps its own counter).
      const counts = new Set<number>();
      await expect
        .poll(
          async () => {
            const done = Number(await progress.getAttribute('data-done'));
            counts.add(done);
            return done;
          },
          { timeout: 300_000, interval: 100 },
        )
        .toBe(TRIALS);
      expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
      expect(await worker.exited, worker.output()).toBe(0);
      worker = null;

      // The worker's files out of sight: the export reads them from the database.
      const trialsDir = path.join(x, 'home-x', 'artifacts');
      const dbFolder = fs.readdirSync(trialsDir).find((d) => d.startsWith('db-')) as string;
      const away = path.join(tmp, 'away');
      fs.renameSync(path.join(trialsDir, dbFolder), away);
      await page.getByTestId('export-best').click();
      const folder = path.join(tmp, 'exports', 'best');
      await page.getByTestId('export-folder').fill(folder);
      await page.getByTestId('export-run').click();
      await page.getByTestId('export-files').waitFor({ timeout: 120_000 });
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { study: { trialNumber: number } };
      const trialFolder = fs.readdirSync(away).find((d) => JSON.parse(fs.readFileSync(path.join(away, d, 'owner.json'), 'utf8')).number === manifest.study.trialNumber) as string;
      expect(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8')).toBe(fs.readFileSync(path.join(away, trialFolder, 'features.csv'), 'utf8'));
      expect(seen.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
      expect(await page.content()).not.toMatch(/password=|:[^@/]+@127/);
    });
  });
}
