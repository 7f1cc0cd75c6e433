// L2-regularised logistic regression, trained to convergence with L-BFGS: multinomial (softmax) for 3+ classes and
// a single sigmoid for 2, as scikit-learn's LogisticRegression does by default. Deterministic: starts at zero.
import { columnStats, standardize, type ColumnStats, type Matrix } from '../matrix';
import { createRowProducts, type RowProducts } from './f64Kernels';
import { accuracyOf, bestOf, foldSplits, type CvChoice } from './folds';
import { logisticCurvature, logisticPreconditioner, type LogisticCurvature } from './preconditioner';
import { minimizeLbfgs, type LbfgsHistory, type LbfgsResult } from '../../math/lbfgs';
import { LogisticSpec, logisticCv, type LogisticConfig } from '../../../shared/study/probes';
import type { ClassifierProbe, FittedClassifier } from './types';
import type { z } from 'zod';

export interface LogisticModel extends FittedClassifier {
  /** Weights (outputs x d, outputs = 1 for two classes else the class count) and intercepts, in standardised space. */
  weights: Float64Array;
  intercepts: Float64Array;
  stats: ColumnStats | null;
  optimization: Pick<LbfgsResult, 'iterations' | 'gradMax' | 'converged' | 'reason' | 'f'>;
  /** The regularisation strength used: the configured C, or the one cross-validation chose. */
  C: number;
  cv: CvChoice | null;
}

/** Per-row loss at scores z (length outputs); overwrites z with the residuals dLoss/dz. */
function lossAndResidual(z: Float64Array, off: number, outputs: number, yi: number): number {
  if (outputs === 1) {
    // Binary: log(1 + e^z) - y z, stably; residual sigmoid(z) - y.
    const zi = z[off];
    z[off] = (zi >= 0 ? 1 / (1 + Math.exp(-zi)) : Math.exp(zi) / (1 + Math.exp(zi))) - yi;
    return (zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi))) - (yi === 1 ? zi : 0);
  }
  let max = -Infinity;
  for (let k = 0; k < outputs; k++) max = Math.max(max, z[off + k]);
  // Each exponential once (they are most of the work on small codes): z[yi] is read before it is overwritten.
  const zy = z[off + yi];
  let sum = 0;
  for (let k = 0; k < outputs; k++) {
    const e = Math.exp(z[off + k] - max);
    z[off + k] = e;
    sum += e;
  }
  const loss = max + Math.log(sum) - zy;
  for (let k = 0; k < outputs; k++) z[off + k] = z[off + k] / sum - (k === yi ? 1 : 0);
  return loss;
}

/**
 * Mean cross-entropy + ||W||^2 / (2 C n) (sklearn's objective divided by n, so the same optimum) and its
 * gradient. Parameter layout: W row-major (outputs x d), then the intercepts, which are not penalised.
 * Rows are processed four at a time so each weight load serves four multiply-adds (the probe's hot loop).
 */
export function logisticObjective(
  x: Matrix,
  yIndex: Int32Array,
  outputs: number,
  C: number,
  engine: 'auto' | 'js' | 'wasm' = 'auto',
): (p: Float64Array, grad: Float64Array) => number {
  const { rows: n, cols: d, data } = x;
  const lambda = 1 / (C * n);
  // The wasm products and softmax (f64Kernels.ts) whenever wasm is available, small codes included: X is copied
  // once and a fit evaluates this hundreds to thousands of times (16-d codes of 3,868 rows: 2.5 -> 0.8 ms per
  // evaluation, 500 rows: 0.21 -> 0.08 ms). The JS loops below when wasm is unavailable.
  const kernels = engine === 'js' ? null : createRowProducts(data, n, d, outputs, outputs > 1 ? yIndex : undefined);
  if (engine === 'wasm' && !kernels) throw new Error('logisticObjective: the wasm kernels are not available here');
  if (kernels) return wasmObjective(kernels, yIndex, n, d, outputs, lambda);
  const B = 4;
  const z = new Float64Array(B * outputs);
  return (p, grad) => {
    grad.fill(0);
    let loss = 0;
    const bOff = outputs * d;
    for (let i0 = 0; i0 < n; i0 += B) {
      const nb = Math.min(B, n - i0);
      // Rows past the end reuse the last row; their residuals are zeroed below.
      const o0 = i0 * d;
      const o1 = Math.min(i0 + 1, n - 1) * d;
      const o2 = Math.min(i0 + 2, n - 1) * d;
      const o3 = Math.min(i0 + 3, n - 1) * d;
      for (let k = 0; k < outputs; k++) {
        const ok = k * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < d; j++) {
          const w = p[ok + j];
          s0 += data[o0 + j] * w;
          s1 += data[o1 + j] * w;
          s2 += data[o2 + j] * w;
          s3 += data[o3 + j] * w;
        }
        const b = p[bOff + k];
        z[k] = s0 + b;
        z[outputs + k] = s1 + b;
        z[2 * outputs + k] = s2 + b;
        z[3 * outputs + k] = s3 + b;
      }
      for (let r = 0; r < B; r++) {
        if (r < nb) loss += lossAndResidual(z, r * outputs, outputs, yIndex[i0 + r]);
        else for (let k = 0; k < outputs; k++) z[r * outputs + k] = 0;
      }
      for (let k = 0; k < outputs; k++) {
        const r0 = z[k];
        const r1 = z[outputs + k];
        const r2 = z[2 * outputs + k];
        const r3 = z[3 * outputs + k];
        const ok = k * d;
        for (let j = 0; j < d; j++) grad[ok + j] += r0 * data[o0 + j] + r1 * data[o1 + j] + r2 * data[o2 + j] + r3 * data[o3 + j];
        grad[bOff + k] += r0 + r1 + r2 + r3;
      }
    }
    let penalty = 0;
    for (let j = 0; j < bOff; j++) {
      penalty += p[j] * p[j];
      grad[j] = grad[j] / n + lambda * p[j];
    }
    for (let k = 0; k < outputs; k++) grad[bOff + k] /= n;
    return loss / n + 0.5 * lambda * penalty;
  };
}

/** Bytes of X per block of rows in the wasm objective: a block's rows stay in cache between its two products. */
const BLOCK_BYTES = 256 * 1024;

/**
 * The same objective as the JS loops, with the two products in wasm and the per-row softmax in JS, a block of
 * rows at a time (scores, residuals, then the block's gradient terms). Every sum runs in the JS loop's order:
 * rows in order for the loss and the gradient, four rows per intercept term, so results are bit-identical.
 */
function wasmObjective(k: RowProducts, yIndex: Int32Array, n: number, d: number, outputs: number, lambda: number): (p: Float64Array, grad: Float64Array) => number {
  const bOff = outputs * d;
  const padded = Math.ceil(n / 4) * 4;
  const block = Math.max(4, Math.floor(BLOCK_BYTES / (8 * d * 4)) * 4);
  return (p, grad) => {
    const kp = outputs + (outputs % 2);
    for (let c = 0; c < outputs; c++) for (let j = 0; j < d; j++) k.wt[j * kp + c] = p[c * d + j];
    const z = k.z;
    let loss = 0;
    // Every entry of grad is written at the end (weights from k.g, intercepts from k.interceptGrad).
    k.g.fill(0);
    k.interceptGrad.fill(0);
    if (outputs > 1) k.bias.set(p.subarray(bOff, bOff + outputs));
    for (let r0 = 0; r0 < padded; r0 += block) {
      const count = Math.min(block, padded - r0);
      const end = Math.min(r0 + count, n);
      k.scoresRows(r0, count);
      if (outputs > 1) {
        // The softmax in wasm (its exponentials are Math.exp's to the bit); the loss summed here, row by row.
        k.softmaxRows(r0, end - r0);
        const s = k.rowStats;
        for (let i = r0; i < end; i++) loss += s[3 * i] + Math.log(s[3 * i + 1]) - s[3 * i + 2];
      } else {
        for (let i = r0; i < end; i++) {
          const off = i * outputs;
          for (let c = 0; c < outputs; c++) z[off + c] += p[bOff + c];
          loss += lossAndResidual(z, off, outputs, yIndex[i]);
        }
      }
      // The pad rows (n rounded up to 4) hold zero residuals, as the JS loop's past-the-end rows do.
      z.fill(0, end * outputs, (r0 + count) * outputs);
      // Intercept gradients summed per block of 4 rows, as the JS loop does.
      k.addInterceptRows(r0, count);
      k.addGradientRows(r0, count);
    }
    let penalty = 0;
    for (let j = 0; j < bOff; j++) {
      penalty += p[j] * p[j];
      grad[j] = k.g[j] / n + lambda * p[j];
    }
    for (let c = 0; c < outputs; c++) grad[bOff + c] = k.interceptGrad[c] / n;
    return loss / n + 0.5 * lambda * penalty;
  };
}

function softmaxScores(x: Matrix, weights: Float64Array, intercepts: Float64Array, classes: number): Float64Array {
  const { rows, cols: d, data } = x;
  const outputs = intercepts.length;
  const proba = new Float64Array(rows * classes);
  const z = new Float64Array(outputs);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < outputs; k++) {
      let s = intercepts[k];
      for (let j = 0; j < d; j++) s += data[i * d + j] * weights[k * d + j];
      z[k] = s;
    }
    if (outputs === 1) {
      const p1 = z[0] >= 0 ? 1 / (1 + Math.exp(-z[0])) : Math.exp(z[0]) / (1 + Math.exp(z[0]));
      proba[i * 2] = 1 - p1;
      proba[i * 2 + 1] = p1;
    } else {
      let max = -Infinity;
      for (let k = 0; k < outputs; k++) max = Math.max(max, z[k]);
      let sum = 0;
      for (let k = 0; k < outputs; k++) sum += Math.exp(z[k] - max);
      for (let k = 0; k < outputs; k++) proba[i * classes + k] = Math.exp(z[k] - max) / sum;
    }
  }
  return proba;
}

/** Index of the largest value in each row; the first one wins ties. */
export function argmaxRows(values: Float64Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (values[i * cols + k] > values[i * cols + best]) best = k;
    out[i] = best;
  }
  return out;
}

export function classIndex(y: Int32Array): { classes: Int32Array; index: Int32Array } {
  const classes = Int32Array.from(new Set(y)).sort();
  const pos = new Map<number, number>();
  classes.forEach((c, k) => pos.set(c, k));
  return { classes, index: Int32Array.from(y, (v) => pos.get(v) as number) };
}

/**
 * History pairs L-BFGS keeps for the probe (scipy's and so sklearn's default is 10). The same optimum within the
 * same tolerance in fewer evaluations: Fashion-MNIST, the default 3-fold CV over the 6-value grid, 50 instead
 * of 10 took 3,050 -> 1,854 evaluations on raw pixels (5,800 x 784) and 2,070 -> 1,364 on 64-d codes
 * (callgrind, the whole process: 68.3 -> 57.5 G instructions), for 2 x 50 vectors of the parameters' size.
 */
export const PROBE_LBFGS_MEMORY = 50;

/** Where a fit starts: x0 (zeros when absent), curvature pairs, and the features' curvature for a preconditioner. */
export interface LogisticStart {
  x0?: Float64Array;
  history?: LbfgsHistory;
  curvature?: LogisticCurvature | null;
}

/** Minimises the probe's objective at strength C: fits and CV paths' warm starts. */
export function trainLogistic(xs: Matrix, index: Int32Array, outputs: number, C: number, opts: { tol: number; maxIter: number }, start: LogisticStart = {}): LbfgsResult {
  const fn = logisticObjective(xs, index, outputs, C);
  const x = start.x0 ? Float64Array.from(start.x0) : new Float64Array(outputs * (xs.cols + 1));
  const preconditioner = start.curvature ? logisticPreconditioner(start.curvature, outputs, C, xs.rows) : undefined;
  return minimizeLbfgs(fn, x, { gtol: opts.tol, maxIter: opts.maxIter, memory: PROBE_LBFGS_MEMORY, history: start.history, preconditioner });
}

/**
 * The curvature pairs of a fit at strength `from`, made exact for strength `to` on the same rows: the penalty's
 * gradient is lambda W (lambda = 1 / (C n)), linear, so each y gains (lambda_to - lambda_from) s on the weights
 * (not on the intercepts, which are not penalised). Changes h in place and returns it; pairs that lose their
 * positive curvature are left out by minimizeLbfgs.
 */
export function historyForStrength(h: LbfgsHistory, weights: number, rows: number, from: number, to: number): LbfgsHistory {
  const dLambda = 1 / (to * rows) - 1 / (from * rows);
  for (let k = 0; k < h.s.length; k++) {
    const [s, y] = [h.s[k], h.y[k]];
    for (let i = 0; i < weights; i++) y[i] += dLambda * s[i];
  }
  return h;
}

/** Class indices by the largest score (W x + b); the scores order classes as softmax would. */
function predictIndex(x: Matrix, params: Float64Array, outputs: number, classes: number): Int32Array {
  const d = x.cols;
  return argmaxRows(softmaxScores(x, params.subarray(0, outputs * d), params.subarray(outputs * d), classes), x.rows, classes);
}

/**
 * C by stratified k-fold cross-validation on (already standardised) training features, as scikit-learn's
 * LogisticRegressionCV: every C of the grid (ascending, each fit warm-started from the previous one's solution,
 * as sklearn does, and here also from its curvature pairs: on Fashion-MNIST's default CV that took raw pixels
 * from 1,854 to 1,265 evaluations and 64-d codes from 1,364 to 938, to the same optima within the tolerance)
 * on each fold's training part, scored by held-out accuracy. Every fit is also preconditioned by the features'
 * covariance (preconditioner.ts: its leading PRECONDITION_RANK directions), computed once from all the rows.
 * `start` is the folds' mean solution at the chosen C, where the final fit starts (sklearn's refit does the
 * same): it lands within the tolerance of the same optimum in a fraction of the iterations from zero.
 */
export function chooseLogisticC(
  xs: Matrix,
  index: Int32Array,
  nClasses: number,
  grid: readonly number[],
  cv: { folds: number; seed: number; tol: number; maxIter: number },
): { choice: CvChoice; start: Float64Array; curvature: LogisticCurvature | null } {
  const Cs = [...grid].sort((a, b) => a - b);
  const outputs = nClasses === 2 ? 1 : nClasses;
  const folds = foldSplits(xs, index, cv.folds, cv.seed);
  // One curvature (the covariance of all the rows) for every fold and the final fit: each fold's is close to it,
  // and it only shapes the path to the optimum, not the optimum.
  const curvature = logisticCurvature(xs, nClasses);
  const scores = new Array<number>(Cs.length).fill(0);
  const solutions = Cs.map(() => new Float64Array(outputs * (xs.cols + 1)));
  for (const f of folds) {
    let warm: LbfgsResult | undefined;
    Cs.forEach((C, i) => {
      // The previous C's solution and its curvature pairs (made exact for this C) start the next fit.
      const history = warm ? historyForStrength(warm.history, outputs * xs.cols, f.train.rows, Cs[i - 1], C) : undefined;
      warm = trainLogistic(f.train, f.trainY, outputs, C, cv, { x0: warm?.x, history, curvature });
      const x = warm.x;
      scores[i] += accuracyOf(predictIndex(f.held, x, outputs, nClasses), f.heldY) / folds.length;
      for (let j = 0; j < x.length; j++) solutions[i][j] += x[j] / folds.length;
    });
  }
  const choice = bestOf(Cs, scores, folds.length);
  return { choice, start: solutions[Cs.indexOf(choice.value)], curvature };
}

export function fitLogistic(x: Matrix, y: Int32Array, input: Partial<z.input<typeof LogisticSpec>> = {}): LogisticModel {
  const cfg: LogisticConfig = LogisticSpec.parse({ ...input, kind: 'logistic' });
  if (y.length !== x.rows) throw new Error(`fitLogistic: ${x.rows} rows but ${y.length} labels`);
  if (x.rows === 0) throw new Error('fitLogistic: no training samples');
  const { classes, index } = classIndex(y);
  const stats = cfg.standardize ? columnStats(x) : null;
  const xs = stats ? standardize(x, stats) : x;
  const d = x.cols;
  const nClasses = classes.length;
  const outputs = nClasses === 2 ? 1 : nClasses;
  let weights = new Float64Array(outputs * d);
  let intercepts = new Float64Array(outputs);
  let optimization: LogisticModel['optimization'] = { iterations: 0, gradMax: 0, converged: true, reason: 'gtol', f: 0 };
  const cv = logisticCv(cfg);
  let cvChoice: CvChoice | null = null;
  let C = cfg.C ?? 1;
  if (nClasses > 1) {
    let start: LogisticStart;
    if (cv) {
      const chosen = chooseLogisticC(xs, index, nClasses, cv.grid, { ...cv, tol: cfg.tol, maxIter: cfg.maxIter });
      cvChoice = chosen.choice;
      start = { x0: chosen.start, curvature: chosen.curvature };
      C = cvChoice.value;
    } else {
      start = { curvature: logisticCurvature(xs, nClasses) };
    }
    const res = trainLogistic(xs, index, outputs, C, cfg, start);
    weights = res.x.slice(0, outputs * d);
    intercepts = res.x.slice(outputs * d);
    optimization = { iterations: res.iterations, gradMax: res.gradMax, converged: res.converged, reason: res.reason, f: res.f };
  }
  const predictProba = (q: Matrix): Float64Array => {
    if (q.cols !== d) throw new Error(`logistic: model expects ${d} features, got ${q.cols}`);
    if (nClasses === 1) return new Float64Array(q.rows).fill(1);
    return softmaxScores(stats ? standardize(q, stats) : q, weights, intercepts, nClasses);
  };
  return {
    classes,
    weights,
    intercepts,
    stats,
    optimization,
    C,
    cv: cvChoice,
    setting: { param: 'C', value: C, cv: cvChoice },
    predictProba,
    predict: (q) => Int32Array.from(argmaxRows(predictProba(q), q.rows, nClasses), (k) => classes[k]),
  };
}

export function logisticProbe(input: Partial<z.input<typeof LogisticSpec>> = {}): ClassifierProbe {
  return { fit: (x, y) => fitLogistic(x, y, input) };
}
