// Baselines on the same split, so users see whether the autoencoder's code beats what needs no training at all:
// the same probe on raw pixels, and on PCA features of the code's dimension (PCA fit on the training split only).
import type { Matrix } from './matrix';
import { evaluateClassification, evaluateRegression, type ClassificationResult, type RegressionResult } from './probes/index';
import type { ClassifierInput, RegressorInput } from './probes/types';
import { fitPca, pcaInverseTransform, pcaTransform, type PcaModel, type PcaOptions } from './projection/pca';

export interface PcaFeatures {
  model: PcaModel;
  train: Matrix;
  eval: Matrix;
  /** Mean squared error of PCA's reconstruction of the evaluation images (compare with the autoencoder's). */
  evalReconstructionMse: number;
}

/** PCA with `dim` components fit on trainX, applied to both; dim is clamped to what the data allows. */
export function pcaFeatures(trainX: Matrix, evalX: Matrix, dim: number, opts: PcaOptions = {}): PcaFeatures {
  const k = Math.max(1, Math.min(dim, trainX.rows - 1, trainX.cols));
  const model = fitPca(trainX, k, opts);
  const evalScores = pcaTransform(model, evalX);
  const recon = pcaInverseTransform(model, evalScores);
  let se = 0;
  for (let i = 0; i < recon.data.length; i++) se += (recon.data[i] - evalX.data[i]) ** 2;
  return { model, train: pcaTransform(model, trainX), eval: evalScores, evalReconstructionMse: recon.data.length ? se / recon.data.length : 0 };
}

export interface ClassificationBaselines {
  raw: ClassificationResult;
  pca: ClassificationResult;
  pcaDim: number;
  pcaExplainedVariance: number;
  pcaReconstructionMse: number;
}

/** trainPixels / evalPixels: flattened images scaled to [0, 1], one row per image. */
export function classificationBaselines(
  trainPixels: Matrix,
  trainY: Int32Array,
  evalPixels: Matrix,
  evalY: Int32Array,
  dim: number,
  probe: ClassifierInput,
  pcaOptions: PcaOptions = {},
): ClassificationBaselines {
  const pca = pcaFeatures(trainPixels, evalPixels, dim, pcaOptions);
  return {
    raw: evaluateClassification(trainPixels, trainY, evalPixels, evalY, probe),
    pca: evaluateClassification(pca.train, trainY, pca.eval, evalY, probe),
    pcaDim: pca.model.k,
    pcaExplainedVariance: pca.model.explainedVarianceRatio.reduce((a, b) => a + b, 0),
    pcaReconstructionMse: pca.evalReconstructionMse,
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
