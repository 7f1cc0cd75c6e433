// Judges a finished trial by its features, not only its reconstructions: a probe trained on the training
// split's codes and scored on the validation split gives the downstream metrics; the objectives turn them
// into the values a study optimises. The test split is scored too but only ever shown for the chosen trial.
import { forEachChunk64 } from '../data/imageRows';
import type { LoadedDataset } from '../data/types';
import type { TestPredictions } from '../evaluation/storedBaselines';
import {
  classifyAndScore,
  computeObjectives,
  evaluateRegression,
  matchTargets,
  meanImageError,
  type ClassificationMetrics,
  type Matrix,
  type RegressionMetrics,
  type TrialEvaluation,
} from '../evaluation';
import { objectiveRequirements, type ObjectiveSpec } from '../../shared/study/objectives';
import type { ClassifierInput } from '../../shared/study/probes';

export interface EvaluationOptions {
  objectives: ObjectiveSpec;
  probe: ClassifierInput;
  testFraction: number;
  /** Regression targets by file (from a targets CSV), matched to the dataset's images. */
  targets?: ReadonlyMap<string, number>;
}

export const DEFAULT_EVALUATION: EvaluationOptions = {
  objectives: { objectives: [{ name: 'val_recon', loss: 'mse' }], primary: 0 },
  probe: { kind: 'logistic' },
  testFraction: 0,
};

export interface Splits {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

export interface TrialEvaluationResult {
  evaluation: TrialEvaluation;
  values: number[];
  /** Metrics on the test split; stored, but shown only for a study's chosen trial. */
  test: { classification: ClassificationMetrics | null; regression: RegressionMetrics | null } | null;
  /** The probe's test predictions by dataset index, for the verdict against the baselines. */
  testPredictions: TestPredictions | null;
  /** The probe's validation predictions by dataset index (the latent explorer colours codes by them). */
  valPredictions: Map<number, number> | null;
  notes: string[];
}

function rows(z: Float32Array, k: number, idx: Int32Array): Matrix {
  const data = new Float64Array(idx.length * k);
  for (let r = 0; r < idx.length; r++) for (let j = 0; j < k; j++) data[r * k + j] = z[idx[r] * k + j];
  return { data, rows: idx.length, cols: k };
}

/** Images per chunk when a pass reads a split (bounded memory whatever the folder's size). */
const CHUNK = 256;

function meanImage(ds: LoadedDataset, idx: Int32Array): Float64Array {
  const d = ds.width * ds.height * ds.channels;
  const mean = new Float64Array(d);
  forEachChunk64(ds.images, idx, CHUNK, (values) => {
    for (let i = 0; i < values.length; i++) mean[i % d] += values[i];
  });
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, idx.length);
  return mean;
}

/** The error of predicting the mean training image for every image of idx, read a chunk at a time. */
function trivialError(ds: LoadedDataset, mean: Float64Array, idx: Int32Array, loss: 'mse' | 'bce'): number {
  let sum = 0;
  forEachChunk64(ds.images, idx, CHUNK, (values, _start, count) => {
    sum += meanImageError(mean, values, loss) * count;
  });
  return sum / Math.max(1, idx.length);
}

/**
 * @param codes the encoder's codes of every image of the dataset, [n, k] row-major
 * @param recon validation reconstruction errors measured by the training loop (mse, and bce when trained with it)
 */
export function evaluateTrial(ds: LoadedDataset, splits: Splits, codes: Float32Array, k: number, recon: { mse: number; bce?: number }, o: EvaluationOptions): TrialEvaluationResult {
  const notes: string[] = [];
  const needs = objectiveRequirements(o.objectives);
  const trainMean = meanImage(ds, splits.train);
  const evaluation: TrialEvaluation = {
    recon: {
      mse: recon.mse,
      bce: recon.bce,
      trivialMse: trivialError(ds, trainMean, splits.val, 'mse'),
      trivialBce: recon.bce !== undefined ? trivialError(ds, trainMean, splits.val, 'bce') : undefined,
    },
    classification: null,
    regression: null,
  };
  let test: TrialEvaluationResult['test'] = null;
  let testPredictions: TestPredictions | null = null;
  let valPredictions: Map<number, number> | null = null;
  const labeled = ds.classes.length >= 2;
  if (labeled) {
    const y = (idx: Int32Array): Int32Array => Int32Array.from(idx, (i) => ds.labels[i]);
    const sets = [{ x: rows(codes, k, splits.val), y: y(splits.val) }];
    if (splits.test.length > 0) sets.push({ x: rows(codes, k, splits.test), y: y(splits.test) });
    // One fit (the probe's cross-validation included) scores validation and test.
    const [val, t] = classifyAndScore(rows(codes, k, splits.train), y(splits.train), sets, o.probe);
    evaluation.classification = val.metrics;
    evaluation.probe = val.setting;
    valPredictions = new Map(Array.from(val.evalRows, (r, i) => [splits.val[r], val.predictions[i]] as [number, number]));
    if (t) {
      test = { classification: t.metrics, regression: null };
      testPredictions = {
        rows: Array.from(t.evalRows, (r) => splits.test[r]),
        truth: Array.from(t.evalRows, (r) => ds.labels[splits.test[r]]),
        predicted: Array.from(t.predictions),
      };
    }
  } else if (needs.labels) {
    throw new Error('The objective needs class labels, but the folder is flat (unlabeled): put images in one sub-folder per class, or optimise reconstruction only.');
  }
  if (o.targets) {
    const matched = matchTargets(ds.files, o.targets);
    if (matched.missing.length) notes.push(`${matched.missing.length} image(s) have no target in the CSV and are left out of regression`);
    const t = (idx: Int32Array): Float64Array => Float64Array.from(idx, (i) => matched.values[i]);
    const train = rows(codes, k, splits.train);
    evaluation.regression = evaluateRegression(train, t(splits.train), rows(codes, k, splits.val), t(splits.val)).metrics;
    if (splits.test.length > 0) {
      test = { classification: test?.classification ?? null, regression: evaluateRegression(train, t(splits.train), rows(codes, k, splits.test), t(splits.test)).metrics };
    }
  } else if (needs.targets) {
    throw new Error('The objective needs regression targets: give the study a targets CSV (file,value).');
  }
  if (!labeled) notes.push('unlabeled folder: no downstream classification metrics');
  return { evaluation, values: computeObjectives(o.objectives, evaluation), test, testPredictions, valPredictions, notes };
}
