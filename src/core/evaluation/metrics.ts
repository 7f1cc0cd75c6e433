// Classification and regression metrics, defined as scikit-learn 1.2 defines them (checked against
// test/evaluation/fixtures/metrics-fixtures.json to 1e-9). Labels are integers; scores are Float64 row-major.

export type IntLabels = Int32Array | readonly number[];

/** Sorted distinct labels of the arrays together (sklearn's unique_labels). */
export function uniqueLabels(...ys: IntLabels[]): number[] {
  const s = new Set<number>();
  for (const y of ys) for (let i = 0; i < y.length; i++) s.add(y[i]);
  return [...s].sort((a, b) => a - b);
}

function checkPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  if (yTrue.length !== yPred.length) throw new Error(`${what}: y_true has ${yTrue.length} values, y_pred ${yPred.length}`);
  if (yTrue.length === 0) throw new Error(`${what}: no samples`);
}

export function accuracy(yTrue: IntLabels, yPred: IntLabels): number {
  checkPair(yTrue, yPred, 'accuracy');
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** Rows = true label, columns = predicted label, in `labels` order; pairs with a label outside the list are ignored. */
export function confusionMatrix(yTrue: IntLabels, yPred: IntLabels, labels: readonly number[] = uniqueLabels(yTrue, yPred)): number[][] {
  checkPair(yTrue, yPred, 'confusionMatrix');
  const pos = new Map<number, number>();
  labels.forEach((l, k) => pos.set(l, k));
  const cm = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = pos.get(yTrue[i]);
    const p = pos.get(yPred[i]);
    if (t !== undefined && p !== undefined) cm[t][p]++;
  }
  return cm;
}

/** Mean recall over the classes present in y_true (sklearn drops classes with no true samples). */
export function balancedAccuracy(yTrue: IntLabels, yPred: IntLabels): number {
  const cm = confusionMatrix(yTrue, yPred);
  let sum = 0;
  let count = 0;
  cm.forEach((row, k) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support > 0) {
      sum += row[k] / support;
      count++;
    }
  });
  return count ? sum / count : 0;
}

export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
}

/** Per-label precision, recall and F1 with zero_division = 0. */
export function precisionRecallF1(yTrue: IntLabels, yPred: IntLabels, labels: readonly number[] = uniqueLabels(yTrue, yPred)): PerClassScores {
  const cm = confusionMatrix(yTrue, yPred, labels);
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  // Predicted counts come from all of y_pred, not only pairs whose true label is listed (sklearn's multilabel_confusion_matrix).
  const predicted = new Map<number, number>();
  const truth = new Map<number, number>();
  for (let i = 0; i < yTrue.length; i++) {
    predicted.set(yPred[i], (predicted.get(yPred[i]) ?? 0) + 1);
    truth.set(yTrue[i], (truth.get(yTrue[i]) ?? 0) + 1);
  }
  labels.forEach((l, k) => {
    const tp = cm[k][k];
    const nPred = predicted.get(l) ?? 0;
    const nTrue = truth.get(l) ?? 0;
    const p = nPred ? tp / nPred : 0;
    const r = nTrue ? tp / nTrue : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
    support.push(nTrue);
  });
  return { labels: [...labels], precision, recall, f1, support };
}

export interface AveragedScores {
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
}

export function averagedScores(yTrue: IntLabels, yPred: IntLabels, labels: readonly number[] = uniqueLabels(yTrue, yPred)): AveragedScores {
  const s = precisionRecallF1(yTrue, yPred, labels);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const total = s.support.reduce((a, b) => a + b, 0);
  const weighted = (xs: number[]): number => (total ? xs.reduce((a, x, k) => a + x * s.support[k], 0) / total : 0);
  return {
    precisionMacro: mean(s.precision),
    recallMacro: mean(s.recall),
    f1Macro: mean(s.f1),
    precisionWeighted: weighted(s.precision),
    recallWeighted: weighted(s.recall),
    f1Weighted: weighted(s.f1),
  };
}

/**
 * Binary ROC-AUC: the area under the ROC curve, tied scores forming one diagonal step (what sklearn's roc_curve +
 * trapezoid auc gives; equal to the Mann-Whitney statistic with average ranks). NaN if only one class is present.
 */
export function rocAucBinary(isPositive: ArrayLike<boolean | number>, score: ArrayLike<number>): number {
  const n = score.length;
  if (isPositive.length !== n) throw new Error(`rocAucBinary: ${isPositive.length} labels, ${n} scores`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (isPositive[i]) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  let area = 0;
  let tp = 0;
  for (let k = 0; k < n; ) {
    const s = score[order[k]];
    let dTp = 0;
    let dFp = 0;
    while (k < n && score[order[k]] === s) {
      if (isPositive[order[k]]) dTp++;
      else dFp++;
      k++;
    }
    area += dFp * (tp + dTp / 2); // trapezoid over this block of tied scores
    tp += dTp;
  }
  return area / (nPos * nNeg);
}

/**
 * One-vs-rest macro ROC-AUC; `scores` is rows x labels.length (probabilities in label order). A label with no
 * positive or no negative sample has no AUC and is left out of the mean (sklearn raises instead); NaN if none has one.
 */
export function rocAucOvrMacro(yTrue: IntLabels, scores: Float64Array, labels: readonly number[]): number {
  const n = yTrue.length;
  const k = labels.length;
  if (scores.length !== n * k) throw new Error(`rocAucOvrMacro: scores has ${scores.length} values, expected ${n} x ${k}`);
  let sum = 0;
  let count = 0;
  const col = new Float64Array(n);
  const pos = new Uint8Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      col[i] = scores[i * k + c];
      pos[i] = yTrue[i] === labels[c] ? 1 : 0;
    }
    const auc = rocAucBinary(pos, col);
    if (!Number.isNaN(auc)) {
      sum += auc;
      count++;
    }
  }
  return count ? sum / count : NaN;
}

export interface RegressionMetrics {
  r2: number;
  mse: number;
  mae: number;
}

export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, 'meanSquaredError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return s / yTrue.length;
}

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, 'meanAbsoluteError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/** Coefficient of determination; a constant y_true gives 1 for a perfect prediction, else 0 (sklearn's force_finite). */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, 'r2Score');
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  return { r2: r2Score(yTrue, yPred), mse: meanSquaredError(yTrue, yPred), mae: meanAbsoluteError(yTrue, yPred) };
}

export interface ClassificationMetrics extends AveragedScores {
  labels: number[];
  accuracy: number;
  balancedAccuracy: number;
  confusionMatrix: number[][];
  /** Binary ROC-AUC (score of labels[1]) for two labels, one-vs-rest macro otherwise; null without scores. */
  rocAuc: number | null;
}

/** All classification metrics at once; `scores` (rows x labels.length, in label order) enables ROC-AUC. */
export function classificationMetrics(
  yTrue: IntLabels,
  yPred: IntLabels,
  labels: readonly number[] = uniqueLabels(yTrue, yPred),
  scores?: Float64Array,
): ClassificationMetrics {
  let rocAuc: number | null = null;
  if (scores) {
    if (labels.length === 2) {
      const n = yTrue.length;
      if (scores.length !== n * 2) throw new Error(`classificationMetrics: scores has ${scores.length} values, expected ${n} x 2`);
      const pos = new Uint8Array(n);
      const s = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        pos[i] = yTrue[i] === labels[1] ? 1 : 0;
        s[i] = scores[i * 2 + 1];
      }
      rocAuc = rocAucBinary(pos, s);
    } else {
      rocAuc = rocAucOvrMacro(yTrue, scores, labels);
    }
  }
  return {
    labels: [...labels],
    accuracy: accuracy(yTrue, yPred),
    balancedAccuracy: balancedAccuracy(yTrue, yPred),
    ...averagedScores(yTrue, yPred, labels),
    confusionMatrix: confusionMatrix(yTrue, yPred, labels),
    rocAuc,
  };
}
