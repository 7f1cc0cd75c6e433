// End to end on a shared study database, in Chromium over the real HTTP bridge: the app connects to a
// throw-away PostgreSQL cluster, opens a study whose trials a separate `latent-lab worker` process trains
// (data folder X), shows the worker's progress live, and exports a trial the worker trained, from the app's own
// data folder (X's files out of sight: they come from the database). Then a second study whose one trial is long
// enough to watch: its card counts the worker's epochs live, and after the worker is killed -9 it says the trial
// failed as stale (as the database's rules decide), with the finished trials of the first study untouched.
// Skipped without PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openStorageAt } from '../src/core/storage/open';
import { Study } from '../src/core/study/study';
import type { Storage } from '../src/core/storage/types';
import { LIVE_RECONSTRUCTIONS_KEY } from '../src/core/storage/types';
import { killGroup, makeCrashWorld, startCli, type RunningCli } from '../test/helpers/crash';
import { startPgCluster, type PgCluster } from '../test/helpers/pgCluster';
import { buildRenderer, launchChromium, probe, startBridge, staticDirFor, tempDir, viewport, waitForWrite, type Bridge } from './harness';

const staticDir = staticDirFor('e2e-renderer-shared');
const STUDY = 'shared-e2e';
const TRIALS = 3;
/** The watched study: one trial of many epochs (each a few tens of ms here), killed long before its end. */
const LIVE = 'shared-e2e-live';
const LIVE_EPOCHS = 5000;

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
      await Study.create(storage, {
        name: LIVE,
        dataset: { path: path.join(x, 'images'), imageSize: 8 },
        searchSpace: {
          params: [
            { name: 'latentSize', type: 'fixed', value: 2 },
            { name: 'hiddenUnits', type: 'fixed', value: [8] },
            { name: 'batchSize', type: 'fixed', value: 8 },
            { name: 'epochs', type: 'fixed', value: LIVE_EPOCHS },
          ],
        },
        sampler: { type: 'random' },
        pruner: { type: 'nop' },
        budget: { trials: 1 },
        seed: 4,
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
      await waitForWrite(page.getByTestId('export-best-card'), { files: 'export-files', error: 'export-error' }, 120_000);
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { study: { trialNumber: number } };
      const trialFolder = fs.readdirSync(away).find((d) => JSON.parse(fs.readFileSync(path.join(away, d, 'owner.json'), 'utf8')).number === manifest.study.trialNumber) as string;
      expect(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8')).toBe(fs.readFileSync(path.join(away, trialFolder, 'features.csv'), 'utf8'));
      expect(seen.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
      expect(await page.content()).not.toMatch(/password=|:[^@/]+@127/);
    });

    it('shows a trial another process trains live, and a kill -9 of that worker as a stale failure', { timeout: 300_000 }, async () => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
      });
      page.on('pageerror', (e) => {
        errors.push(`pageerror: ${e.message}`);
      });
      const x = path.join(tmp, 'machine-x');
      const finishedBefore = await withStorage((s) => finishedTrials(s, STUDY));
      expect(finishedBefore.length).toBe(TRIALS);

      await page.getByTestId('nav-studies').click();
      await page.getByTestId('studies-back').click();
      await page.getByTestId(`study-row-${LIVE}`).click();
      await page.locator(`[data-testid="study-dashboard"][data-study="${LIVE}"] [data-testid="study-progress"]`).waitFor({ timeout: 60_000 });
      worker = startCli(x, ['worker', '--storage', url, '--study', LIVE, '--data-dir', 'home-x']);
      const running = worker;

      // The card of the worker's trial: RUNNING, its epoch counter and curve advancing without a reload.
      const card = page.getByTestId('live-trial-0');
      const epoch = async (): Promise<number> => Number((await card.getAttribute('data-epoch', { timeout: 1_000 }).catch(() => null)) || 0);
      const points = async (): Promise<number> => Number(await card.getByTestId('live-trial-chart').getAttribute('data-points'));
      await expect.poll(epoch, { timeout: 240_000, interval: 200 }).toBeGreaterThan(0);
      expect(await card.getAttribute('data-state'), running.output()).toBe('RUNNING');
      const first = await epoch();
      const firstPoints = await points();
      await expect.poll(epoch, { timeout: 120_000, interval: 200 }).toBeGreaterThan(first);
      // The chart redraws just after the card's epoch attribute changes.
      await expect.poll(points, { timeout: 30_000, interval: 200 }).toBeGreaterThan(firstPoints);
      const bar = card.getByTestId('live-trial-progress');
      const [, shown, planned] = /^Epoch (\d+) of (\d+)$/.exec((await bar.getByRole('progressbar').getAttribute('aria-label')) ?? '') ?? [];
      expect(Number(planned)).toBe(LIVE_EPOCHS);
      expect(Number(shown)).toBeGreaterThan(first);
      // Samples per second and the ETA from its seconds per epoch (the worker's own figures).
      expect(await bar.textContent()).toMatch(/samples\/s · \S/);
      await expect.poll(() => page.getByTestId('study-progress').getAttribute('data-running')).toBe('1');
      // The study reads "running elsewhere" (not idle, not paused); this window can add trainers, not pause.
      const dashboard = page.locator(`[data-testid="study-dashboard"][data-study="${LIVE}"]`);
      await expect.poll(() => dashboard.getAttribute('data-state'), { timeout: 30_000 }).toBe('elsewhere');
      expect(await page.getByTestId('study-paused-note').count()).toBe(0);
      expect(await page.getByTestId('study-pause').count()).toBe(0);
      expect(await page.getByTestId('study-resume').textContent()).toContain('Train here too');

      // Its reconstructions too, as the worker makes them (every LIVE_EPOCHS / 10 epochs), through the database.
      const gallery = page.locator('[data-testid="dashboard-recon"] [data-testid="recon-gallery"]');
      await expect.poll(async () => Number((await gallery.getAttribute('data-epoch', { timeout: 1_000 }).catch(() => null)) ?? 0), { timeout: 180_000, interval: 250 }).toBeGreaterThan(0);
      expect(await card.getAttribute('data-state')).toBe('RUNNING');
      // As many as the validation split has, up to 8: originals above, reconstructions below.
      const shownImages = await gallery.getByTestId('recon-reconstructions').locator('img').count();
      expect(shownImages).toBeGreaterThan(0);
      expect(await gallery.getByTestId('recon-originals').locator('img').count()).toBe(shownImages);
      // A window opened mid-trial shows the newest of them from the database: the worker is frozen meanwhile
      // (SIGSTOP; its pid stays alive, so it is not stale), so no event can bring them.
      if (!bridge) throw new Error('bridge did not start');
      const second = await browser.newPage({ viewport });
      process.kill(-(running.child.pid as number), 'SIGSTOP');
      try {
        await second.goto(bridge.newLaunchUrl());
        await second.getByTestId('nav-studies').click();
        await second.getByTestId(`study-row-${LIVE}`).click();
        const late = second.locator(`[data-testid="study-dashboard"][data-study="${LIVE}"] [data-testid="dashboard-recon"] [data-testid="recon-gallery"]`);
        await expect.poll(async () => Number((await late.getAttribute('data-epoch', { timeout: 1_000 }).catch(() => null)) ?? 0), { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
        expect(await late.getByTestId('recon-originals').locator('img').count()).toBe(shownImages);
      } finally {
        process.kill(-(running.child.pid as number), 'SIGCONT');
        await second.close();
      }

      // kill -9 of the worker and its trainer: nobody tells the database.
      await killGroup(running);
      worker = null;
      await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000, interval: 200 }).toBe('FAILED');
      expect(await card.getByTestId('live-trial-reason').textContent()).toMatch(/^stale: its trainer \(pid \d+ on .+\) is gone/);
      expect(await card.getByTestId('live-trial-progress').count()).toBe(0);
      await expect.poll(() => dashboard.getAttribute('data-state'), { timeout: 30_000 }).toBe('idle');

      await withStorage(async (s) => {
        const study = await s.getStudy(LIVE);
        const trials = await s.listTrials({ studyId: study?.id ?? -1 });
        // Failed as stale and queued once more for the next worker; no trial is left RUNNING.
        expect(trials.map((t) => [t.number, t.state, t.retryOf])).toEqual([
          [0, 'FAILED', null],
          [1, 'WAITING', trials[0].id],
        ]);
        expect(trials[0].failReason).toMatch(/^stale: its trainer \(pid \d+ on .+\) is gone/);
        // Its live reconstructions went with its run.
        expect(Object.keys(await s.getTrialAttrs(trials[0].id))).not.toContain(LIVE_RECONSTRUCTIONS_KEY);
        // The card's curve holds exactly the epochs the worker stored, no more, no fewer.
        const stored = (await s.getMetrics(trials[0].id)).length;
        expect(stored).toBeGreaterThanOrEqual(Number(shown));
        await expect.poll(points, { timeout: 30_000 }).toBe(stored);
        // The other study's finished trials are untouched.
        expect(await finishedTrials(s, STUDY)).toEqual(finishedBefore);
      });
      await expect.poll(() => page.getByTestId('count-WAITING').textContent({ timeout: 1_000 }).catch(() => null)).toMatch(/1$/);
      expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
      expect(errors).toEqual([]);
    });
  });
}

async function withStorage<T>(fn: (s: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorageAt(url);
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

/** A study's finished trials as stored: state, values, end, epochs and attributes. */
async function finishedTrials(s: Storage, name: string): Promise<unknown[]> {
  const study = await s.getStudy(name);
  const out: unknown[] = [];
  for (const t of await s.listTrials({ studyId: study?.id ?? -1, states: ['COMPLETE', 'PRUNED', 'FAILED'] })) {
    out.push({ id: t.id, state: t.state, values: t.values, finishedAt: t.finishedAt, failReason: t.failReason, epochs: await s.getMetrics(t.id), attrs: await s.getTrialAttrs(t.id) });
  }
  return out;
}
