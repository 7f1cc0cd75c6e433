// Latent explorer frame times at 10,000 points (not a test). Run: node --import tsx bench/explorerFrames.ts
// (POINTS=n for another count)
// A real one-trial study on a tiny folder gives a COMPLETE trial with its files; its stored codes, per-point
// data and thumbnails are then replaced by 10,000 synthetic codes (10 Gaussian clusters in 8-D, 8x8 thumbnails),
// and the built renderer explores them in Debian's Chromium over the real bridge. Frame intervals come from a
// requestAnimationFrame recorder in the page, long frames and tasks from PerformanceObserver
// ('long-animation-frame', 'longtask'), the opening's parts from resource timing and the explorer's User Timing marks.
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

/**
 * The in-page recorder, as source text: tsx compiles this file with esbuild's keepNames, which wraps named
 * functions in a `__name(...)` helper that does not exist in the page, so a function passed to addInitScript
 * threw there and recorded nothing (the last session's "no frames"). Frame intervals from requestAnimationFrame,
 * long animation frames (Chromium's 'long-animation-frame' entries) and long tasks (> 50 ms) while `on`.
 */
const RECORDER = `
  window.__bench = { on: false, last: 0, frames: [], loafs: [], tasks: [], blame: [] };
  function benchTick(t) {
    const b = window.__bench;
    if (b.on && b.last) b.frames.push(t - b.last);
    b.last = t;
    requestAnimationFrame(benchTick);
  }
  requestAnimationFrame(benchTick);
  for (const [type, key] of [['long-animation-frame', 'loafs'], ['longtask', 'tasks']]) {
    try {
      new PerformanceObserver(function (list) {
        if (!window.__bench.on) return;
        for (const e of list.getEntries()) {
          window.__bench[key].push(e.duration);
          // What ran in a long animation frame: its longest scripts (invoker, source file, duration).
          if (e.scripts) window.__bench.blame.push({ frame: Math.round(e.duration), at: Math.round(e.startTime), scripts: e.scripts.map((s) => ({ invoker: s.invoker, source: (s.sourceURL || '').split('/').pop() + ':' + s.sourceCharPosition, ms: Math.round(s.duration) })).sort((a, b) => b.ms - a.ms).slice(0, 3) });
        }
      }).observe({ type });
    } catch (err) {
      console.warn('no ' + type + ' entries: ' + err);
    }
  }
`;

interface Frames {
  frames: number[];
  loafs: number[];
  tasks: number[];
  blame: { frame: number; at: number; scripts: { invoker: string; source: string; ms: number }[] }[];
}

function quantile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] : Number.NaN;
}

function summary(name: string, f: Frames): string {
  const s = [...f.frames].sort((a, b) => a - b);
  const ms = (v: number): string => `${v.toFixed(1).padStart(6)} ms`;
  const worst = [...f.blame].sort((a, b) => b.frame - a.frame)[0];
  const blame = worst ? `\n${''.padEnd(30)} longest frame ${worst.frame} ms (at ${worst.at} ms on the page clock): ${worst.scripts.map((x) => `${x.invoker} ${x.source} ${x.ms} ms`).join('; ') || 'no script (style, layout, paint)'}` : '';
  return `${name.padEnd(30)} frames ${String(s.length).padStart(4)}  p50 ${ms(quantile(s, 0.5))}  p95 ${ms(quantile(s, 0.95))}  max ${ms(quantile(s, 1))}  long frames ${f.loafs.length} (max ${Math.max(0, ...f.loafs).toFixed(0)} ms)  long tasks ${f.tasks.length} (max ${Math.max(0, ...f.tasks).toFixed(0)} ms)${blame}`;
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
    await page.addInitScript({ content: RECORDER });
    await page.goto(bridge.newLaunchUrl());
    const start = (): Promise<void> => page.evaluate('Object.assign(window.__bench, { on: true, last: 0, frames: [], loafs: [], tasks: [], blame: [] })');
    const stop = (): Promise<Frames> => page.evaluate('(window.__bench.on = false, { frames: window.__bench.frames, loafs: window.__bench.loafs, tasks: window.__bench.tasks, blame: window.__bench.blame })');
    await page.getByTestId('nav-studies').click();
    await page.getByTestId(`study-row-${STUDY}`).click();
    await page.getByTestId('study-tab-explorer').waitFor();

    // Open: click the tab in the page (t0 on the page's clock), wait until the map has finished drawing.
    await start();
    const t0 = (await page.evaluate(`(() => { const t = performance.now(); document.querySelector('[data-testid="study-tab-explorer"]').click(); return t; })()`)) as number;
    await page.getByTestId('latent-explorer').and(page.locator(`[data-points="${N}"]`)).waitFor({ timeout: 180_000 });
    await page.waitForFunction(`performance.getEntriesByName('explorer:drawn').length > 0`, undefined, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const open = await stop();
    const timing = (await page.evaluate(`(() => {
      const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
      const r = performance.getEntriesByType('resource').find((e) => e.name.includes('/explorer.points'));
      return { data: mark('explorer:data'), first: mark('explorer:first-frame'), drawn: mark('explorer:drawn'),
        reqStart: r?.startTime ?? NaN, resStart: r?.responseStart ?? NaN, resEnd: r?.responseEnd ?? NaN, bytes: r?.encodedBodySize ?? NaN };
    })()`)) as Record<'data' | 'first' | 'drawn' | 'reqStart' | 'resStart' | 'resEnd' | 'bytes', number>;

    // Hover: 120 pointer moves across the map (each a separate input event, as a user's sweep).
    const box = (await page.getByTestId('explorer-chart').boundingBox())!;
    await start();
    for (let i = 0; i <= 120; i++) await page.mouse.move(box.x + box.width * (0.1 + 0.8 * (i / 120)), box.y + box.height * (0.3 + 0.4 * Math.sin(i / 10) ** 2));
    await page.waitForTimeout(300);
    const hover = await stop();

    // Zoom and pan: 10 wheel steps in over the centre, a drag, 10 steps out.
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await start();
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -120);
    await page.mouse.down();
    await page.mouse.move(cx + 120, cy + 60, { steps: 20 });
    await page.mouse.up();
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 120);
    await page.waitForTimeout(300);
    const zoom = await stop();

    await start();
    await page.mouse.click(cx, cy);
    for (const c of ['error', 'outcome', 'label'] as const) {
      await page.getByTestId(`explorer-colour-${c}`).click();
      await page.waitForTimeout(400);
    }
    const recolour = await stop();

    await start();
    await page.getByTestId('explorer-lasso').click();
    await page.mouse.move(cx - 150, cy - 100);
    await page.mouse.down();
    for (const [dx, dy] of [[150, -100], [150, 100], [-150, 100], [-150, -100]] as const) await page.mouse.move(cx + dx, cy + dy, { steps: 20 });
    await page.mouse.up();
    await page.getByTestId('explorer-lasso-result').waitFor();
    await page.waitForTimeout(500);
    const lasso = await stop();
    const lassoCount = await page.getByTestId('explorer-lasso-result').locator('h4').textContent();

    const all = [open, hover, zoom, recolour, lasso];
    const ms = (v: number): string => `${v.toFixed(0)} ms`;
    console.log(`Latent explorer, ${N} points (${DIMS}-D codes, PCA in the engine), Chromium ${browser.version()}, viewport ${viewport.width}x${viewport.height}`);
    console.log(`load average: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
    console.log(`open: explorer.points request sent +${ms(timing.reqStart - t0)}, answered +${ms(timing.resStart - t0)} (server: projection and JSON), body ${(timing.bytes / 1024).toFixed(0)} KiB received +${ms(timing.resEnd - t0)}`);
    console.log(`open: time to first points (first frame with the data) ${ms(timing.first - t0)}, to all points drawn ${ms(timing.drawn - t0)} (data applied +${ms(timing.data - t0)})`);
    console.log(`open: t0 = ${t0.toFixed(0)} ms on the page clock`);
    console.log(summary('open (click tab .. drawn)', open));
    console.log(summary('hover sweep (121 moves)', hover));
    console.log(summary('zoom 10 in, pan, 10 out', zoom));
    console.log(summary('click + 3 colourings', recolour));
    console.log(summary('lasso (80 moves) + gallery', lasso));
    console.log(`longest task overall: ${Math.max(0, ...all.flatMap((f) => f.tasks)).toFixed(0)} ms; longest animation frame: ${Math.max(0, ...all.flatMap((f) => f.loafs)).toFixed(0)} ms`);
    console.log(`lasso: ${lassoCount?.trim()}`);
    await page.close();
  } finally {
    await browser.close();
    await bridge.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
