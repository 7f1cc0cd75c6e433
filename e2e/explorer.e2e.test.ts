// End to end: the latent explorer and the study comparison in Chromium over the real bridge. Two small studies
// (dense and conv autoencoders, 3 trials each) train on 120 real MNIST digits in beforeAll; the explorer opens
// the dense study's best trial (hover, neighbours, colourings, lasso), the comparison puts both side by side.
// Screenshots go to e2e/artifacts/explorer-*.png and compare-*.png, in en/zh-CN and light/dark.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { StudySpec } from '../src/shared/study/spec';
import { makeDigitFolder } from '../test/helpers/images';
import { artifactsDir, buildRenderer, launchChromium, probe, screenshotWhole, startBridge, staticDirFor, tempDir, viewport, type Bridge } from './harness';

const staticDir = staticDirFor('e2e-renderer-explorer');
const DENSE = 'e2e-views-dense';
const CONV = 'e2e-views-conv';

function spec(name: string, folder: string, architecture: 'dense' | 'conv'): StudySpec {
  const arch =
    architecture === 'dense'
      ? [{ name: 'architecture', type: 'fixed', value: 'dense' }, { name: 'hiddenUnits', type: 'fixed', value: [32] }]
      : [{ name: 'architecture', type: 'fixed', value: 'conv' }, { name: 'filters', type: 'fixed', value: [4, 8] }];
  return StudySpec.parse({
    name,
    dataset: { path: folder, imageSize: 14, channels: 1, valFraction: 0.3, testFraction: 0.1 },
    searchSpace: {
      params: [
        ...arch,
        { name: 'latentSize', type: 'int', low: 2, high: 8 },
        { name: 'learningRate', type: 'float', low: 0.003, high: 0.02, log: true },
        { name: 'batchSize', type: 'fixed', value: 32 },
        { name: 'epochs', type: 'fixed', value: 3 },
      ],
    },
    objectives: [{ name: 'val_recon' }],
    sampler: { type: 'random' },
    pruner: { type: 'nop' },
    budget: { trials: 3 },
    seed: 5,
    parallel: 1,
  });
}

async function waitFinished(bridge: Bridge, name: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const d = await bridge.services.handlers['studies.get']({ name });
    if (d.state !== 'running' && d.trials.length === 3) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`study ${name} did not finish`);
}

/**
 * Moves the pointer over the map until it is over a point. ECharts sets the pointer cursor synchronously on
 * the mousemove that enters a symbol, so this is the exact position (the hover panel's images arrive later,
 * when the pointer may have moved past a 6-pixel symbol).
 */
async function findPoint(page: Page, testid: string): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId(testid).boundingBox())!;
  const cursorAt = (x: number, y: number): Promise<string> =>
    page.evaluate(([px, py]) => {
      type El = object;
      const g = globalThis as unknown as { document: { elementFromPoint(x: number, y: number): El | null }; getComputedStyle(e: El): { cursor: string } };
      const e = g.document.elementFromPoint(px, py);
      return e ? g.getComputedStyle(e).cursor : '';
    }, [x, y] as const);
  for (let gy = 0.12; gy <= 0.95; gy += 0.02) {
    for (let gx = 0.04; gx <= 0.96; gx += 0.006) {
      const x = box.x + box.width * gx;
      const y = box.y + box.height * gy;
      await page.mouse.move(x, y);
      if ((await cursorAt(x, y)) === 'pointer') return { x, y };
    }
  }
  throw new Error('no point found on the map');
}

describe('Latent explorer and study comparison in Chromium over the HTTP bridge', () => {
  let browser: Browser;
  let bridge: Bridge | null = null;
  let dataDir: string;

  beforeAll(async () => {
    await buildRenderer(staticDir);
    fs.mkdirSync(artifactsDir, { recursive: true });
    dataDir = tempDir('latent-lab-e2e-explorer-');
    const folder = await makeDigitFolder(path.join(dataDir, 'digits'), 12);
    bridge = await startBridge(path.join(dataDir, 'home'), staticDir);
    browser = await launchChromium();
    await bridge.services.handlers['study.start']({ spec: spec(DENSE, folder, 'dense') });
    await waitFinished(bridge, DENSE);
    await bridge.services.handlers['study.start']({ spec: spec(CONV, folder, 'conv') });
    await waitFinished(bridge, CONV);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('hovers a point for its image and reconstruction, clicks it for 12 neighbours, recolours and lassoes', { timeout: 180_000 }, async () => {
    if (!bridge) throw new Error('bridge did not start');
    const page = await browser.newPage({ viewport });
    const seen = await probe(page);
    const origin = new URL(bridge.newLaunchUrl()).origin;
    await page.goto(bridge.newLaunchUrl());
    await page.goto(`${origin}/#/studies/${DENSE}/explorer`);

    // The best trial's stored validation codes (40 of the 120 digits: 4 per class), projected by the engine.
    const explorer = page.getByTestId('latent-explorer');
    await expect.poll(() => explorer.getAttribute('data-points'), { timeout: 60_000 }).toBe('40');
    expect(await explorer.getAttribute('data-groups')).toBe('10'); // coloured by digit

    // Hover: the point's image and its reconstruction.
    const hit = await findPoint(page, 'explorer-chart');
    const hover = page.getByTestId('explorer-hover');
    await expect.poll(() => hover.locator('img').count()).toBe(2);
    expect(await hover.textContent()).toMatch(/MSE \d/);

    // Click: its 12 nearest codes, each with image, reconstruction and distance, nearest first.
    await page.mouse.click(hit.x, hit.y);
    const nb = page.getByTestId('explorer-neighbours');
    await expect.poll(() => nb.locator('figure').count(), { timeout: 30_000 }).toBe(12);
    await expect.poll(() => nb.locator('img').count(), { timeout: 30_000 }).toBe(24);
    const distances = (await nb.locator('figure').allTextContents()).map((s) => Number(/distance ([\d.e+-]+)/.exec(s)?.[1]));
    expect(distances.every((d) => Number.isFinite(d) && d >= 0)).toBe(true);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);

    // Colour by reconstruction error bands, then by the probe's outcome (stored with the trial).
    await page.getByTestId('explorer-colour-error').click();
    expect(await explorer.getAttribute('data-colour-by')).toBe('error');
    expect(Number(await explorer.getAttribute('data-groups'))).toBeGreaterThan(1);
    await page.getByTestId('explorer-colour-outcome').click();
    expect(await explorer.getAttribute('data-colour-by')).toBe('outcome');
    expect(['1', '2']).toContain(await explorer.getAttribute('data-groups')); // correct and (maybe) wrong

    // Lasso the whole plot: every point's label counted, the first images shown.
    await page.getByTestId('explorer-lasso').click();
    const box = (await page.getByTestId('explorer-chart').boundingBox())!;
    const corners = [[0.01, 0.05], [0.99, 0.05], [0.99, 0.99], [0.01, 0.99], [0.01, 0.05]] as const;
    await page.mouse.move(box.x + box.width * corners[0][0], box.y + box.height * corners[0][1]);
    await page.mouse.down();
    for (const [fx, fy] of corners.slice(1)) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 8 });
    await page.mouse.up();
    const lasso = page.getByTestId('explorer-lasso-result');
    await lasso.waitFor();
    expect(await lasso.locator('h4').textContent()).toMatch(/^40 points in the lasso/);
    await expect.poll(() => lasso.locator('img').count(), { timeout: 30_000 }).toBe(80);
    expect(await page.getByTestId('explorer-lasso-labels').textContent()).toMatch(/\d · \d/);
    await page.getByTestId('explorer-colour-label').click();
    await screenshotWhole(page, 'explorer-lasso-en-light.png', { settleMs: 600, maxHeight: 3000 });
    await page.getByTestId('explorer-lasso-clear').click();
    await expect.poll(() => lasso.count()).toBe(0);

    const toggle = page.getByTestId('theme-toggle');
    const locale = page.getByTestId('locale-select');
    await screenshotWhole(page, 'explorer-en-light.png', { settleMs: 600, maxHeight: 3000 });
    await toggle.click();
    await screenshotWhole(page, 'explorer-en-dark.png', { settleMs: 600, maxHeight: 3000 });
    await locale.selectOption('zh');
    await expect.poll(() => nb.locator('h4').textContent()).toMatch(/最近/);
    await screenshotWhole(page, 'explorer-zh-dark.png', { settleMs: 600, maxHeight: 3000 });
    await toggle.click();
    await screenshotWhole(page, 'explorer-zh-light.png', { settleMs: 600, maxHeight: 3000 });
    await locale.selectOption('en');

    expect(seen.cspViolations).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
  it('compares the dense and the conv study side by side, from the studies list, at an address that survives a reload', { timeout: 120_000 }, async () => {
    if (!bridge) throw new Error('bridge did not start');
    const page = await browser.newPage({ viewport });
    const seen = await probe(page);
    await page.goto(bridge.newLaunchUrl());
    await page.getByTestId('nav-studies').click();
    await page.getByTestId('studies-table').waitFor();
    const compareButton = page.getByTestId('studies-compare');
    expect(await compareButton.isDisabled()).toBe(true);
    await page.getByTestId(`studies-pick-${DENSE}`).check();
    await page.getByTestId(`studies-pick-${CONV}`).check();
    await compareButton.click();

    const view = page.getByTestId('compare-studies');
    await expect.poll(() => view.getAttribute('data-count'), { timeout: 30_000 }).toBe('2');
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/compare-studies?study=${DENSE}&study=${CONV}`);
    await page.reload();
    await expect.poll(() => view.getAttribute('data-count'), { timeout: 30_000 }).toBe('2');

    // One row per study with its trials, best value and verdict; both histories on one chart (3 + 3 trials).
    const table = page.getByTestId('compare-studies-table');
    expect(await table.getAttribute('data-rows')).toBe('2');
    for (const [name, arch] of [[DENSE, 'Dense'], [CONV, 'Conv']] as const) {
      const row = page.getByTestId(`compare-studies-row-${name}`);
      expect(await row.textContent()).toContain(arch);
      expect(await row.getByTestId('compare-studies-trials').textContent()).toMatch(/^3 complete · 0 pruned · 0 failed$/);
      const detail = await bridge.services.handlers['studies.get']({ name });
      expect(await row.getByTestId('compare-studies-best').textContent()).toMatch(/^\d/);
      expect(await row.getByTestId('compare-studies-verdict').textContent()).toMatch(detail.verdict ? /vs PCA\(\d+\): / : /not scored on test/);
    }
    await expect.poll(() => page.getByTestId('compare-studies-history-chart').getAttribute('data-points')).toBe('6');
    expect(Number(await page.getByTestId('compare-studies-tradeoff-chart').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await page.getByTestId('compare-studies-edf').getAttribute('data-empty')).toBe('false');

    const toggle = page.getByTestId('theme-toggle');
    const locale = page.getByTestId('locale-select');
    await screenshotWhole(page, 'compare-studies-en-light.png', { settleMs: 600, maxHeight: 3000 });
    await toggle.click();
    await screenshotWhole(page, 'compare-studies-en-dark.png', { settleMs: 600, maxHeight: 3000 });
    await locale.selectOption('zh');
    await expect.poll(() => page.getByTestId('compare-studies-history').textContent()).toMatch(/迄今最佳值/);
    await screenshotWhole(page, 'compare-studies-zh-dark.png', { settleMs: 600, maxHeight: 3000 });
    await toggle.click();
    await screenshotWhole(page, 'compare-studies-zh-light.png', { settleMs: 600, maxHeight: 3000 });
    await locale.selectOption('en');

    // Unticking one leaves one study: the view asks for a second instead of comparing one with nothing.
    await page.getByTestId(`compare-studies-pick-${CONV}`).uncheck();
    await page.getByTestId('compare-studies-need-two').waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/compare-studies?study=${DENSE}`);

    expect(seen.cspViolations).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});
