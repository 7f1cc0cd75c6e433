// Baselines of a study, so users see whether the autoencoder helps at all: the study's probe on raw pixels
// (once per study) and on PCA features at every code size the study trains (once per size), on the same
// split, validation and test alike. What is computed lives in evaluation/baselines.ts; this file loads the
// pixels, decides which baselines are missing and stores them. The raw-pixel one is made beside the first
// trials (in a process of its own unless it is quick, studySupervisor.ts); that process also makes PCA at
// every code size the space can propose when they are listed (fixed or categorical), so trainers neither
// wait for them after a trial nor each fit PCA again. Every baseline is also kept in the data cache under a
// key of everything it depends on, so another study on the same images, split and probe reuses it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../export/atomic';
import { forEachChunk64 } from '../data/imageRows';
import { loadDataset } from '../data/load';
import type { LoadedDataset } from '../data/types';
import { isSampleRef } from '../data/sample';
import { maxPcaDim, pcaBaseline, rawPixelBaseline, type BaselineData } from '../evaluation/baselines';
import type { Matrix } from '../evaluation/matrix';
import { fitPca, type PcaModel } from '../evaluation/projection/pca';
import { stratifiedSplit3 } from '../evaluation/split';
import { pcaBaselineKey, RAW_BASELINE_KEY, storedBaseline } from '../evaluation/storedBaselines';
import type { DataLocations } from '../paths';
import type { JsonValue } from '../storage/types';
import type { Study } from '../study/study';
import { seededSubset } from '../../shared/rng';

/** Raw-pixel probes grow with images x pixels: ~10 s for the 8,000 training images of the MNIST sample (wasm probes), up to ~30 s at this limit; past it, minutes. */
const RAW_LIMIT = 16_000_000;

/** The largest code size the study's search space can propose (PCA is fit once with that many components). */
export function largestLatentSize(study: Study): number {
  const p = study.spec.searchSpace.params.find((x) => x.name === 'latentSize');
  if (!p) return 16;
  if (p.type === 'fixed') return Number(p.value) || 16;
  if (p.type === 'categorical') return Math.max(16, ...p.choices.map(Number).filter(Number.isFinite));
  return Math.ceil(p.high);
}

interface StudyPixels {
  data: BaselineData;
  /** Dataset index and label of each test row, so stored predictions name their images. */
  testIndices: Int32Array;
  testLabels: Int32Array;
  /** Training images of the split (data.train may hold a seeded subset of them, see loadStudyPixels). */
  trainImages: number;
}

/** Pixels of the study's split, loaded once per trainer process and study; null for an unlabeled folder. */
const pixelCache = new Map<number, Promise<StudyPixels | null>>();
const pcaCache = new Map<number, PcaModel>();

function studyPixels(study: Study, locations: DataLocations): Promise<StudyPixels | null> {
  let p = pixelCache.get(study.id);
  if (!p) {
    p = openStudyDataset(study, locations).then((ds) => {
      try {
        return ds.classes.length < 2 ? null : loadStudyPixels(study, ds);
      } finally {
        ds.images.close();
      }
    });
    pixelCache.set(study.id, p);
    p.catch(() => pixelCache.delete(study.id)); // a failed load is tried again next time
  }
  return p;
}

function openStudyDataset(study: Study, locations: DataLocations): Promise<LoadedDataset> {
  const { dataset } = study.spec;
  return loadDataset(isSampleRef(dataset.path) ? locations.sampleDir : dataset.path, {
    size: dataset.imageSize,
    channels: dataset.channels,
    cacheDir: locations.cacheDir,
  });
}

/**
 * The split every trial of the study trains and is judged on (same fractions, same seed), as float64 pixels.
 * The training and validation matrices hold at most RAW_LIMIT pixels each: past that, a seeded subset of their
 * images (PCA is fit and scored on it), so memory stays bounded whatever the folder's size. The test images are
 * all kept: the verdict pairs a baseline's test predictions with the trial's image by image.
 */
function loadStudyPixels(study: Study, ds: LoadedDataset): StudyPixels {
  const { dataset, seed } = study.spec;
  const split = stratifiedSplit3(ds.labels, dataset.valFraction, dataset.testFraction, seed);
  const d = ds.width * ds.height * ds.channels;
  const cap = Math.max(2, Math.floor(RAW_LIMIT / d));
  const capped = (idx: Int32Array, salt: number): Int32Array =>
    idx.length <= cap ? idx : Int32Array.from(seededSubset(idx.length, cap, seed ^ salt), (r) => idx[r]);
  const set = (idx: Int32Array): { x: Matrix; y: Int32Array } => {
    const data = new Float64Array(idx.length * d);
    forEachChunk64(ds.images, idx, 256, (values, start) => data.set(values, start * d));
    return { x: { data, rows: idx.length, cols: d }, y: Int32Array.from(idx, (i) => ds.labels[i]) };
  };
  const test = split.test.length ? set(split.test) : null;
  return {
    data: { train: set(capped(split.train, 0x1b873593)), val: set(capped(split.val, 0x85ebca6b)), test },
    testIndices: split.test,
    testLabels: test ? test.y : new Int32Array(0),
    trainImages: split.train.length,
  };
}

/** Bump when what is stored for a baseline changes, so copies cached by an older version are not reused. */
export const BASELINES_VERSION = 2;

/**
 * The cache file of one stored baseline (attribute `key`): named by everything it depends on, the decoded
 * images (the data cache's key), split, probe, pixel limit and the PCA fit's size.
 */
function cacheFile(locations: DataLocations, ds: Pick<LoadedDataset, 'cacheKey'>, study: Study, key: string): string {
  const { dataset, seed, probe } = study.spec;
  const inputs = {
    v: BASELINES_VERSION, datasetCacheKey: ds.cacheKey, valFraction: dataset.valFraction, testFraction: dataset.testFraction,
    seed, probe, rawLimit: RAW_LIMIT, pcaFit: largestLatentSize(study), key,
  };
  return path.join(locations.cacheDir, 'baselines', `${createHash('sha256').update(JSON.stringify(inputs)).digest('hex')}.json`);
}

function readCached(file: string): JsonValue | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonValue;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null; // missing or damaged: computed again
  }
}

function writeCached(file: string, value: unknown): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(value));
  } catch {
    // Only a missed chance to reuse it: the study has its baseline.
  }
}

/** The study's dataset key, for cache files (the decoded folder is read from the data cache, not decoded again). */
const datasetKeys = new Map<number, Promise<{ cacheKey: string; labeled: boolean; trainPixels: number }>>();

function datasetKey(study: Study, locations: DataLocations): Promise<{ cacheKey: string; labeled: boolean; trainPixels: number }> {
  let p = datasetKeys.get(study.id);
  if (!p) {
    const { valFraction, testFraction } = study.spec.dataset;
    p = openStudyDataset(study, locations).then((ds) => {
      ds.images.close();
      return { cacheKey: ds.cacheKey, labeled: ds.classes.length >= 2, trainPixels: ds.files.length * (1 - valFraction - testFraction) * ds.images.rowLength };
    });
    datasetKeys.set(study.id, p);
    p.catch(() => datasetKeys.delete(study.id));
  }
  return p;
}

/**
 * Study attribute: the code sizes whose PCA baselines the baselines process makes (before the raw-pixel one),
 * so a trainer finishing a trial of one of them leaves it to that process instead of computing it too.
 */
export const PCA_BY_PROCESS_KEY = 'baselines:pcaByProcess';

/** The code sizes a study can propose, when its space lists them (fixed or categorical latentSize); else null. */
export function listedLatentSizes(study: Study): number[] | null {
  const p = study.spec.searchSpace.params.find((x) => x.name === 'latentSize');
  if (p?.type === 'fixed') return Number.isInteger(p.value) ? [p.value as number] : null;
  if (p?.type === 'categorical') {
    const sizes = p.choices.map(Number);
    return sizes.every((k) => Number.isInteger(k) && k > 0) ? [...new Set(sizes)].sort((a, b) => a - b) : null;
  }
  return null;
}

/** Raw-pixel probe work (training images x pixels) up to which the first worker does it itself, in about a
 * second: a process of its own costs more than that to start. */
const INLINE_PIXELS = 1_000_000;

/**
 * Where the study's raw-pixel baseline should be made: nowhere (stored already, or an unlabeled folder), by
 * the first worker before its first trial (a cached copy to reuse, little work, or too much to do at all), or
 * in a process of its own beside the first trials (studySupervisor.ts). `inlinePixels` is for tests.
 */
export async function baselinesPlan(study: Study, locations: DataLocations, inlinePixels = INLINE_PIXELS): Promise<'none' | 'inline' | 'process'> {
  if ((await study.storage.getStudyAttrs(study.id))[RAW_BASELINE_KEY] !== undefined) return 'none';
  const ds = await datasetKey(study, locations);
  if (!ds.labeled) return 'none';
  if (fs.existsSync(cacheFile(locations, ds, study, RAW_BASELINE_KEY))) return 'inline';
  return ds.trainPixels <= inlinePixels || ds.trainPixels > RAW_LIMIT ? 'inline' : 'process';
}

/** What computeStudyBaselines did: found it with the study, reused another study's, computed it, or none applies. */
export type BaselinesOutcome = 'stored' | 'reused' | 'computed' | 'unlabeled';

function store(study: Study, key: string, value: unknown): Promise<void> {
  return study.storage.setStudyAttr(study.id, key, value as JsonValue);
}

/**
 * The raw-pixel baseline, unless stored already: another study's when it was computed for the same images,
 * split and probe, else computed here (`onStart` runs first then). With `pcaFirst` (the baselines process), PCA
 * at every listed code size is made before it, and trainers are told to leave those sizes to this process.
 */
export async function computeStudyBaselines(study: Study, locations: DataLocations, onStart?: () => void, opts: { pcaFirst?: boolean } = {}): Promise<BaselinesOutcome> {
  if ((await study.storage.getStudyAttrs(study.id))[RAW_BASELINE_KEY] !== undefined) return 'stored';
  const ds = await datasetKey(study, locations);
  if (!ds.labeled) return 'unlabeled';
  const file = cacheFile(locations, ds, study, RAW_BASELINE_KEY);
  const cached = readCached(file);
  if (cached) {
    await store(study, RAW_BASELINE_KEY, cached);
    return 'reused';
  }
  onStart?.();
  const sizes = opts.pcaFirst ? listedLatentSizes(study) : null;
  if (sizes) {
    await store(study, PCA_BY_PROCESS_KEY, sizes);
    for (const k of sizes) await pcaBaselineOnce(study, locations, k);
  }
  const px = await studyPixels(study, locations);
  if (!px) return 'unlabeled';
  const { train } = px.data;
  const value = px.trainImages * train.x.cols > RAW_LIMIT
    ? { skipped: `raw pixels: ${px.trainImages} images x ${train.x.cols} pixels is too large to probe quickly` }
    : storedBaseline(rawPixelBaseline(px.data, study.spec.probe), px.testIndices, px.testLabels);
  await store(study, RAW_BASELINE_KEY, value);
  writeCached(file, value);
  return 'computed';
}

/**
 * After a trial of code size k: its PCA baseline, unless stored already or left to the baselines process
 * (PCA_BY_PROCESS_KEY). Returns whether it computed one.
 */
export async function ensurePcaBaseline(study: Study, locations: DataLocations, k: number): Promise<boolean> {
  const byProcess = (await study.storage.getStudyAttrs(study.id))[PCA_BY_PROCESS_KEY];
  if (Array.isArray(byProcess) && byProcess.includes(k)) return false;
  return pcaBaselineOnce(study, locations, k);
}

/**
 * The PCA baseline at code size k, unless stored already: PCA is fit once per process with the largest size
 * the study can propose, and each size takes its leading components; another study's copy is reused when
 * it was computed for the same images, split and probe. Returns whether it computed one.
 */
async function pcaBaselineOnce(study: Study, locations: DataLocations, k: number): Promise<boolean> {
  const key = pcaBaselineKey(k);
  if ((await study.storage.getStudyAttrs(study.id))[key] !== undefined) return false;
  try {
    const ds = await datasetKey(study, locations);
    if (!ds.labeled) return false;
    const file = cacheFile(locations, ds, study, key);
    const cached = readCached(file);
    if (cached) {
      await store(study, key, cached);
      return false;
    }
    const px = await studyPixels(study, locations);
    if (!px) return false;
    const limit = maxPcaDim(px.data.train.x);
    const dim = Math.min(k, limit);
    let model = pcaCache.get(study.id);
    if (!model || model.k < dim) {
      model = fitPca(px.data.train.x, Math.max(dim, Math.min(largestLatentSize(study), limit)), { seed: study.spec.seed });
      pcaCache.set(study.id, model);
    }
    const value = storedBaseline(pcaBaseline(px.data, model, dim, study.spec.probe), px.testIndices, px.testLabels);
    await store(study, key, value);
    writeCached(file, value);
  } catch (err) {
    // Kept with the study, so the verdict can say why PCA(k) is missing instead of leaving a gap.
    await store(study, key, { skipped: `PCA(${k}) baseline failed: ${err instanceof Error ? err.message : String(err)}` });
  }
  return true;
}
