// Peak memory of a trainer process against the number of images: one real trainer (the app's own process, as
// the supervisor forks it) trains one trial on 2,000 and then on 50,000 generated 64x64 RGB images (PNG class
// folders in a temporary folder, removed afterwards), from decoding the folder to writing the encoder bundle.
// Its peak resident set (VmHWM) must differ by less than 100 MB: batches are read from the image cache and
// converted per batch, so memory does not follow the number of images. Prints the estimate beside it.
//   node --import tsx bench/trainerRss.ts [--counts 2000,50000] [--arch dense|conv] [--keep]
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../src/shared/dto';
import { encodePng } from '../src/core/data/png';
import { openStorage } from '../src/core/storage/sqlite';
import { createManualTrial } from '../src/core/trainer/manualTrial';
import { trainerV8Flags } from '../src/core/trainer/nodeSpawn';
import type { FromTrainer, ToTrainer } from '../src/core/trainer/protocol';
import { describeMemory, estimateTrialMemory } from '../src/core/training/memoryEstimate';

const SIDE = 64;
const CLASSES = 10;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'core', 'trainer', 'entry.ts');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** `count` smooth RGB images (they compress, so 50,000 stay a few hundred MB on disk) in 10 class folders. */
function writeImages(dir: string, count: number): void {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const px = new Uint8Array(SIDE * SIDE * 3);
  for (let i = 0; i < count; i++) {
    const c = i % CLASSES;
    if (i < CLASSES) fs.mkdirSync(path.join(dir, `class${c}`), { recursive: true });
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const o = 3 * (y * SIDE + x);
        px[o] = (x * (c + 1) + i) & 255;
        px[o + 1] = (y * 3 + c * 20 + (i >> 3)) & 255;
        px[o + 2] = ((x + y) * 2 + c * 7) & 255;
      }
    }
    fs.writeFileSync(path.join(dir, `class${c}`, `${i}.png`), encodePng(px, SIDE, SIDE, 3));
  }
  fs.writeFileSync(marker, '');
}

const peakKb = (pid: number): number | null => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
};

/** Trains one trial in a fresh trainer process; returns its peak RSS in MB and the trial's end state. */
async function trainOnce(folder: string, params: AutoencoderParams, home: string): Promise<{ peakMb: number | null; state: string; seconds: number }> {
  const dbPath = path.join(home, 'trials.sqlite');
  const storage = openStorage(dbPath);
  const trialId = await createManualTrial(storage, { datasetPath: folder, params });
  await storage.close();
  const child = fork(ENTRY, [], { execArgv: [...trainerV8Flags(), '--import', 'tsx'], cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (m: ToTrainer): boolean => child.send(m);
  const started = performance.now();
  const state = await new Promise<string>((resolve) => {
    child.on('message', (raw) => {
      const m = raw as FromTrainer;
      if (m.type === 'trial.state' && m.payload.trialId === trialId && !['RUNNING', 'WAITING'].includes(m.payload.state)) resolve(`${m.payload.state}${m.payload.reason ? `: ${m.payload.reason}` : ''}`);
    });
    child.on('exit', (code) => resolve(`trainer exited (${code})`));
    send({ type: 'threads', threads: 1 });
    send({ type: 'train', trialId, request: { datasetPath: folder, params }, dbPath, dataDir: home });
  });
  const seconds = (performance.now() - started) / 1000;
  const kb = child.pid ? peakKb(child.pid) : null;
  send({ type: 'shutdown' });
  await new Promise((resolve) => child.on('exit', resolve));
  return { peakMb: kb === null ? null : kb / 1024, state, seconds };
}

async function main(): Promise<void> {
  const counts = arg('counts', '2000,50000').split(',').map(Number);
  const arch = arg('arch', 'dense');
  const params: AutoencoderParams = {
    ...DEFAULT_PARAMS,
    architecture: arch === 'conv' ? 'conv' : 'dense',
    hiddenUnits: [64],
    filters: [16, 32],
    latentSize: 16,
    batchSize: 64,
    epochs: 1,
    imageSize: SIDE,
    channels: 3,
    seed: 1,
  };
  const base = path.join(os.tmpdir(), 'latent-lab-bench-rss');
  console.log(`${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${arch}, 1 epoch, batch 64`);
  const rows: Array<{ count: number; peakMb: number | null; state: string; seconds: number }> = [];
  try {
    for (const count of counts) {
      const folder = path.join(base, `images-${count}`);
      const t0 = performance.now();
      writeImages(folder, count);
      console.log(`${count} images in ${folder} (${((performance.now() - t0) / 1000).toFixed(1)} s to generate)`);
      // A fresh data folder each time: the trainer decodes the images into its cache, then trains from it.
      const home = fs.mkdtempSync(path.join(base, 'home-'));
      const r = await trainOnce(folder, params, home);
      fs.rmSync(home, { recursive: true, force: true });
      rows.push({ count, ...r });
      console.log(`  peak RSS ${r.peakMb?.toFixed(0) ?? '?'} MB, ${r.state}, ${r.seconds.toFixed(1)} s; estimate ${describeMemory(estimateTrialMemory(params, count))}`);
    }
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(base, { recursive: true, force: true });
  }
  console.log('\n| images (64x64 RGB) | trainer peak RSS (VmHWM) | trial | seconds | estimate per trainer |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.count.toLocaleString('en-US')} | ${r.peakMb?.toFixed(0) ?? '?'} MB | ${r.state} | ${r.seconds.toFixed(1)} | ${(estimateTrialMemory(params, r.count).total / 2 ** 20).toFixed(0)} MB |`);
  const [a, b] = [rows[0]?.peakMb, rows.at(-1)?.peakMb];
  if (rows.length >= 2 && a != null && b != null) console.log(`difference ${(b - a).toFixed(0)} MB (target < 100 MB: ${b - a < 100 ? 'met' : 'NOT met'})`);
}

await main();
