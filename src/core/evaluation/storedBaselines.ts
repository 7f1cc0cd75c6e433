// How baselines and test predictions are kept with a study and its trials (JSON attributes), and read back.
// One attribute per baseline (raw pixels; PCA at each code size), so trainers adding sizes at the same time never
// overwrite each other. Test predictions name their images by dataset index, so a trial and a baseline can be
// paired image by image.
import type { JsonValue } from '../../shared/json';
import type { BaselineScore } from './baselines';
import type { ClassificationMetrics } from './metrics';
import type { ProbeSetting } from './probes/folds';

export const RAW_BASELINE_KEY = 'baseline:raw';
const PCA_PREFIX = 'baseline:pca:';
export const pcaBaselineKey = (k: number): string => `${PCA_PREFIX}${k}`;
export const TEST_PREDICTIONS_KEY = 'testPredictions';

/** Predictions on the test split: dataset indices of the images, their labels and what was predicted. */
export interface TestPredictions {
  rows: number[];
  truth: number[];
  predicted: number[];
}

export interface StoredBaseline {
  features: 'raw' | 'pca';
  dim: number;
  setting: ProbeSetting;
  val: { classification: ClassificationMetrics };
  test: TestPredictions | null;
  explainedVariance: number | null;
  valReconstructionMse: number | null;
}

/** A raw-pixel baseline left out, and why (e.g. too many pixels to probe quickly). */
export interface SkippedBaseline {
  skipped: string;
}

/**
 * The JSON of a baseline score; `testIndices` maps test-set rows to dataset indices and `testLabels` gives
 * each test row's label.
 */
export function storedBaseline(s: BaselineScore, testIndices: Int32Array | null, testLabels: Int32Array | null): StoredBaseline {
  const test =
    s.test && testIndices && testLabels
      ? { rows: Array.from(s.test.rows, (r) => testIndices[r]), truth: Array.from(s.test.rows, (r) => testLabels[r]), predicted: Array.from(s.test.predicted) }
      : null;
  return {
    features: s.features,
    dim: s.dim,
    setting: s.setting,
    val: { classification: s.val },
    test,
    explainedVariance: s.explainedVariance ?? null,
    valReconstructionMse: s.valReconstructionMse ?? null,
  };
}

const obj = (v: JsonValue | undefined): Record<string, JsonValue> | null => (v && typeof v === 'object' && !Array.isArray(v) ? v : null);
const nums = (v: JsonValue | undefined): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);

export function readTestPredictions(v: JsonValue | undefined): TestPredictions | null {
  const o = obj(v);
  const rows = nums(o?.rows);
  const truth = nums(o?.truth);
  const predicted = nums(o?.predicted);
  if (!rows || !truth || !predicted || truth.length !== rows.length || predicted.length !== rows.length) return null;
  return { rows, truth, predicted };
}

function readBaseline(v: JsonValue | undefined): StoredBaseline | null {
  const o = obj(v);
  if (!o || (o.features !== 'raw' && o.features !== 'pca') || typeof o.dim !== 'number') return null;
  const num = (x: JsonValue | undefined): number | null => (typeof x === 'number' ? x : null);
  return {
    ...(o as unknown as StoredBaseline),
    test: o.test === null ? null : readTestPredictions(o.test),
    explainedVariance: num(o.explainedVariance),
    valReconstructionMse: num(o.valReconstructionMse),
  };
}

export interface StudyBaselines {
  raw: StoredBaseline | null;
  /** Why raw pixels were not probed, when they were not. */
  rawSkipped: string | null;
  /** PCA baselines by the code size they stand beside (their component count, unless the data allowed fewer), ascending. */
  pca: Map<number, StoredBaseline>;
  /** Code sizes whose PCA baseline failed, with why. */
  pcaSkipped: Map<number, string>;
}

export function readStudyBaselines(attrs: Record<string, JsonValue>): StudyBaselines {
  const rawAttr = attrs[RAW_BASELINE_KEY];
  const skipped = obj(rawAttr)?.skipped;
  const pca = new Map<number, StoredBaseline>();
  const pcaSkipped = new Map<number, string>();
  for (const [key, v] of Object.entries(attrs)) {
    const k = Number(key.slice(PCA_PREFIX.length));
    if (!key.startsWith(PCA_PREFIX) || !Number.isInteger(k)) continue;
    const b = readBaseline(v);
    const why = obj(v)?.skipped;
    if (b) pca.set(k, b);
    else if (typeof why === 'string') pcaSkipped.set(k, why);
  }
  return {
    raw: readBaseline(rawAttr),
    rawSkipped: typeof skipped === 'string' ? skipped : null,
    pca: new Map([...pca.entries()].sort((a, b) => a[0] - b[0])),
    pcaSkipped,
  };
}
