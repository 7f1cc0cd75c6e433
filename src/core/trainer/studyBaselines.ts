// Baselines of a study, so users see whether the autoencoder helps at all: the study's probe on raw pixels
// and on PCA features of the code's size, on the same split. Computed once per study, by its first worker.
import { loadDataset } from '../data/load';
import { isSampleRef } from '../data/sample';
import { pcaFeatures } from '../evaluation/baselines';
import { evaluateClassification } from '../evaluation/probes/index';
import { stratifiedSplit3 } from '../evaluation/split';
import type { Matrix } from '../evaluation/matrix';
import type { DataLocations } from '../paths';
import type { JsonValue } from '../storage/types';
import type { Study } from '../study/study';

/** Raw-pixel probes grow with images x pixels: ~10 s for the 8,000 training images of the MNIST sample (wasm probes), up to ~30 s at this limit; past it, minutes. */
const RAW_LIMIT = 16_000_000;

/** The code size to compare PCA at: the fixed latent size, or the middle of the searched range. */
export function baselineDim(study: Study): number {
  const p = study.spec.searchSpace.params.find((x) => x.name === 'latentSize');
  if (!p) return 16;
  if (p.type === 'fixed') return Number(p.value) || 16;
  if (p.type === 'categorical') {
    const v = p.choices.map(Number).filter(Number.isFinite).sort((a, b) => a - b);
    return v[v.length >> 1] ?? 16;
  }
  return Math.max(1, Math.round(p.log ? Math.sqrt(p.low * p.high) : (p.low + p.high) / 2));
}

/** Computes and stores the baselines unless stored already; `onStart` runs first when there is work to do. */
export async function computeStudyBaselines(study: Study, locations: DataLocations, onStart?: () => void): Promise<void> {
  if (study.storage.getStudyAttrs(study.id).baselines !== undefined) return;
  onStart?.();
  const { dataset, seed } = study.spec;
  const ds = await loadDataset(isSampleRef(dataset.path) ? locations.sampleDir : dataset.path, {
    size: dataset.imageSize,
    channels: dataset.channels,
    cacheDir: locations.cacheDir,
  });
  if (ds.classes.length < 2) return;
  const split = stratifiedSplit3(ds.labels, dataset.valFraction, dataset.testFraction, seed);
  const d = ds.width * ds.height * ds.channels;
  const pixels = (idx: Int32Array): Matrix => {
    const data = new Float64Array(idx.length * d);
    idx.forEach((i, r) => {
      for (let j = 0; j < d; j++) data[r * d + j] = ds.pixels[i * d + j] / 255;
    });
    return { data, rows: idx.length, cols: d };
  };
  const labels = (idx: Int32Array): Int32Array => Int32Array.from(idx, (i) => ds.labels[i]);
  const dim = Math.min(baselineDim(study), d, split.train.length - 1);
  const trainX = pixels(split.train);
  const valX = pixels(split.val);
  const pca = pcaFeatures(trainX, valX, dim, { seed });
  const pcaResult = evaluateClassification(pca.train, labels(split.train), pca.eval, labels(split.val), study.spec.probe);
  const rawTooBig = split.train.length * d > RAW_LIMIT;
  const raw = rawTooBig ? null : evaluateClassification(trainX, labels(split.train), valX, labels(split.val), study.spec.probe);
  const stored = {
    pcaDim: pca.model.k,
    pcaExplainedVariance: pca.model.explainedVarianceRatio.reduce((a, b) => a + b, 0),
    pcaReconstructionMse: pca.evalReconstructionMse,
    pca: { classification: pcaResult.metrics },
    raw: raw ? { classification: raw.metrics } : null,
    rawSkipped: rawTooBig ? `raw pixels: ${split.train.length} images x ${d} pixels is too large to probe quickly` : null,
  };
  study.storage.setStudyAttr(study.id, 'baselines', stored as unknown as JsonValue);
}
