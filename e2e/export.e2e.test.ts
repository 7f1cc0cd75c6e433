// End to end: what leaves the app, in Chromium over the real HTTP bridge. A tiny 2-trial study is trained
// in-process first (the export fixtures' mixed image folder, 8x8 grey, 2 epochs); then the user exports the best
// trial from the dashboard, meets the overwrite dialog (Cancel leaves the folder byte-identical, Replace writes),
// is refused /proc in their language while the app keeps answering, exports another trial and writes the study
// report from analytics (the report opens offline), and applies the exported encoder to a folder.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { resolveLocations } from '../src/core/paths';
import { openStorage } from '../src/core/storage/sqlite';
import { Study } from '../src/core/study/study';
import { runWorkerLoop } from '../src/core/study/workerLoop';
import { autoencoderTrialRunner } from '../src/core/trainer/autoencoderTrialRunner';
import { expectSameCodes, makeMixedFolder } from '../test/export/fixtures';
import { buildRenderer, launchChromium, probe, startBridge, staticDirFor, tempDir, viewport, waitForWrite, type Bridge } from './harness';

const staticDir = staticDirFor('e2e-renderer-export');
const STUDY = 'e2e-export';

let tmp: string;
let images: string;
let dataDir: string;
let bridge: Bridge | null = null;
let browser: Browser;
let page: Page;
let best: { id: number; number: number };
let other: { id: number; number: number };

/** Every file under dir with its bytes, for byte-identical checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of Object.entries(snapshot(p))) out[path.join(e.name, k)] = v;
    else out[e.name] = fs.readFileSync(p).toString('base64');
  }
  return out;
}

const manifestOf = (folder: string): { study: { name: string; trialNumber: number }; exportedAt: string } =>
  JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));

async function trainFixtureStudy(): Promise<void> {
  const locations = resolveLocations({ dataDir });
  fs.mkdirSync(dataDir, { recursive: true });
  const storage = openStorage(locations.dbPath, { create: true });
  try {
    const study = await Study.create(storage, {
      name: STUDY,
      dataset: { path: images, imageSize: 8, channels: 1, valFraction: 0.25 },
      searchSpace: {
        params: [
          { name: 'architecture', type: 'fixed', value: 'dense' },
          { name: 'latentSize', type: 'categorical', choices: [2, 3] },
          { name: 'hiddenUnits', type: 'fixed', value: [8] },
          { name: 'learningRate', type: 'float', low: 0.001, high: 0.01, log: true },
          { name: 'batchSize', type: 'fixed', value: 8 },
          { name: 'epochs', type: 'fixed', value: 2 },
        ],
      },
      objectives: [{ name: 'val_recon' }],
      sampler: { type: 'random' },
      pruner: { type: 'nop' },
      budget: { trials: 2 },
      seed: 5,
      parallel: 1,
    });
    expect(await runWorkerLoop({ study, runTrial: autoencoderTrialRunner(study, locations) })).toBe('budget');
    const trials = await storage.listTrials({ studyId: study.id });
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    const b = await study.bestTrial();
    if (!b) throw new Error('fixture study has no best trial');
    best = { id: b.id, number: b.number };
    const o = trials.find((t) => t.id !== b.id) as (typeof trials)[number];
    other = { id: o.id, number: o.number };
  } finally {
    await storage.close();
  }
}

beforeAll(async () => {
  tmp = tempDir('latent-lab-e2e-export-');
  images = await makeMixedFolder(path.join(tmp, 'images'));
  dataDir = path.join(tmp, 'home');
  await Promise.all([buildRenderer(staticDir), trainFixtureStudy()]);
  bridge = await startBridge(dataDir, staticDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function openStudy(): Promise<void> {
  if (!bridge) throw new Error('bridge did not start');
  await page.goto(bridge.newLaunchUrl());
  await page.getByTestId('nav-studies').click();
  await page.getByTestId(`study-row-${STUDY}`).click();
  await page.getByTestId('study-dashboard').waitFor();
}

describe('export, report and encode from the app', () => {
  it('exports the best trial from the dashboard, asks before replacing it, and refuses /proc while the app keeps answering', { timeout: 300_000 }, async () => {
    const seen = await probe(page);
    await openStudy();
    const button = page.getByTestId('export-best');
    expect(await button.textContent()).toContain(`#${best.number}`);
    await button.click();
    expect(await page.getByTestId('export-title').textContent()).toContain(`#${best.number}`);

    const bundle = path.join(tmp, 'exports', 'best');
    await page.getByTestId('export-folder').fill(bundle);
    await page.getByTestId('export-run').click();
    await waitForWrite(page.getByTestId('export-best-card'), { files: 'export-files', error: 'export-error' }, 60_000);
    expect(await page.getByTestId('export-files').locator('li').count()).toBe(fs.readdirSync(bundle).length);
    expect(manifestOf(bundle).study).toMatchObject({ name: STUDY, trialNumber: best.number });

    // Again into the same folder: the dialog names it; Cancel leaves every byte as it was.
    const first = snapshot(bundle);
    await page.getByTestId('export-run').click();
    const dialog = page.getByTestId('export-best-card').getByTestId('replace-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.getByTestId('replace-text').textContent()).toContain(bundle);
    await page.getByTestId('replace-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('export-error').count()).toBe(0);
    expect(snapshot(bundle)).toEqual(first);

    // Replace: the new bundle is written in place of the old one, with nothing left beside it.
    await page.getByTestId('export-run').click();
    await dialog.waitFor({ state: 'visible' });
    await page.getByTestId('replace-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForWrite(page.getByTestId('export-best-card'), { files: 'export-files', error: 'export-error' }, 60_000);
    const firstAt = JSON.parse(Buffer.from(first['manifest.json'], 'base64').toString('utf8')).exportedAt as string;
    const exportedAt = (): string => {
      try {
        return manifestOf(bundle).exportedAt;
      } catch {
        return firstAt; // between the two renames
      }
    };
    await expect.poll(exportedAt, { timeout: 60_000 }).not.toBe(firstAt);
    await expect.poll(() => page.getByTestId('export-run').isEnabled()).toBe(true);
    expect(Object.keys(snapshot(bundle)).sort()).toEqual(Object.keys(first).sort());
    expect(fs.readdirSync(path.dirname(bundle))).toEqual(['best']);

    // /proc through the bridge: refused with the code's message, in the user's language, and the app answers.
    await page.getByTestId('export-folder').fill('/proc/1/latent-lab-export');
    await page.getByTestId('export-run').click();
    const error = page.getByTestId('export-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-code')).toBe('DEST_PSEUDO_FS');
    expect(await error.textContent()).toMatch(/system file system \(proc\).*Choose a folder on a disk/);
    await page.getByTestId('locale-select').selectOption('zh');
    await page.getByTestId('export-run').click();
    await expect.poll(async () => (await error.textContent()) ?? '', { timeout: 30_000 }).toMatch(/[\u4e00-\u9fff]/);
    expect(await error.getAttribute('data-code')).toBe('DEST_PSEUDO_FS');
    await page.getByTestId('locale-select').selectOption('en');
    expect(fs.existsSync('/proc/1/latent-lab-export')).toBe(false);
    await page.getByTestId('open-analytics').click();
    await page.getByTestId('study-analytics').waitFor({ timeout: 30_000 });
    await page.getByTestId('analytics-counts').waitFor({ timeout: 30_000 });
    expect(seen.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('exports any trial by its number and writes the study report from analytics; the report opens offline', { timeout: 300_000 }, async () => {
    await page.getByTestId('study-analytics').waitFor();
    const card = page.getByTestId('study-export');
    await card.scrollIntoViewIfNeeded();
    // A row of the trials table chooses the trial to export; so does the card's own list (by number).
    await page.getByTestId(`study-trial-row-${other.number}`).click();
    await expect.poll(() => card.getByTestId('export-title').textContent()).toContain(`#${other.number}`);
    await page.getByTestId('export-trial').selectOption(String(best.id));
    expect(await card.getByTestId('export-title').textContent()).toContain(`#${best.number}`);
    await page.getByTestId('export-trial').selectOption(String(other.id));
    expect(await card.getByTestId('export-title').textContent()).toContain(`#${other.number}`);
    expect(await page.locator(`[data-testid="export-trial"] option[value="${other.id}"]`).getAttribute('data-number')).toBe(String(other.number));
    const folder = path.join(tmp, 'exports', 'other');
    await card.getByTestId('export-folder').fill(folder);
    await card.getByTestId('export-run').click();
    await waitForWrite(card, { files: 'export-files', error: 'export-error' }, 60_000);
    expect(manifestOf(folder).study.trialNumber).toBe(other.number);

    const reports = path.join(tmp, 'reports');
    await page.getByTestId('report-folder').fill(reports);
    await page.getByTestId('report-run').click();
    await page.getByTestId('report-files').waitFor({ timeout: 60_000 });
    const html = path.join(reports, `${STUDY}-report.html`);
    expect(fs.readdirSync(reports).sort()).toEqual([`${STUDY}-report.html`, `${STUDY}-report.trials.csv`]);
    expect(fs.readFileSync(path.join(reports, `${STUDY}-report.trials.csv`), 'utf8').trim().split('\n')).toHaveLength(3);
    // Writing it again asks first; Cancel keeps the file.
    const before = fs.readFileSync(html);
    await page.getByTestId('report-run').click();
    await page.getByTestId('replace-dialog').waitFor();
    await page.getByTestId('replace-cancel').click();
    expect(fs.readFileSync(html).equals(before)).toBe(true);

    // The report offline in Chromium (the checks of report.e2e.test.ts): charts render, nothing leaves the file.
    const view = await browser.newPage();
    const requests: string[] = [];
    view.on('request', (r) => requests.push(r.url()));
    await view.route(/^(?!file:|data:)/, (route) => route.abort());
    await view.goto(pathToFileURL(html).href);
    const charts = await view.$$eval('svg.chart', (svgs) => svgs.map((s) => ({ width: s.getBoundingClientRect().width, marks: s.querySelectorAll('circle.point, polyline.series, rect.bar').length })));
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.marks).toBeGreaterThan(0);
    }
    expect(await view.textContent('body')).toContain(`Trial #${best.number}`);
    expect((await view.$$eval('.recon img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).every((w) => w === 8)).toBe(true);
    expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([pathToFileURL(html).href]);
    expect(fs.readFileSync(html, 'utf8')).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    await view.close();
  });

  it('applies the exported encoder to a folder: the bad-file report, codes equal to features.csv, replaced only when confirmed', { timeout: 300_000 }, async () => {
    const bundle = path.join(tmp, 'exports', 'other');
    fs.mkdirSync(path.join(tmp, 'new-images', 'a'), { recursive: true });
    for (const f of fs.readdirSync(path.join(images, 'a'))) fs.copyFileSync(path.join(images, 'a', f), path.join(tmp, 'new-images', 'a', f));
    fs.mkdirSync(path.join(tmp, 'new-images', 'b'));
    for (const f of fs.readdirSync(path.join(images, 'b'))) fs.copyFileSync(path.join(images, 'b', f), path.join(tmp, 'new-images', 'b', f));
    fs.writeFileSync(path.join(tmp, 'new-images', 'a', 'broken.png'), 'not an image');

    // From the export's result: the bundle is filled in.
    const card = page.getByTestId('study-export');
    await card.getByTestId('export-apply').click();
    const dialog = page.getByTestId('apply-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.getByTestId('apply-bundle').inputValue()).toBe(bundle);
    await page.getByTestId('apply-data').fill(path.join(tmp, 'new-images'));
    const out = path.join(tmp, 'codes', 'new');
    await page.getByTestId('apply-out').fill(out);
    await page.getByTestId('apply-run').click();
    const result = page.getByTestId('apply-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getAttribute('data-images')).toBe('40');
    expect(await page.getByTestId('dataset-failures').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('apply-files').textContent()).toContain(`${out}.csv`);
    expectSameCodes(fs.readFileSync(`${out}.csv`, 'utf8'), fs.readFileSync(path.join(bundle, 'features.csv'), 'utf8'));

    // Again: the existing output is replaced only after "Replace".
    fs.writeFileSync(`${out}.csv`, 'mine');
    await page.getByTestId('apply-out').fill(`${out}.csv`);
    await page.getByTestId('apply-run').click();
    const replace = dialog.getByTestId('replace-dialog');
    await replace.waitFor({ state: 'visible' });
    await dialog.getByTestId('replace-cancel').click();
    await replace.waitFor({ state: 'hidden' });
    expect(fs.readFileSync(`${out}.csv`, 'utf8')).toBe('mine');
    await page.getByTestId('apply-run').click();
    await replace.waitFor({ state: 'visible' });
    await dialog.getByTestId('replace-confirm').click();
    await result.waitFor({ timeout: 120_000 });
    expectSameCodes(fs.readFileSync(`${out}.csv`, 'utf8'), fs.readFileSync(path.join(bundle, 'features.csv'), 'utf8'));
    await page.getByTestId('apply-close').click();
    await dialog.waitFor({ state: 'hidden' });

    // Reachable from the side navigation too.
    await page.getByTestId('open-apply').click();
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
