// End to end (issue 15): a tiny 2-trial study on 8x8 images through the real bridge, then "Refit for export"
// on its dashboard in Chromium: the refit trains on training + validation images, its verdict on test shows
// beside the chosen trial's, "Export refit" writes a bundle whose manifest says it is a refit of this study,
// and the study report gains its Refit part. Then the analytics page's export card: the same refit, its verdict,
// and "Export refit" from there (the same study: no second training). Screenshots of the card (en, zh-CN) and of
// the export card go to e2e/artifacts/refit-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { StudySpec } from '../src/shared/study/spec';
import { makeImageFolder } from '../test/helpers/images';
import { tinySearchSpace } from '../test/helpers/tinyStudy';
import { artifactsDir, buildRenderer, launchChromium, probe, startBridge, staticDirFor, tempDir, viewport, type Bridge } from './harness';
import { latinWords } from './latinWords';

const staticDir = staticDirFor('e2e-renderer-refit');
const STUDY = 'e2e-refit';

describe('Refit for export in Chromium over the HTTP bridge', () => {
  let browser: Browser;
  let bridge: Bridge | null = null;
  let tmp: string;

  beforeAll(async () => {
    await buildRenderer(staticDir);
    fs.mkdirSync(artifactsDir, { recursive: true });
    tmp = tempDir('latent-lab-e2e-refit-');
    await makeImageFolder(path.join(tmp, 'images'), ['a', 'b'], 12, 8);
    bridge = await startBridge(path.join(tmp, 'home'), staticDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refits the chosen trial from the dashboard, shows its verdict and exports it as a refit', { timeout: 600_000 }, async () => {
    if (!bridge) throw new Error('bridge did not start');
    const h = bridge.services.handlers;
    const spec = StudySpec.parse({
      name: STUDY,
      dataset: { path: path.join(tmp, 'images'), imageSize: 8, testFraction: 0.25 },
      searchSpace: tinySearchSpace(2),
      objectives: [{ name: 'val_accuracy' }],
      sampler: { type: 'random' },
      pruner: { type: 'nop' },
      budget: { trials: 2 },
      seed: 5,
      parallel: 1,
    });
    await h['study.start']({ spec });
    await expect.poll(async () => (await h['studies.get']({ name: STUDY })).state, { timeout: 300_000, interval: 1_000 }).toBe('finished');
    const study = await h['studies.get']({ name: STUDY });
    const best = study.trials.find((t) => t.id === study.bestTrialId);
    expect(best?.state).toBe('COMPLETE');
    expect(study.verdict).not.toBeNull();

    const page = await browser.newPage({ viewport });
    const seen = await probe(page);
    await page.goto(bridge.newLaunchUrl());
    await page.getByTestId('panel-newStudy').waitFor();
    await page.goto(`${new URL(page.url()).origin}/#/studies/${encodeURIComponent(STUDY)}`);
    const card = page.getByTestId('refit-card');
    await card.waitFor();
    expect(await page.getByTestId('refit-chosen').textContent()).toContain(`trial #${best!.number}`);
    // The default is what the chosen trial trained; a wrong count is said and not sent.
    expect(await page.getByTestId('refit-epochs').inputValue()).toBe(String(best!.epochsDone));
    await page.getByTestId('refit-epochs').fill('0');
    expect(await page.getByTestId('refit-epochs-error').textContent()).toMatch(/from 1 to 1000/);
    expect(await page.getByTestId('refit-start').isDisabled()).toBe(true);
    await page.getByTestId('refit-epochs').fill('3');
    await page.getByTestId('refit-start').click();

    // It runs (or has already run: 3 epochs of a tiny model take a moment), then its verdict is shown.
    const result = page.getByTestId('refit-result');
    await result.waitFor({ timeout: 240_000 });
    const after = await h['studies.get']({ name: STUDY });
    expect(after.refits).toHaveLength(1);
    const refit = after.refits[0];
    expect(refit).toMatchObject({ of: best!.number, epochs: 3, state: 'COMPLETE', failReason: null });
    expect(await result.getAttribute('data-trial-id')).toBe(String(refit.trialId));
    // The search is untouched: its trials and chosen trial are as they were.
    expect(after.trials.map((t) => [t.id, t.state])).toEqual(study.trials.map((t) => [t.id, t.state]));
    expect(after.bestTrialId).toBe(study.bestTrialId);
    // Its verdict beside the chosen trial's, on the same test images.
    await page.getByTestId('refit-verdict').waitFor();
    expect(await page.getByTestId('refit-verdict').textContent()).toMatch(new RegExp(`same test split \\(${study.verdict!.testImages} images.*the refit's \\d features reach`));
    expect(await page.getByTestId('refit-chosen-verdict').textContent()).toMatch(/the chosen trial's \d features reach/);
    expect(await page.locator('[data-testid^="refit-verdict-pca-"]').count()).toBe(1);
    expect(await page.getByTestId('refit-change').textContent()).toMatch(/^Test accuracy: \d\.\d{3} for the refit against \d\.\d{3} for the chosen trial/);
    expect(await page.getByTestId(`refit-row-${refit.trialId}`).getAttribute('data-state')).toBe('COMPLETE');
    await card.screenshot({ path: path.join(artifactsDir, 'refit-card-en.png') });

    // Export refit: the normal export flow with the refit's trial.
    await page.getByTestId('refit-export').click();
    const bundle = path.join(tmp, 'refit-bundle');
    await card.getByTestId('export-folder').fill(bundle);
    await card.getByTestId('export-run').click();
    await card.getByTestId('export-result').waitFor({ timeout: 120_000 });
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as {
      study: { name: string };
      refit: { study: string; trialNumber: number; trainedOn: string; epochs: number } | null;
      metrics: { verdict: { trialId: number } | null };
    };
    expect(manifest.refit).toMatchObject({ study: STUDY, trialNumber: best!.number, trainedOn: 'training + validation', epochs: 3 });
    expect(manifest.study.name).toBe('Refits');
    expect(manifest.metrics.verdict?.trialId).toBe(refit.trialId);

    // The study report has its Refit part, with both verdicts.
    const reports = path.join(tmp, 'reports');
    fs.mkdirSync(reports);
    const written = await h['report.write']({ study: STUDY, folder: reports, force: false });
    const html = fs.readFileSync(written.files.find((f) => f.endsWith('.html'))!, 'utf8');
    expect(html).toMatch(new RegExp(`<h2>Refit</h2>\\s*<p>Refit trial <b>${refit.trialId}</b> \\(study "Refits"\\): the configuration of trial #${best!.number} trained again from scratch on the training \\+ validation images \\(\\d+ images\\) for 3 epochs`));
    expect(html).toMatch(/<h3>Refit \(training \+ validation images\)<\/h3><div class="verdict"><p>Verdict on test/);
    expect(html).toContain(`<p>test accuracy: the refit of trial #${best!.number} (`);
    expect(html).toMatch(/Test accuracy of the refit minus the chosen trial's: [+\u2212]\d+\.\d points\./);

    // In Chinese: no English left on the card (the export panel, which lists file names, closed first).
    await page.getByTestId('refit-export').click();
    await expect.poll(() => card.getByTestId('export-panel').count()).toBe(0);
    await page.getByTestId('locale-select').selectOption('zh');
    await expect.poll(async () => (await page.getByTestId('refit-card').textContent()) ?? '').toMatch(/重新训练后导出/);
    expect(latinWords(await card.innerText(), [STUDY])).toEqual([]);
    await card.screenshot({ path: path.join(artifactsDir, 'refit-card-zh.png') });
    await page.getByTestId('locale-select').selectOption('en');

    // Analytics, "Export & report": the card says the study has a refit to export and offers it there; the
    // trial chosen in the card is still the search's chosen trial.
    await page.getByTestId('open-analytics').click();
    await page.getByTestId('study-analytics').waitFor({ timeout: 30_000 });
    await page.getByTestId('open-export').click();
    const exportCard = page.getByTestId('study-export');
    const inset = exportCard.getByTestId('refit-card');
    await inset.waitFor();
    expect(await inset.getAttribute('data-placement')).toBe('export');
    expect(await inset.getByTestId('refit-lead').getAttribute('data-kind')).toBe('refit');
    expect(await inset.getByTestId('refit-lead').textContent()).toContain(`trial #${best!.number} trained again on the training + validation images (3 epochs)`);
    expect(await inset.getByTestId('refit-result').getAttribute('data-trial-id')).toBe(String(refit.trialId));
    expect(await inset.getByTestId(`refit-row-${refit.trialId}-accuracy`).textContent()).toMatch(/^\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]$/);
    expect(await exportCard.getByTestId('export-trial').inputValue()).toBe(String(best!.id));
    await inset.getByTestId('refit-export').click();
    const fromAnalytics = path.join(tmp, 'refit-bundle-analytics');
    await inset.getByTestId('export-folder').fill(fromAnalytics);
    await inset.getByTestId('export-run').click();
    await inset.getByTestId('export-result').waitFor({ timeout: 120_000 });
    const fromCard = JSON.parse(fs.readFileSync(path.join(fromAnalytics, 'manifest.json'), 'utf8')) as typeof manifest;
    expect(fromCard.refit).toMatchObject({ study: STUDY, trialNumber: best!.number, epochs: 3 });
    expect(fromCard.metrics.verdict?.trialId).toBe(refit.trialId);
    await exportCard.screenshot({ path: path.join(artifactsDir, 'refit-export-card-en.png') });

    expect(seen.cspViolations).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });
});
