// Latent explorer frame times at 10,000 points (not a test). Run: node --import tsx bench/explorerFrames.ts
// A real one-trial study on a tiny folder gives a COMPLETE trial with its files; its stored codes, per-point
// data and thumbnails are then replaced by 10,000 synthetic codes (10 Gaussian clusters in 8-D, 8x8 thumbnails),
// and the built renderer explores them in Debian's Chromium over the real bridge. Frame intervals come from a
// requestAnimationFrame recorder in the page, long tasks from PerformanceObserver('longtask').
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRenderer, launchChromium, startBridge, staticDirFor, tempDir, viewport } from '../e2e/harness';
import { ARTIFACT_FILES, type StoredLatents, type StoredPoints } from '../src/core/storage/artifacts';
import { StudySpec } from '../src/shared/study/spec';
import { makeImageFolder } from '../test/helpers/images';

const N = Number(process.env.POINTS ?? 10_000);
const DIMS = 8;
const STUDY = 'bench-explorer';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function replaceArtifacts(dir: string): void {
  const r = rng(7);
  const gauss = (): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const centres = Array.from({ length: 10 }, () => Array.from({ length: DIMS }, () => gauss() * 4));
  const labels = Array.from({ length: N }, (_, i) => String(i % 10));
  const codes = labels.map((l) => centres[Number(l)].map((c) => c + gauss()));
  const latents: StoredLatents = { latentSize: DIMS, codes, labels };
  const points: StoredPoints = {
    format: 'latent-lab-points',
    formatVersion: 1,
    files: labels.map((l, i) => `${l}/${i}.png`),
    errors: labels.map(() => 0.01 + 0.05 * r()),
    predicted: labels.map((l) => (r() < 0.9 ? l : String((Number(l) + 1) % 10))),
    thumbWidth: 8,
    thumbHeight: 8,
    channels: 1,
  };
  const images = Buffer.alloc(N * 2 * 64).map(() => Math.floor(r() * 256));
  fs.writeFileSync(path.join(dir, ARTIFACT_FILES.latents), JSON.stringify(latents));
  fs.writeFileSync(path.join(dir, ARTIFACT_FILES.points), JSON.stringify(points));
  fs.writeFileSync(path.join(dir, ARTIFACT_FILES.pointImages), images);
}

interface Frames {
  intervals: number[];
  longTasks: number[];
}

function summary(name: string, f: Frames): string {
  const s = [...f.intervals].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? 0;
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return `${name.padEnd(28)} frames ${String(s.length).padStart(4)}  mean ${mean.toFixed(1).padStart(6)} ms  p95 ${q(0.95).toFixed(1).padStart(6)} ms  max ${q(1).toFixed(1).padStart(6)} ms  long tasks ${f.longTasks.length} (max ${Math.max(0, ...f.longTasks).toFixed(0)} ms)`;
}

async function main(): Promise<void> {
  const staticDir = staticDirFor('bench-explorer');
  await buildRenderer(staticDir);
  const dataDir = tempDir('latent-lab-bench-explorer-');
  const folder = await makeImageFolder(path.join(dataDir, 'imgs'), ['a', 'b'], 30);
  const bridge = await startBridge(path.join(dataDir, 'home'), staticDir);
  const browser = await launchChromium();
  try {
    const spec = StudySpec.parse({
      name: STUDY,
      dataset: { path: folder, imageSize: 8, channels: 1, valFraction: 0.3 },
      searchSpace: { params: [{ name: 'architecture', type: 'fixed', value: 'dense' }, { name: 'latentSize', type: 'fixed', value: DIMS }, { name: 'hiddenUnits', type: 'fixed', value: [8] }, { name: 'epochs', type: 'fixed', value: 1 }, { name: 'learningRate', type: 'float', low: 0.001, high: 0.01, log: true }] },
      objectives: [{ name: 'val_recon' }],
      sampler: { type: 'random' },
      budget: { trials: 1 },
      seed: 1,
      parallel: 1,
    });
    await bridge.services.handlers['study.start']({ spec });
    let best: number | null = null;
    for (let i = 0; i < 600 && best === null; i++) {
      const d = await bridge.services.handlers['studies.get']({ name: STUDY });
      if (d.state !== 'running' && d.bestTrialId !== null) best = d.bestTrialId;
      else await new Promise((r) => setTimeout(r, 500));
    }
    if (best === null) throw new Error('the bench study did not finish');
    replaceArtifacts((await bridge.services.handlers['trials.get']({ trialId: best })).artifactDir!);

    const page = await browser.newPage({ viewport });
    await page.addInitScript(() => {
      const g = globalThis as unknown as { __frames: { on: boolean; last: number; intervals: number[]; longTasks: number[] }; requestAnimationFrame: (cb: (t: number) => void) => void; PerformanceObserver: new (cb: (l: { getEntries(): { duration: number }[] }) => void) => { observe(o: unknown): void } };
      g.__frames = { on: false, last: 0, intervals: [], longTasks: [] };
      const tick = (t: number): void => {
        const f = g.__frames;
        if (f.on && f.last) f.intervals.push(t - f.last);
        f.last = t;
        g.requestAnimationFrame(tick);
      };
      g.requestAnimationFrame(tick);
      new g.PerformanceObserver((l) => {
        if (g.__frames.on) for (const e of l.getEntries()) g.__frames.longTasks.push(e.duration);
      }).observe({ entryTypes: ['longtask'] });
    });
    await page.goto(bridge.newLaunchUrl());
    const start = (): Promise<void> => page.evaluate(() => void Object.assign((globalThis as unknown as { __frames: object }).__frames, { on: true, last: 0, intervals: [], longTasks: [] }));
    const stop = (): Promise<Frames> =>
      page.evaluate(() => {
        const f = (globalThis as unknown as { __frames: { on: boolean; intervals: number[]; longTasks: number[] } }).__frames;
        f.on = false;
        return { intervals: f.intervals, longTasks: f.longTasks };
      });
    await page.getByTestId('nav-studies').click();
    await page.getByTestId(`study-row-${STUDY}`).click();
    const t0 = Date.now();
    await start();
    await page.getByTestId('study-tab-explorer').click();
    await page.getByTestId('latent-explorer').and(page.locator(`[data-points="${N}"]`)).waitFor({ timeout: 120_000 });
    const loaded = Date.now() - t0;
    await page.waitForTimeout(1500); // progressive rendering finishes
    const open = await stop();

    const box = (await page.getByTestId('explorer-chart').boundingBox())!;
    await start();
    for (let i = 0; i <= 80; i++) await page.mouse.move(box.x + box.width * (0.1 + 0.8 * (i / 80)), box.y + box.height * (0.3 + 0.4 * Math.sin(i / 8) ** 2));
    await page.waitForTimeout(300);
    const hover = await stop();

    await start();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    for (const c of ['error', 'outcome', 'label'] as const) {
      await page.getByTestId(`explorer-colour-${c}`).click();
      await page.waitForTimeout(400);
    }
    const recolour = await stop();

    await start();
    await page.getByTestId('explorer-lasso').click();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx - 150, cy - 100);
    await page.mouse.down();
    for (const [dx, dy] of [[150, -100], [150, 100], [-150, 100], [-150, -100]] as const) await page.mouse.move(cx + dx, cy + dy, { steps: 20 });
    await page.mouse.up();
    await page.getByTestId('explorer-lasso-result').waitFor();
    await page.waitForTimeout(500);
    const lasso = await stop();
    const lassoCount = await page.getByTestId('explorer-lasso-result').locator('h4').textContent();

    console.log(`Latent explorer, ${N} points (${DIMS}-D codes, PCA in the engine), Chromium ${browser.version()}, viewport ${viewport.width}x${viewport.height}`);
    console.log(`load average: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
    console.log(`open the view -> ${N} points on the map: ${loaded} ms (projection in the engine + transfer + first draw)`);
    console.log(summary('open + progressive draw', open));
    console.log(summary('hover sweep (81 moves)', hover));
    console.log(summary('click + 3 colourings', recolour));
    console.log(summary('lasso (80 moves) + gallery', lasso));
    console.log(`lasso: ${lassoCount?.trim()}`);
    await page.close();
  } finally {
    await browser.close();
    await bridge.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
