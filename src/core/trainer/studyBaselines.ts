// Baselines of a study, so users see whether the autoencoder helps at all: the study's probe on raw pixels
// (once per study) and on PCA features at every code size the study trains (once per size), on the same
// split, validation and test alike. What is computed lives in evaluation/baselines.ts; this file loads the
// pixels, decides which baselines are missing and stores them.
import { loadDataset } from '../data/load';
import { isSampleRef } from '../data/sample';
import { maxPcaDim, pcaBaseline, rawPixelBaseline, type BaselineData } from '../evaluation/baselines';
import type { Matrix } from '../evaluation/matrix';
import { fitPca, type PcaModel } from '../evaluation/projection/pca';
import { stratifiedSplit3 } from '../evaluation/split';
import { pcaBaselineKey, RAW_BASELINE_KEY, storedBaseline } from '../evaluation/storedBaselines';
import type { DataLocations } from '../paths';
import type { JsonValue } from '../storage/types';
import type { Study } from '../study/study';

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
}

/** Pixels of the study's split, loaded once per trainer process and study; null for an unlabeled folder. */
const pixelCache = new Map<number, Promise<StudyPixels | null>>();
const pcaCache = new Map<number, PcaModel>();

function studyPixels(study: Study, locations: DataLocations): Promise<StudyPixels | null> {
  let p = pixelCache.get(study.id);
  if (!p) {
    p = loadStudyPixels(study, locations);
    pixelCache.set(study.id, p);
    p.catch(() => pixelCache.delete(study.id)); // a failed load is tried again next time
  }
  return p;
}

async function loadStudyPixels(study: Study, locations: DataLocations): Promise<StudyPixels | null> {
  const { dataset, seed } = study.spec;
  const ds = await loadDataset(isSampleRef(dataset.path) ? locations.sampleDir : dataset.path, {
    size: dataset.imageSize,
    channels: dataset.channels,
    cacheDir: locations.cacheDir,
  });
  if (ds.classes.length < 2) return null;
  // The split every trial of the study trains and is judged on (same fractions, same seed).
  const split = stratifiedSplit3(ds.labels, dataset.valFraction, dataset.testFraction, seed);
  const d = ds.width * ds.height * ds.channels;
  const set = (idx: Int32Array): { x: Matrix; y: Int32Array } => {
    const data = new Float64Array(idx.length * d);
    idx.forEach((i, r) => {
      for (let j = 0; j < d; j++) data[r * d + j] = ds.pixels[i * d + j] / 255;
    });
    return { x: { data, rows: idx.length, cols: d }, y: Int32Array.from(idx, (i) => ds.labels[i]) };
  };
  const test = split.test.length ? set(split.test) : null;
  return {
    data: { train: set(split.train), val: set(split.val), test },
    testIndices: split.test,
    testLabels: test ? test.y : new Int32Array(0),
  };
}

function store(study: Study, key: string, value: unknown): void {
  study.storage.setStudyAttr(study.id, key, value as JsonValue);
}

/** The raw-pixel baseline, unless stored already; `onStart` runs first when there is work to do. */
export async function computeStudyBaselines(study: Study, locations: DataLocations, onStart?: () => void): Promise<void> {
  if (study.storage.getStudyAttrs(study.id)[RAW_BASELINE_KEY] !== undefined) return;
  onStart?.();
  const px = await studyPixels(study, locations);
  if (!px) return;
  const { train } = px.data;
  if (train.x.rows * train.x.cols > RAW_LIMIT) {
    store(study, RAW_BASELINE_KEY, { skipped: `raw pixels: ${train.x.rows} images x ${train.x.cols} pixels is too large to probe quickly` });
    return;
  }
  store(study, RAW_BASELINE_KEY, storedBaseline(rawPixelBaseline(px.data, study.spec.probe), px.testIndices, px.testLabels));
}

/**
 * The PCA baseline at code size k, unless stored already: PCA is fit once per process with the largest size
 * the study can propose, and each size takes its leading components. Returns whether it computed one.
 */
export async function ensurePcaBaseline(study: Study, locations: DataLocations, k: number): Promise<boolean> {
  const key = pcaBaselineKey(k);
  if (study.storage.getStudyAttrs(study.id)[key] !== undefined) return false;
  try {
    const px = await studyPixels(study, locations);
    if (!px) return false;
    const limit = maxPcaDim(px.data.train.x);
    const dim = Math.min(k, limit);
    let model = pcaCache.get(study.id);
    if (!model || model.k < dim) {
      model = fitPca(px.data.train.x, Math.max(dim, Math.min(largestLatentSize(study), limit)), { seed: study.spec.seed });
      pcaCache.set(study.id, model);
    }
    store(study, key, storedBaseline(pcaBaseline(px.data, model, dim, study.spec.probe), px.testIndices, px.testLabels));
  } catch (err) {
    // Kept with the study, so the verdict can say why PCA(k) is missing instead of leaving a gap.
    store(study, key, { skipped: `PCA(${k}) baseline failed: ${err instanceof Error ? err.message : String(err)}` });
  }
  return true;
}
