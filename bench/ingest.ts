// Ingest benchmark (not a test). Run: node --import tsx bench/ingest.ts
// Writes the 7,000-image Fashion-MNIST folder used by REFERENCE.md (once, reused), then measures first decode
// without a cache, decode + cache write, cached reopen, and the reopen of the 10,000-image sample dataset.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { encodePng } from '../src/core/data/png';
import { ensureSampleDataset } from '../src/core/data/sample';
import { loadDataset } from '../src/core/data/load';

const BENCH_DIR = path.join(os.tmpdir(), 'latent-lab-bench');
const FASHION_DIR = path.join(BENCH_DIR, 'fashion-mnist-7000');
const SAMPLE_DIR = path.join(BENCH_DIR, 'mnist-sample');
const PHOTO_DIR = path.join(BENCH_DIR, 'photos-400');
const PHOTOS = 400;
const MARKER = '.complete';
const CLASSES = ['0-tshirt-top', '1-trouser', '2-pullover', '3-dress', '4-coat', '5-sandal', '6-shirt', '7-sneaker', '8-bag', '9-ankle-boot'];
const TRAIN_PER_CLASS = 600;
const TEST_PER_CLASS = 100;

/** The package's set() is broken (REFERENCE.md): read its raw arrays; pixels are already 0-255. */
function writeFashionFolder(): number {
  const total = CLASSES.length * (TRAIN_PER_CLASS + TEST_PER_CLASS);
  if (fs.existsSync(path.join(FASHION_DIR, MARKER))) return total;
  fs.rmSync(FASHION_DIR, { recursive: true, force: true });
  const require = createRequire(import.meta.url);
  const clothes = path.join(path.dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  for (let c = 0; c < CLASSES.length; c++) {
    const data = (JSON.parse(fs.readFileSync(path.join(clothes, `${c}.json`), 'utf8')) as { data: number[][] }).data;
    const dir = path.join(FASHION_DIR, CLASSES[c]);
    fs.mkdirSync(dir, { recursive: true });
    for (let k = 0; k < TRAIN_PER_CLASS + TEST_PER_CLASS; k++) {
      const name = k < TRAIN_PER_CLASS ? `train-${String(k).padStart(4, '0')}.png` : `test-${String(k - TRAIN_PER_CLASS).padStart(4, '0')}.png`;
      fs.writeFileSync(path.join(dir, name), encodePng(Uint8Array.from(data[k]), 28, 28, 1));
    }
  }
  fs.writeFileSync(path.join(FASHION_DIR, MARKER), new Date().toISOString());
  return total;
}

/** 400 JPEG "photos" (320x240 RGB, smooth gradients plus noise, a quarter EXIF-rotated), written once. */
async function writePhotoFolder(): Promise<number> {
  if (fs.existsSync(path.join(PHOTO_DIR, MARKER))) return PHOTOS;
  fs.rmSync(PHOTO_DIR, { recursive: true, force: true });
  fs.mkdirSync(PHOTO_DIR, { recursive: true });
  const w = 320;
  const h = 240;
  let seed = 7;
  for (let k = 0; k < PHOTOS; k++) {
    const px = Buffer.alloc(w * h * 3);
    for (let i = 0; i < px.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const x = (i / 3) % w;
      const y = Math.floor(i / 3 / w);
      px[i] = (x * (1 + (k % 3)) + y * 2 + (i % 3) * 60 + (seed >>> 28)) & 255;
    }
    let img = sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 85 });
    if (k % 4 === 0) img = img.withMetadata({ orientation: 6 });
    await img.toFile(path.join(PHOTO_DIR, `photo-${String(k).padStart(3, '0')}.jpg`));
  }
  fs.writeFileSync(path.join(PHOTO_DIR, MARKER), new Date().toISOString());
  return PHOTOS;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function freshCacheDir(): string {
  return fs.mkdtempSync(path.join(BENCH_DIR, 'cache-'));
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function runs(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timeIt(fn));
  return out;
}

async function main(): Promise<void> {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const tWrite = performance.now();
  const count = writeFashionFolder();
  console.log(`Fashion-MNIST folder: ${FASHION_DIR} (${count} PNGs, ready in ${(performance.now() - tWrite).toFixed(0)} ms)`);
  const opts = { size: 28, channels: 1 as const };

  const check = await loadDataset(FASHION_DIR, opts);
  if (check.files.length !== count || check.failures.length) throw new Error(`expected ${count} images, got ${check.files.length} (${check.failures.length} failures)`);

  // First decode, no cache: a fresh process-level state each time is not possible, but no cache is read.
  const fast = await runs(3, () => loadDataset(FASHION_DIR, opts));
  const sharpOnly = await runs(3, () => loadDataset(FASHION_DIR, { ...opts, fastPath: false }));
  const cacheDirs: string[] = [];
  const withWrite = await runs(3, () => {
    const dir = freshCacheDir();
    cacheDirs.push(dir);
    return loadDataset(FASHION_DIR, { ...opts, cacheDir: dir });
  });
  const reopen = await runs(5, async () => {
    const ds = await loadDataset(FASHION_DIR, { ...opts, cacheDir: cacheDirs[0] });
    if (!ds.fromCache) throw new Error('expected a cache hit');
  });

  const tSample = performance.now();
  const sample = await ensureSampleDataset(SAMPLE_DIR);
  const sampleMs = performance.now() - tSample;
  const sampleCache = freshCacheDir();
  cacheDirs.push(sampleCache);
  const sampleFirst = await timeIt(() => loadDataset(sample.path, { ...opts, cacheDir: sampleCache }));
  const sampleReopen = await runs(5, async () => {
    const ds = await loadDataset(sample.path, { ...opts, cacheDir: sampleCache });
    if (!ds.fromCache || ds.files.length !== 10_000) throw new Error('expected a 10,000-image cache hit');
  });
  for (const d of cacheDirs) fs.rmSync(d, { recursive: true, force: true });

  // Resizing: every image goes through the resize (no fast path applies at another size).
  const down = await runs(3, () => loadDataset(FASHION_DIR, { size: 20, channels: 1 }));
  const up = await runs(3, () => loadDataset(FASHION_DIR, { size: 32, channels: 1 }));
  const photoCount = await writePhotoFolder();
  const photos = await runs(3, () => loadDataset(PHOTO_DIR, { size: 64, channels: 3 }));
  const photosGrey = await runs(3, () => loadDataset(PHOTO_DIR, { size: 32, channels: 1 }));

  const rate = (ms: number, n: number): string => Math.round((n / ms) * 1000).toLocaleString('en-US');
  const rows: [string, string, string][] = [
    ['Latent Lab first decode, no cache (median of 3)', rate(median(fast), count), median(fast).toFixed(0)],
    ['Latent Lab sharp only, no fast path (median of 3)', rate(median(sharpOnly), count), median(sharpOnly).toFixed(0)],
    ['Latent Lab decode + cache write (median of 3)', rate(median(withWrite), count), median(withWrite).toFixed(0)],
    ['Latent Lab cached reopen (median of 5)', rate(median(reopen), count), median(reopen).toFixed(0)],
    ['Reference: Python PIL, one at a time', '13,871', '-'],
    ['Reference: sharp 0.35, one at a time', '1,038', '-'],
    ['Reference: sharp 0.35, 64 in flight', '1,718', '-'],
    ['Fashion-MNIST resized 28 -> 20 grey (median of 3)', rate(median(down), count), median(down).toFixed(0)],
    ['Fashion-MNIST resized 28 -> 32 grey (median of 3)', rate(median(up), count), median(up).toFixed(0)],
    [`${photoCount} JPEG photos 320x240 -> 64 RGB (median of 3)`, rate(median(photos), photoCount), median(photos).toFixed(0)],
    [`${photoCount} JPEG photos 320x240 -> 32 grey (median of 3)`, rate(median(photosGrey), photoCount), median(photosGrey).toFixed(0)],
    [`Sample dataset: ${sample.created ? 'written' : 'already there'} (${sample.count} PNGs)`, '-', sampleMs.toFixed(0)],
    ['Sample dataset: first decode + cache write', rate(sampleFirst, sample.count), sampleFirst.toFixed(0)],
    ['Sample dataset: cached reopen (median of 5)', rate(median(sampleReopen), sample.count), median(sampleReopen).toFixed(0)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nIngest, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log(`${'run'.padEnd(w0)} | ${'images/s'.padStart(9)} | ${'ms'.padStart(6)}`);
  console.log(`${'-'.repeat(w0)}-|-${'-'.repeat(9)}-|-${'-'.repeat(6)}`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)} | ${b.padStart(9)} | ${c.padStart(6)}`);
  console.log(`\nRuns (ms): fast ${fast.map((x) => x.toFixed(0)).join(', ')}; sharp ${sharpOnly.map((x) => x.toFixed(0)).join(', ')}; reopen ${reopen.map((x) => x.toFixed(0)).join(', ')}; sample reopen ${sampleReopen.map((x) => x.toFixed(0)).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
