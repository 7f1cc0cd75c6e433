// UMAP through umap-js, seeded with our rng. Its own nearest-neighbour search (NN-descent) runs in one blocking
// call, so exact neighbours are computed here a block at a time and handed over with setPrecomputedKNN; the
// layout epochs then run one step per generator step. One step stays long: umap-js's initializeFit (fuzzy set and
// search graph on its own sparse matrices), ~1 s for 3,000 points, so run UMAP in the trainer or a worker.
import { UMAP } from 'umap-js';
import { createRng } from '../../../shared/rng';
import type { Matrix } from '../matrix';
import { nearestNeighbors } from '../probes/knn';
import type { StepProgress } from './tsne';

export interface UmapOptions {
  dims?: 2 | 3;
  seed?: number;
  nNeighbors?: number;
  minDist?: number;
  spread?: number;
  /**
   * Layout epochs (default 200, what umap-learn uses for large data; it and umap-js use 500 below 10,000 points,
   * which costs 2.5x the time for a plot that changes little).
   */
  nEpochs?: number;
}

export function* umapSteps(points: Matrix, opts: UmapOptions = {}): Generator<StepProgress, Matrix, void> {
  const dims = opts.dims ?? 2;
  const n = points.rows;
  // umap-js needs more points than neighbours (self included); tiny sets get a trivial layout.
  const nNeighbors = Math.min(opts.nNeighbors ?? 15, n - 1);
  if (nNeighbors < 2) return { data: new Float64Array(n * dims), rows: n, cols: dims };
  const rng = createRng(opts.seed ?? 0);
  yield { phase: 'prepare', done: 0, total: 1 };
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(points.data.subarray(i * points.cols, (i + 1) * points.cols)));

  // umap-learn's convention: each point is its own first neighbour at distance 0.
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  const k = nNeighbors - 1;
  const block = Math.max(16, Math.floor(2_000_000 / Math.max(1, n * points.cols)) * 4);
  for (let r0 = 0; r0 < n; r0 += block) {
    const r1 = Math.min(n, r0 + block);
    const sub: Matrix = { data: points.data.subarray(r0 * points.cols, r1 * points.cols), rows: r1 - r0, cols: points.cols };
    const nb = nearestNeighbors(sub, points, k, { selfOffset: r0 });
    for (let i = 0; i < r1 - r0; i++) {
      knnIndices.push([r0 + i, ...nb.indices.subarray(i * k, (i + 1) * k)]);
      knnDistances.push([0, ...nb.distances.subarray(i * k, (i + 1) * k)]);
    }
    yield { phase: 'neighbors', done: r1, total: n };
  }
  const umap = new UMAP({
    nComponents: dims,
    nNeighbors,
    minDist: opts.minDist ?? 0.1,
    spread: opts.spread ?? 1,
    nEpochs: opts.nEpochs ?? 200,
    random: () => rng.next(),
  });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  const epochs = umap.initializeFit(rows);
  yield { phase: 'affinities', done: 1, total: 1 };
  for (let e = 0; e < epochs; e++) {
    umap.step();
    yield { phase: 'optimize', done: e + 1, total: epochs };
  }
  const emb = umap.getEmbedding();
  const data = new Float64Array(n * dims);
  emb.forEach((row, i) => {
    for (let a = 0; a < dims; a++) data[i * dims + a] = row[a];
  });
  return { data, rows: n, cols: dims };
}
