// k-nearest-neighbour classifier (brute force, exact). Deterministic ties: among equally distant training rows the
// lower index wins; among equally voted classes the smaller label wins (as sklearn's uniform-weight predict).
import { columnStats, standardize, type ColumnStats, type Matrix } from '../matrix';
import { createDistanceKernels } from './f64Kernels';
import { argmaxRows, classIndex } from './logistic';
import { accuracyOf, bestOf, foldSplits, type CvChoice } from './folds';
import { KnnSpec, knnCv, type KnnConfig } from '../../../shared/study/probes';
import type { ClassifierProbe, FittedClassifier } from './types';
import type { z } from 'zod';

/** Below this many multiply-adds (queries x references x columns) the JS loop is as quick as copying to wasm. */
const WASM_MIN_WORK = 20_000_000;

export interface Neighbors {
  /** rows x k training-row indices, nearest first. */
  indices: Int32Array;
  /** rows x k distances (euclidean, or 1 - cosine similarity). */
  distances: Float64Array;
  k: number;
}

/** Unit-length copies of the rows (zero rows stay zero, so their cosine distance to anything is 1). */
function normalizeRows(m: Matrix): Matrix {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += data[i * cols + j] ** 2;
    const norm = Math.sqrt(s);
    if (norm > 0) for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * cols + j] / norm;
  }
  return { data: out, rows, cols };
}

/**
 * The k nearest reference rows of every query row. With `selfOffset` set, query row i is reference row
 * i + selfOffset and is skipped (neighbourhoods within one set, computed a block of query rows at a time).
 * Tiled over reference rows and four query rows at a time so the working set stays in cache. For cosine, pass rows
 * as they are; they are normalised here.
 */
export function nearestNeighbors(
  query: Matrix,
  reference: Matrix,
  k: number,
  opts: { metric?: 'euclidean' | 'cosine'; selfOffset?: number; engine?: 'auto' | 'js' | 'wasm' } = {},
): Neighbors {
  if (query.cols !== reference.cols) throw new Error(`nearestNeighbors: query has ${query.cols} columns, reference ${reference.cols}`);
  const metric = opts.metric ?? 'euclidean';
  const excludeSelf = opts.selfOffset !== undefined;
  const self = opts.selfOffset ?? 0;
  const available = reference.rows - (excludeSelf ? 1 : 0);
  if (!Number.isInteger(k) || k < 1 || k > available) throw new Error(`nearestNeighbors: k must be an integer in [1, ${available}], got ${k}`);
  const cosine = metric === 'cosine';
  const q = cosine ? normalizeRows(query) : query;
  const r = cosine ? normalizeRows(reference) : reference;
  const d = q.cols;
  const nq = q.rows;
  const nr = r.rows;
  const qd = q.data;
  const rd = r.data;
  // Keys kept ascending per query row: squared euclidean distance, or minus the cosine similarity.
  const bestKey = new Float64Array(nq * k).fill(Infinity);
  const bestIdx = new Int32Array(nq * k).fill(-1);
  const insert = (row: number, key: number, idx: number): void => {
    const o = row * k;
    if (!(key < bestKey[o + k - 1])) return; // strict: an earlier (lower) index keeps its place on ties
    let pos = k - 1;
    while (pos > 0 && key < bestKey[o + pos - 1]) {
      bestKey[o + pos] = bestKey[o + pos - 1];
      bestIdx[o + pos] = bestIdx[o + pos - 1];
      pos--;
    }
    bestKey[o + pos] = key;
    bestIdx[o + pos] = idx;
  };
  const tile = Math.max(16, Math.floor(65536 / Math.max(d, 1)));
  // Large problems (raw pixels) take the wasm distances: the same sums in the same order, so the same neighbours.
  const engine = opts.engine ?? 'auto';
  const kernels = engine === 'wasm' || (engine === 'auto' && nq * nr * d >= WASM_MIN_WORK) ? createDistanceKernels(qd, nq, rd, nr, d, tile, cosine) : null;
  if (engine === 'wasm' && !kernels) throw new Error('nearestNeighbors: the wasm kernels are not available here');
  for (let t0 = 0; t0 < nr; t0 += tile) {
    const t1 = Math.min(nr, t0 + tile);
    for (let i0 = 0; i0 < nq; i0 += 4) {
      const nb = Math.min(4, nq - i0);
      const a0 = i0 * d;
      const a1 = Math.min(i0 + 1, nq - 1) * d;
      const a2 = Math.min(i0 + 2, nq - 1) * d;
      const a3 = Math.min(i0 + 3, nq - 1) * d;
      const blk = kernels?.block(i0, t0, t1);
      const w = blk ? blk.length / 4 : 0;
      for (let t = t0; t < t1; t++) {
        const ot = t * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        if (blk) {
          const c = t - (t0 & ~1);
          s0 = blk[c];
          s1 = blk[w + c];
          s2 = blk[2 * w + c];
          s3 = blk[3 * w + c];
        } else if (cosine) {
          for (let j = 0; j < d; j++) {
            const v = rd[ot + j];
            s0 -= qd[a0 + j] * v;
            s1 -= qd[a1 + j] * v;
            s2 -= qd[a2 + j] * v;
            s3 -= qd[a3 + j] * v;
          }
        } else {
          for (let j = 0; j < d; j++) {
            const v = rd[ot + j];
            const e0 = qd[a0 + j] - v;
            const e1 = qd[a1 + j] - v;
            const e2 = qd[a2 + j] - v;
            const e3 = qd[a3 + j] - v;
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
          }
        }
        const ts = excludeSelf ? t - self - i0 : -1; // which of the four query rows (if any) this reference row is
        if (ts !== 0) insert(i0, s0, t);
        if (nb > 1 && ts !== 1) insert(i0 + 1, s1, t);
        if (nb > 2 && ts !== 2) insert(i0 + 2, s2, t);
        if (nb > 3 && ts !== 3) insert(i0 + 3, s3, t);
      }
    }
  }
  const distances = new Float64Array(nq * k);
  for (let i = 0; i < distances.length; i++) distances[i] = cosine ? 1 + bestKey[i] : Math.sqrt(bestKey[i]);
  return { indices: bestIdx, distances, k };
}

/** Class index by majority among each row's first k neighbours; ties go to the smaller class (as argmaxRows). */
function vote(nb: Neighbors, k: number, index: Int32Array, nClasses: number): Int32Array {
  const rows = nb.indices.length / nb.k;
  const out = new Int32Array(rows);
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < rows; i++) {
    counts.fill(0);
    for (let j = 0; j < k; j++) counts[index[nb.indices[i * nb.k + j]]]++;
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (counts[c] > counts[best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * k by stratified k-fold cross-validation on the (already scaled) training features: one neighbour search per
 * fold for the largest k of the grid, then every k votes from its prefix of those neighbours.
 */
export function chooseKnnK(
  x: Matrix,
  index: Int32Array,
  nClasses: number,
  grid: readonly number[],
  cv: { folds: number; seed: number; metric: KnnConfig['metric'] },
): CvChoice {
  const folds = foldSplits(x, index, cv.folds, cv.seed);
  const smallest = Math.min(...folds.map((f) => f.train.rows));
  const ks = [...new Set(grid.map((k) => Math.min(k, smallest)))].sort((a, b) => a - b);
  const scores = new Array<number>(ks.length).fill(0);
  for (const f of folds) {
    const nb = nearestNeighbors(f.held, f.train, ks[ks.length - 1], { metric: cv.metric });
    ks.forEach((k, i) => (scores[i] += accuracyOf(vote(nb, k, f.trainY, nClasses), f.heldY) / folds.length));
  }
  return bestOf(ks, scores, folds.length);
}

export interface KnnModel extends FittedClassifier {
  k: number;
  cv: CvChoice | null;
  metric: KnnConfig['metric'];
  neighbors(x: Matrix): Neighbors;
}

/** Stores the training set; k larger than the training set is clamped to its size (sklearn would raise). */
export function fitKnn(x: Matrix, y: Int32Array, input: Partial<z.input<typeof KnnSpec>> = {}): KnnModel {
  const cfg: KnnConfig = KnnSpec.parse({ ...input, kind: 'knn' });
  if (y.length !== x.rows) throw new Error(`fitKnn: ${x.rows} rows but ${y.length} labels`);
  if (x.rows === 0) throw new Error('fitKnn: no training samples');
  const { classes, index } = classIndex(y);
  const stats: ColumnStats | null = cfg.standardize ? columnStats(x) : null;
  const train = stats ? standardize(x, stats) : x;
  const nClasses = classes.length;
  const cv = knnCv(cfg);
  const cvChoice = cv && x.rows >= 2 ? chooseKnnK(train, index, nClasses, cv.grid, { ...cv, metric: cfg.metric }) : null;
  const k = Math.min(cvChoice?.value ?? cfg.k ?? 5, x.rows);
  const neighbors = (q: Matrix): Neighbors => {
    if (q.cols !== x.cols) throw new Error(`knn: model expects ${x.cols} features, got ${q.cols}`);
    return nearestNeighbors(stats ? standardize(q, stats) : q, train, k, { metric: cfg.metric });
  };
  // Vote fractions count / k: equal counts give bitwise-equal fractions, so argmax ties stay exact.
  const predictProba = (q: Matrix): Float64Array => {
    const nb = neighbors(q);
    const proba = new Float64Array(q.rows * nClasses);
    for (let i = 0; i < q.rows; i++) for (let j = 0; j < k; j++) proba[i * nClasses + index[nb.indices[i * k + j]]]++;
    for (let i = 0; i < proba.length; i++) proba[i] /= k;
    return proba;
  };
  return {
    classes,
    k,
    cv: cvChoice,
    setting: { param: 'k', value: k, cv: cvChoice },
    metric: cfg.metric,
    neighbors,
    predictProba,
    predict: (q) => Int32Array.from(argmaxRows(predictProba(q), q.rows, nClasses), (c) => classes[c]),
  };
}

export function knnProbe(input: Partial<z.input<typeof KnnSpec>> = {}): ClassifierProbe {
  return { fit: (x, y) => fitKnn(x, y, input) };
}
