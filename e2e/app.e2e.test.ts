// End to end: the real renderer bundle in Debian's Chromium, served by the real bridge, training a real
// (tiny) autoencoder on the sample dataset and exporting its encoder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { startBridgeServer } from '../src/bridge/server';

const root = fileURLToPath(new URL('..', import.meta.url));
const staticDir = path.join(root, '.tmp', 'e2e-renderer');
const artifactsDir = path.join(root, 'e2e', 'artifacts');

type Bridge = Awaited<ReturnType<typeof startBridgeServer>>;

/**
 * Builds the current renderer sources with vite.web.config.ts into a private folder. out/renderer is shared
 * with `npm start` and the electron-vite build, which may rewrite it while this test runs.
 */
async function buildRenderer(outDir: string): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production'; // vitest sets 'test', which would give a development bundle
  try {
    await build({ configFile: path.join(root, 'vite.web.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

interface PageProbe {
  consoleErrors: string[];
  cspViolations: string[];
}

/** Records console errors, uncaught errors and CSP violations (both the event and Chromium's console report). */
async function probe(page: Page): Promise<PageProbe> {
  const result: PageProbe = { consoleErrors: [], cspViolations: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') result.consoleErrors.push(msg.text());
    if (/Content Security Policy/i.test(msg.text())) result.cspViolations.push(msg.text());
  });
  page.on('pageerror', (err) => result.consoleErrors.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__reportCsp', (text: string) => result.cspViolations.push(text));
  await page.addInitScript(() => {
    // This file is type-checked without the DOM lib: name only what is used.
    type Violation = { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
    const g = globalThis as unknown as {
      document: { addEventListener(type: string, cb: (e: Violation) => void): void };
      __reportCsp(text: string): Promise<void>;
    };
    g.document.addEventListener('securitypolicyviolation', (e) => {
      void g.__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return result;
}

/** The app shell scrolls inside <main>; grow the viewport so a screenshot shows the whole section. */
async function screenshotWhole(page: Page, file: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1440, height: 960 };
  const needed = await page.evaluate(() => {
    type Box = { scrollHeight: number; clientHeight: number };
    const doc = (globalThis as unknown as { document: { documentElement: Box; querySelector(s: string): Box | null } }).document;
    const main = doc.querySelector('main');
    if (!main) return doc.documentElement.scrollHeight;
    return doc.documentElement.clientHeight + (main.scrollHeight - main.clientHeight);
  });
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(needed)) });
  await page.waitForTimeout(400); // ECharts resizes on the next frame
  await page.screenshot({ path: path.join(artifactsDir, file), fullPage: true });
  await page.setViewportSize(viewport);
}

describe('Latent Lab in Chromium over the HTTP bridge', () => {
  let browser: Browser;
  let bridge: Bridge | null = null;
  let dataDir: string;
  let exportDir: string;

  beforeAll(async () => {
    await buildRenderer(staticDir);
    fs.mkdirSync(artifactsDir, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-e2e-data-'));
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-e2e-export-'));
    bridge = await startBridgeServer({ dataDir, staticDir, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    for (const dir of [dataDir, exportDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the sample, trains a tiny autoencoder live, lists and exports it, and keeps it across a restart', async () => {
    if (!bridge) throw new Error('bridge did not start');
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    const seen = await probe(page);
    await page.goto(bridge.url);

    // Header and status bar come from app.info.
    await expect.poll(() => page.getByTestId('app-mode').getAttribute('data-mode')).toBe('browser');
    expect(await page.getByTestId('status-backend').textContent()).toMatch(/\S/);
    expect(await page.getByTestId('status-data-dir').textContent()).toBe(path.resolve(dataDir));
    expect(await page.getByTestId('status-db-path').textContent()).toMatch(/\S/);
    // The app opens on the new-study wizard; the single-trial flow starts at Dataset.
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-empty').waitFor();

    // A folder that does not exist: the engine's message is shown inline.
    await page.getByTestId('dataset-path').fill(path.join(dataDir, 'no-such-folder'));
    await page.getByTestId('dataset-open').click();
    await page.getByTestId('dataset-error').waitFor();
    expect(await page.getByTestId('dataset-error').textContent()).toMatch(/no-such-folder/);

    // The sample dataset at 28x28 grayscale.
    await page.getByTestId('dataset-image-size').fill('28');
    await page.getByTestId('dataset-channels-1').check();
    await page.getByTestId('dataset-use-sample').click();
    await page.getByTestId('dataset-preview').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('dataset-error').count()).toBe(0);
    const previews = page.locator('[data-testid="dataset-preview"] img');
    expect(await previews.count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        previews.evaluateAll((imgs) =>
          imgs.every((i) => {
            const img = i as unknown as { complete: boolean; naturalWidth: number };
            return img.complete && img.naturalWidth > 0;
          }),
        ),
      )
      .toBe(true);
    expect(await page.getByTestId('dataset-class-row').count()).toBe(10);
    const imageCount = Number((await page.getByTestId('dataset-image-count').textContent())?.replace(/\D/g, ''));
    expect(imageCount).toBeGreaterThan(0);
    await screenshotWhole(page, 'foundation-dataset.png');

    // Model & training: a tiny model; the form validates with the contract's schema.
    await page.getByTestId('nav-train').click();
    expect(await page.getByTestId('param-input-shape').textContent()).toMatch(/28×28 grayscale/);
    await page.getByTestId('param-latentSize').fill('0');
    await page.getByTestId('param-latentSize-error').waitFor();
    expect(await page.getByTestId('training-start').isDisabled()).toBe(true);
    await page.getByTestId('param-latentSize').fill('4');
    await page.getByTestId('param-hiddenUnits').fill('32');
    await page.getByTestId('param-batchSize').fill('128');
    await page.getByTestId('param-epochs').fill('2');
    expect(await page.getByTestId('param-latentSize-error').count()).toBe(0);
    await page.getByTestId('training-start').click();

    // Live: two epochs on the chart, then COMPLETE.
    await page.locator('[data-testid="live-chart"][data-points="2"]').waitFor({ timeout: 200_000 });
    await page.locator('[data-testid="live-state"][data-state="COMPLETE"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('live-epochs').getAttribute('data-rows')).toBe('2');
    expect(await page.getByTestId('training-cancel').count()).toBe(0);
    // Hover the plot so ECharts renders its HTML tooltip (it must not need inline styles).
    const chartBox = await page.getByTestId('live-chart').boundingBox();
    if (chartBox) {
      await page.mouse.move(chartBox.x + chartBox.width * 0.7, chartBox.y + chartBox.height * 0.5);
      await page.locator('.ll-chart-tooltip').filter({ hasText: 'Epoch' }).first().waitFor({ timeout: 5_000 });
    }
    await screenshotWhole(page, 'foundation-training.png');

    // Trials: the run is listed; its detail shows the same curves.
    await page.getByTestId('live-show-trials').click();
    const row = page.locator('[data-testid^="trial-row-"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.first().getAttribute('data-state')).toBe('COMPLETE');
    await page.getByTestId('trial-detail').waitFor();
    await page.locator('[data-testid="detail-chart"][data-points="2"]').waitFor();
    expect(await page.getByTestId('detail-params').textContent()).toMatch(/Latent size\s*4/);

    // Export the encoder.
    await page.getByTestId('export-folder').fill(exportDir);
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-files').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('export-error').count()).toBe(0);
    const written = listFiles(exportDir).map((f) => path.basename(f));
    expect(written).toContain('model.json');
    expect(written.some((f) => f.endsWith('.bin'))).toBe(true);
    expect(written).toContain('manifest.json');
    expect(written).toContain('features.csv');
    await screenshotWhole(page, 'foundation.png');

    expect(seen.cspViolations).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();

    // Restart: a new server on the same data folder still lists the trial.
    await bridge.close();
    bridge = null;
    bridge = await startBridgeServer({ dataDir, staticDir, host: '127.0.0.1' });
    const again = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    const seenAgain = await probe(again);
    await again.goto(bridge.url);
    await again.getByTestId('nav-trials').click();
    const rows = again.locator('[data-testid^="trial-row-"]');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-state')).toBe('COMPLETE');
    await rows.first().click();
    await again.locator('[data-testid="detail-chart"][data-points="2"]').waitFor();
    expect(seenAgain.cspViolations).toEqual([]);
    expect(seenAgain.consoleErrors).toEqual([]);
    await again.close();
  });
  it('follows a running trial after a reload and cancels it', async () => {
    if (!bridge) throw new Error('bridge did not start');
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    const seen = await probe(page);
    await page.goto(bridge.url);

    // Second open of the sample: served from the decoded cache.
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-use-sample').click();
    await page.getByTestId('dataset-preview').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('dataset-cache').getAttribute('data-from-cache')).toBe('true');

    await page.getByTestId('nav-train').click();
    await page.getByTestId('param-latentSize').fill('4');
    await page.getByTestId('param-hiddenUnits').fill('32');
    await page.getByTestId('param-batchSize').fill('32');
    await page.getByTestId('param-epochs').fill('200');
    await page.getByTestId('training-start').click();
    await page.locator('[data-testid="live-state"][data-state="RUNNING"]').waitFor({ timeout: 120_000 });

    // Reload: the new page adopts the running trial from the trial list and keeps streaming it.
    await page.reload();
    await page.getByTestId('nav-train').click();
    await page.locator('[data-testid="live-state"][data-state="RUNNING"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('training-progress').waitFor({ timeout: 60_000 });
    await page.getByTestId('training-cancel').click();
    await page.locator('[data-testid="live-state"][data-state="CANCELLED"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('training-cancel').count()).toBe(0);

    await page.getByTestId('nav-trials').click();
    await expect.poll(() => page.locator('[data-testid^="trial-row-"][data-state="CANCELLED"]').count()).toBe(1);
    expect(seen.cspViolations).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});
