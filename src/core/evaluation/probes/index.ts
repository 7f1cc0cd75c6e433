// One entry point per task: build a probe from its config, fit on training features, score on evaluation features.
import { classificationMetrics, regressionMetrics, uniqueLabels, type ClassificationMetrics, type RegressionMetrics } from '../metrics';
import { takeRows, type Matrix } from '../matrix';
import { fitKnn } from './knn';
import type { ProbeSetting } from './folds';
import { argmaxRows, fitLogistic } from './logistic';
import { fitRidge } from './ridge';
import { ClassifierSpec, RidgeSpec, type ClassifierInput, type RegressorInput } from '../../../shared/study/probes';
import type { ClassifierProbe, RegressorProbe } from './types';

export function classifierProbe(input: ClassifierInput): ClassifierProbe {
  const cfg = ClassifierSpec.parse(input);
  return cfg.kind === 'logistic' ? { fit: (x, y) => fitLogistic(x, y, cfg) } : { fit: (x, y) => fitKnn(x, y, cfg) };
}

export function regressorProbe(input: RegressorInput): RegressorProbe {
  const cfg = RidgeSpec.parse(input);
  return { fit: (x, y) => fitRidge(x, y, cfg) };
}

export interface ClassificationResult {
  metrics: ClassificationMetrics;
  /** Samples used after dropping unlabeled (-1) rows. */
  trainCount: number;
  evalCount: number;
  fitMs: number;
  predictMs: number;
  /** The probe's C or k as used, with the cross-validation that chose it. */
  setting: ProbeSetting;
  /** Predicted label per evaluated row (the labeled rows of the evaluation set, in order). */
  predictions: Int32Array;
  /** Which rows of the evaluation set those are (unlabeled rows are left out). */
  evalRows: Int32Array;
}

function keep(n: number, ok: (i: number) => boolean): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (ok(i)) idx.push(i);
  return Int32Array.from(idx);
}

export interface LabeledSet {
  x: Matrix;
  y: Int32Array;
}

/**
 * Fits the probe once on (trainX, trainY) and scores it on each evaluation set (validation and test share one
 * fit, so cross-validation runs once). Unlabeled rows (label < 0) are dropped everywhere. Metrics run over the
 * union of training and evaluation labels; ROC-AUC uses the probe's probabilities, a class absent from training
 * scoring 0.
 */
export function classifyAndScore(trainX: Matrix, trainY: Int32Array, sets: readonly LabeledSet[], probe: ClassifierInput): ClassificationResult[] {
  if (trainX.rows !== trainY.length) throw new Error(`evaluateClassification: ${trainX.rows} training rows, ${trainY.length} labels`);
  for (const s of sets) if (s.x.rows !== s.y.length) throw new Error(`evaluateClassification: ${s.x.rows} evaluation rows, ${s.y.length} labels`);
  const ti = keep(trainY.length, (i) => trainY[i] >= 0);
  const eis = sets.map((s) => keep(s.y.length, (i) => s.y[i] >= 0));
  if (!ti.length || eis.some((ei) => !ei.length)) throw new Error('evaluateClassification: needs labeled images in both the training and the evaluation split');
  const tx = ti.length === trainX.rows ? trainX : takeRows(trainX, ti);
  const ty = ti.length === trainY.length ? trainY : Int32Array.from(ti, (i) => trainY[i]);

  const t0 = performance.now();
  const model = classifierProbe(probe).fit(tx, ty);
  const fitMs = performance.now() - t0;
  return sets.map((s, n) => {
    const ei = eis[n];
    const ex = ei.length === s.x.rows ? s.x : takeRows(s.x, ei);
    const ey = ei.length === s.y.length ? s.y : Int32Array.from(ei, (i) => s.y[i]);
    const t1 = performance.now();
    const proba = model.predictProba(ex);
    const predictMs = performance.now() - t1;
    const nc = model.classes.length;
    const pred = Int32Array.from(argmaxRows(proba, ex.rows, nc), (k) => model.classes[k]);
    const labels = uniqueLabels(ty, ey);
    const col = new Map<number, number>();
    model.classes.forEach((c, k) => col.set(c, k));
    const scores = new Float64Array(ex.rows * labels.length);
    labels.forEach((l, k) => {
      const c = col.get(l);
      if (c !== undefined) for (let i = 0; i < ex.rows; i++) scores[i * labels.length + k] = proba[i * nc + c];
    });
    return {
      metrics: classificationMetrics(ey, pred, labels, labels.length > 1 ? scores : undefined),
      trainCount: tx.rows,
      evalCount: ex.rows,
      fitMs,
      predictMs,
      setting: model.setting,
      predictions: pred,
      evalRows: ei,
    };
  });
}

/** Fits the probe on (trainX, trainY) and scores it on (evalX, evalY); see classifyAndScore. */
export function evaluateClassification(trainX: Matrix, trainY: Int32Array, evalX: Matrix, evalY: Int32Array, probe: ClassifierInput): ClassificationResult {
  return classifyAndScore(trainX, trainY, [{ x: evalX, y: evalY }], probe)[0];
}

export interface RegressionResult {
  metrics: RegressionMetrics;
  trainCount: number;
  evalCount: number;
}

/** Ridge on rows whose target is a number (NaN = no target, e.g. missing from the CSV); scored with R2, MSE, MAE. */
export function evaluateRegression(trainX: Matrix, trainY: Float64Array, evalX: Matrix, evalY: Float64Array, probe: RegressorInput = { kind: 'ridge' }): RegressionResult {
  if (trainX.rows !== trainY.length) throw new Error(`evaluateRegression: ${trainX.rows} training rows, ${trainY.length} targets`);
  if (evalX.rows !== evalY.length) throw new Error(`evaluateRegression: ${evalX.rows} evaluation rows, ${evalY.length} targets`);
  const ti = keep(trainY.length, (i) => Number.isFinite(trainY[i]));
  const ei = keep(evalY.length, (i) => Number.isFinite(evalY[i]));
  if (!ti.length || !ei.length) throw new Error('evaluateRegression: needs images with targets in both the training and the evaluation split');
  const model = regressorProbe(probe).fit(takeRows(trainX, ti), Float64Array.from(ti, (i) => trainY[i]));
  const pred = model.predict(takeRows(evalX, ei));
  return { metrics: regressionMetrics(Float64Array.from(ei, (i) => evalY[i]), pred), trainCount: ti.length, evalCount: ei.length };
}

export type { CvChoice, ProbeSetting } from './folds';
export { fitKnn, nearestNeighbors } from './knn';
export { fitLogistic } from './logistic';
export { fitRidge } from './ridge';
export * from './types';
