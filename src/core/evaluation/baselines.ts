// Baselines on the same split, so users see whether the autoencoder's code beats what needs no training at all:
// the same probe (cross-validated C or k included) on raw pixels, and on PCA features of the code's dimension
// (PCA fit on the training split only). Pure functions of the pixels: when they run is the caller's business.
import type { ClassificationMetrics } from './metrics';
import type { Matrix } from './matrix';
import { classifyAndScore, evaluateRegression, type LabeledSet, type RegressionResult } from './probes/index';
import type { ProbeSetting } from './probes/folds';
import type { ClassifierInput, RegressorInput } from '../../shared/study/probes';
import { fitPca, pcaInverseTransform, pcaTransform, truncatePca, type PcaModel, type PcaOptions } from './projection/pca';

export interface PcaFeatures {
  model: PcaModel;
  train: Matrix;
  eval: Matrix;
  /** Mean squared error of PCA's reconstruction of the evaluation images (compare with the autoencoder's). */
  evalReconstructionMse: number;
}

/** Largest PCA size the training pixels allow. */
export function maxPcaDim(train: Matrix): number {
  return Math.max(1, Math.min(train.rows - 1, train.cols));
}

/** PCA features of a fitted model: projection of both sets and the evaluation set's reconstruction error. */
export function pcaProject(model: PcaModel, trainX: Matrix, evalX: Matrix): PcaFeatures {
  const evalScores = pcaTransform(model, evalX);
  const recon = pcaInverseTransform(model, evalScores);
  let se = 0;
  for (let i = 0; i < recon.data.length; i++) se += (recon.data[i] - evalX.data[i]) ** 2;
  return { model, train: pcaTransform(model, trainX), eval: evalScores, evalReconstructionMse: recon.data.length ? se / recon.data.length : 0 };
}

/** PCA with `dim` components fit on trainX, applied to both; dim is clamped to what the data allows. */
export function pcaFeatures(trainX: Matrix, evalX: Matrix, dim: number, opts: PcaOptions = {}): PcaFeatures {
  return pcaProject(fitPca(trainX, Math.min(Math.max(1, dim), maxPcaDim(trainX)), opts), trainX, evalX);
}

/** Pixels scaled to [0, 1], one row per image, with their labels (-1: unlabeled). */
export interface BaselineData {
  train: LabeledSet;
  val: LabeledSet;
  /** The held-out test images, when the study keeps some. */
  test: LabeledSet | null;
}

export interface BaselineScore {
  features: 'raw' | 'pca';
  /** Feature count: pixels, or PCA components. */
  dim: number;
  setting: ProbeSetting;
  val: ClassificationMetrics;
  /** Test predictions: `rows` index the test set's (labeled) rows, `predicted` holds the label of each. */
  test: { rows: Int32Array; predicted: Int32Array } | null;
  /** PCA only: share of the training variance kept, and the validation images' reconstruction MSE. */
  explainedVariance?: number;
  valReconstructionMse?: number;
}

function score(features: BaselineScore['features'], train: Matrix, trainY: Int32Array, val: LabeledSet, test: LabeledSet | null, probe: ClassifierInput): BaselineScore {
  const [v, t] = classifyAndScore(train, trainY, test ? [val, test] : [val], probe);
  return { features, dim: train.cols, setting: v.setting, val: v.metrics, test: t ? { rows: t.evalRows, predicted: t.predictions } : null };
}

/** The probe on raw pixels: fit on the training images, scored on validation and test. */
export function rawPixelBaseline(data: BaselineData, probe: ClassifierInput): BaselineScore {
  return score('raw', data.train.x, data.train.y, data.val, data.test, probe);
}

/**
 * The probe on PCA(k) features; `model` is a PCA of the training pixels with at least k components (fit once
 * with the largest size needed and reused for every smaller one).
 */
export function pcaBaseline(data: BaselineData, model: PcaModel, k: number, probe: ClassifierInput): BaselineScore {
  const m = k === model.k ? model : truncatePca(model, k);
  const p = pcaProject(m, data.train.x, data.val.x);
  const test = data.test ? { x: pcaTransform(m, data.test.x), y: data.test.y } : null;
  return {
    ...score('pca', p.train, data.train.y, { x: p.eval, y: data.val.y }, test, probe),
    explainedVariance: m.explainedVarianceRatio.reduce((a, b) => a + b, 0),
    valReconstructionMse: p.evalReconstructionMse,
  };
}

export interface RegressionBaselines {
  raw: RegressionResult;
  pca: RegressionResult;
  pcaDim: number;
}

export function regressionBaselines(
  trainPixels: Matrix,
  trainY: Float64Array,
  evalPixels: Matrix,
  evalY: Float64Array,
  dim: number,
  probe: RegressorInput = { kind: 'ridge' },
  pcaOptions: PcaOptions = {},
): RegressionBaselines {
  const pca = pcaFeatures(trainPixels, evalPixels, dim, pcaOptions);
  return {
    raw: evaluateRegression(trainPixels, trainY, evalPixels, evalY, probe),
    pca: evaluateRegression(pca.train, trainY, pca.eval, evalY, probe),
    pcaDim: pca.model.k,
  };
}
