// End to end: the real renderer bundle in Debian's Chromium, served by the real bridge, training a real
// (tiny) autoencoder on the sample dataset and exporting its encoder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  artifactsDir,
  buildRenderer,
  launchChromium,
  listFiles,
  probe,
  screenshotWhole,
  startBridge,
  staticDirFor,
  tempDir,
  viewport,
  waitForWrite,
  type Bridge,
} from './harness';

const staticDir = staticDirFor('e2e-renderer');

describe('Latent Lab in Chromium over the HTTP bridge', () => {
  let browser: Browser;
  let bridge: Bridge | null = null;
  let dataDir: string;
  let exportDir: string;

  beforeAll(async () => {
    await buildRenderer(staticDir);
    fs.mkdirSync(artifactsDir, { recursive: true });
    dataDir = tempDir('latent-lab-e2e-data-');
    exportDir = tempDir('latent-lab-e2e-export-');
    bridge = await startBridge(dataDir, staticDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    for (const dir of [dataDir, exportDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the sample, trains a tiny autoencoder live, lists and exports it, and keeps it across a restart', async () => {
    if (!bridge) throw new Error('bridge did not start');
    const page = await browser.newPage({ viewport });
    const seen = await probe(page);
    await page.goto(bridge.newLaunchUrl());

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
    await waitForWrite(page.getByTestId('trial-detail'), { files: 'export-files', error: 'export-error' }, 60_000);
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
    bridge = await startBridge(dataDir, staticDir);
    const again = await browser.newPage({ viewport });
    const seenAgain = await probe(again);
    await again.goto(bridge.newLaunchUrl());
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
    const page = await browser.newPage({ viewport });
    const seen = await probe(page);
    await page.goto(bridge.newLaunchUrl());

    // Second open of the sample: served from the decoded cache.
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-use-sample').click();
    await page.getByTestId('dataset-preview').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('dataset-cache').getAttribute('data-from-cache')).toBe('true');

    // This time a convolutional autoencoder: the form shows the fields conv reads, and the trainer builds it.
    await page.getByTestId('nav-train').click();
    await page.getByTestId('param-architecture').selectOption('conv');
    expect(await page.getByTestId('param-hiddenUnits').count()).toBe(0);
    await page.getByTestId('param-filters').fill('4, 8');
    await page.getByTestId('param-batchNorm').check();
    await page.getByTestId('param-latentSize').fill('4');
    await page.getByTestId('param-batchSize').fill('32');
    await page.getByTestId('param-epochs').fill('200');
    expect(await page.locator('#model-form-title').textContent()).toBe('Convolutional autoencoder');
    await screenshotWhole(page, 'training-conv.png');
    // No button's label spills out of it (the sidebar is narrow).
    const spilled = await page.evaluate(() =>
      [...document.querySelectorAll('button')].filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent?.trim()),
    );
    expect(spilled).toEqual([]);
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
    expect(await page.locator('[data-testid^="trial-arch-"]').allTextContents()).toContain('Convolutional');
    await page.locator('[data-testid^="trial-row-"][data-state="CANCELLED"]').click();
    const params = await page.getByTestId('detail-params').innerText();
    expect(params).toMatch(/Architecture\s+Convolutional/);
    expect(params).toMatch(/Filters\s+4, 8/);
    expect(params).toMatch(/Batch normalisation\s+(yes|true)/);
    // Train again: the form comes back with that trial's settings, its images open.
    await page.getByTestId('detail-train-again').click();
    await page.getByTestId('param-filters').waitFor();
    expect(await page.getByTestId('param-architecture').inputValue()).toBe('conv');
    expect(await page.getByTestId('param-filters').inputValue()).toBe('4, 8');
    expect(await page.getByTestId('param-epochs').inputValue()).toBe('200');
    expect(await page.getByTestId('param-input-shape').textContent()).toMatch(/28×28 grayscale/);
    await expect.poll(async () => (await page.getByTestId('training-start').isDisabled()) ? await page.getByTestId('training-blocker').textContent() : 'enabled').toBe('enabled');
    expect(seen.cspViolations).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});
