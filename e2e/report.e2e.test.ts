// The study report opened offline in Chromium: its charts render, its images load, and no request leaves the
// file. The study is written straight into a trial database (six finished trials with metrics, baselines and
// stored reconstructions), then `latent-lab report` runs as a user would, from a folder outside the repository.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrialArtifacts } from '../src/core/storage/artifacts';
import { openStorage } from '../src/core/storage/sqlite';
import { Study } from '../src/core/study/study';
import { launchChromium, root, tempDir } from './harness';

let tmp: string;
let browser: Browser;

async function writeStudy(dataDir: string): Promise<void> {
  const storage = openStorage(path.join(dataDir, 'trials.sqlite'), { create: true });
  const study = await Study.create(storage, {
    name: 'report study',
    dataset: { path: path.join(dataDir, 'images'), imageSize: 4, testFraction: 0.2 },
    searchSpace: { params: [{ name: 'latentSize', type: 'categorical', choices: [2, 4, 8] }, { name: 'learningRate', type: 'float', low: 1e-4, high: 1e-2, log: true }] },
    objectives: [{ name: 'val_accuracy' }],
    budget: { trials: 6 },
  });
  const classification = (acc: number) => ({ labels: [0, 1], accuracy: acc, balancedAccuracy: acc, f1Macro: acc, f1Weighted: acc, precisionMacro: acc, recallMacro: acc, rocAuc: acc, confusionMatrix: [[8, 2], [1, 9]] });
  for (let i = 0; i < 6; i++) {
    const latentSize = [2, 4, 8][i % 3];
    const t = await storage.createTrial(study.id, { state: 'RUNNING', params: { latentSize, learningRate: 10 ** (-4 + i * 0.4) }, seed: 0, datasetPath: null });
    const acc = 0.6 + 0.05 * i;
    await storage.setTrialAttr(t.id, 'params', { latentSize, learningRate: 10 ** (-4 + i * 0.4), hiddenUnits: [8], activation: 'relu', outputActivation: 'sigmoid', optimizer: 'adam', batchSize: 4, epochs: 2, imageSize: 4, channels: 1, valFraction: 0.2, seed: 0 });
    await storage.setTrialAttr(t.id, 'classes', ['cats', 'dogs']);
    await storage.setTrialAttr(t.id, 'evaluation', { recon: { mse: 0.05 / latentSize }, classification: classification(acc) });
    await storage.setTrialAttr(t.id, 'testMetrics', { classification: classification(acc - 0.02), regression: null });
    for (const epoch of [1, 2]) await storage.reportStep(t.id, epoch, { epoch, trainLoss: 0.1 / epoch, valLoss: 0.1 / epoch, valMse: 0.1 / epoch, seconds: 1, samplesPerSec: 100 }, 0.1 / epoch);
    const { dir, file } = createTrialArtifacts(path.join(dataDir, 'artifacts'), storage, t);
    const px = (k: number) => Array.from({ length: 16 }, (_, j) => (j * 16 + k * 40) % 256);
    fs.writeFileSync(file('reconstructions'), JSON.stringify({ trialId: t.id, epoch: 2, width: 4, height: 4, channels: 1, originals: [px(0), px(1)], reconstructions: [px(2), px(3)] }));
    await storage.updateTrial(t.id, { artifactDir: dir });
    await storage.setTrialValues(t.id, [acc]);
    await storage.setTrialState(t.id, 'COMPLETE');
  }
  await storage.setStudyAttr(study.id, 'baselines', { pcaDim: 4, pca: { classification: classification(0.7) }, raw: { classification: classification(0.75) }, rawSkipped: null });
  await storage.close();
}

beforeAll(async () => {
  tmp = tempDir('ll-report-');
  fs.mkdirSync(path.join(tmp, 'home'));
  await writeStudy(path.join(tmp, 'home'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('study report', () => {
  it('is one self-contained HTML file whose charts render offline, with no request leaving the file', async () => {
    const cli = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), 'report', 'report study', '--out', 'shared/report.html', '--data-dir', path.join(tmp, 'home')], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/chosen trial #5/);
    const file = path.join(tmp, 'shared', 'report.html');
    const csv = fs.readFileSync(path.join(tmp, 'shared', 'report.trials.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(7);
    expect(csv[0]).toMatch(/^number,state,val_accuracy,latentSize,learningRate,/);
    const again = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), 'report', 'report study', '--out', 'shared/report.html', '--data-dir', path.join(tmp, 'home')], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists.*--force/);

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route(/^(?!file:|data:)/, (route) => route.abort());
    await page.goto(pathToFileURL(file).href);
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((s) => ({ label: s.getAttribute('aria-label'), width: s.getBoundingClientRect().width, marks: s.querySelectorAll('circle.point, polyline.series, rect.bar').length })),
    );
    expect(charts.map((c) => c.label)).toEqual([
      'Latent-size trade-off: best reconstruction error',
      'Latent-size trade-off: best validation accuracy',
      'Optimisation history: val_accuracy',
      "Parameter importance (fANOVA over a random forest: each parameter's share of the objective's rank variance)",
    ]);
    for (const c of charts) {
      expect(c.width, c.label ?? '').toBeGreaterThan(100);
      expect(c.marks, c.label ?? '').toBeGreaterThan(0);
    }
    const images = await page.$$eval('.recon img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    expect(images).toEqual([4, 4, 4, 4]);
    const text = await page.textContent('body');
    expect(text).toMatch(/Trial #5/);
    expect(text).toMatch(/raw pixels \(validation\)/);
    expect(text).toMatch(/PCA\(4\) \(validation\)/);
    expect(await page.$$eval('table.confusion td', (tds) => tds.map((t) => t.textContent))).toEqual(['8', '2', '1', '9']);
    // Nothing but the file itself (data: URLs do not reach the network).
    expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([pathToFileURL(file).href]);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    await page.screenshot({ path: path.join(root, 'e2e', 'artifacts', 'study-report.png'), fullPage: true });
    await page.close();
  });
});
