// Stratified k-fold cross-validation on the training split, for choosing a probe's hyperparameter (logistic C,
// kNN k) as an analyst would: never on validation or test images. Seeded: the same labels and seed give the
// same folds on any machine.
import { createRng } from '../../../shared/rng';
import type { CvChoice } from '../../../shared/verdict';
import { takeRows, type Matrix } from '../matrix';

/**
 * Fold number (0 .. folds - 1) per row: each class is shuffled with the seed and dealt round-robin, continuing
 * the count from the previous class, so every fold gets its share of each class and the fold sizes differ by
 * at most one (sklearn's StratifiedKFold(shuffle=True) in spirit; not its exact assignment).
 */
export function stratifiedFolds(yIndex: Int32Array, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`stratifiedFolds: need at least 2 folds, got ${folds}`);
  const rng = createRng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < yIndex.length; i++) {
    const g = byClass.get(yIndex[i]);
    if (g) g.push(i);
    else byClass.set(yIndex[i], [i]);
  }
  const fold = new Int32Array(yIndex.length);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(byClass.get(c) as number[]);
    for (const r of rows) fold[r] = next++ % folds;
  }
  return fold;
}

export interface Fold {
  train: Matrix;
  trainY: Int32Array;
  held: Matrix;
  heldY: Int32Array;
}

/** The (train, held-out) pair of each fold; fold count clamped to the rows there are. */
export function foldSplits(x: Matrix, yIndex: Int32Array, folds: number, seed: number): Fold[] {
  const k = Math.min(folds, x.rows);
  if (k < 2) throw new Error(`cross-validation needs at least 2 training images, got ${x.rows}`);
  const fold = stratifiedFolds(yIndex, k, seed);
  const out: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? held : train).push(i);
    out.push({ train: takeRows(x, train), trainY: Int32Array.from(train, (i) => yIndex[i]), held: takeRows(x, held), heldY: Int32Array.from(held, (i) => yIndex[i]) });
  }
  return out;
}

export type { CvChoice, ProbeSetting } from '../../../shared/verdict';

/** The grid value with the best mean score; ties go to the earliest (the grid lists the simpler models first). */
export function bestOf(grid: readonly number[], scores: readonly number[], folds: number): CvChoice {
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (scores[i] > scores[best]) best = i;
  return { value: grid[best], grid: [...grid], scores: [...scores], folds };
}

export function accuracyOf(pred: Int32Array, truth: Int32Array): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) right++;
  return truth.length ? right / truth.length : 0;
}
