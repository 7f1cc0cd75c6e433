// Barnes-Hut t-SNE (van der Maaten 2014) with scikit-learn's settings: perplexity 30, 3 * perplexity exact
// neighbours, early exaggeration 12 for 250 iterations, learning rate max(n / 12 / 4, 50), momentum 0.5 then 0.8,
// delta-bar-delta gains, PCA initialisation scaled to sd 1e-4. Two defaults differ, for speed: 750 iterations in
// all (openTSNE's 250 + 500; sklearn runs 1000) and theta 0.6, which with the group traversal of tsneForces.ts is
// about as accurate as sklearn's per-point theta 0.5. Written as a generator so a driver can yield to the event
// loop between steps (see project.ts).
import { createRng } from '../../../shared/rng';
import type { Matrix } from '../matrix';
import { nearestNeighbors } from '../probes/knn';
import { fitPca, pcaTransform } from './pca';
import { SpaceTree } from './spaceTree';
import { attraction2, attraction3, forceScratch, repulsion, type SparseP } from './tsneForces';

export interface TsneOptions {
  dims?: 2 | 3;
  perplexity?: number;
  iterations?: number;
  theta?: number;
  learningRate?: number | 'auto';
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  init?: 'pca' | 'random';
  /** Seeds the random initialisation (and PCA's randomized solver when the input is very wide). */
  seed?: number;
  /** Inputs wider than this are first reduced with PCA (the usual t-SNE preprocessing; 50 by default). */
  maxInputDims?: number;
}

export interface StepProgress {
  phase: 'prepare' | 'neighbors' | 'affinities' | 'optimize';
  done: number;
  total: number;
}

/** Gaussian conditional probabilities of one row matching the perplexity, by bisection on the precision (beta). */
function conditionalRow(dist2: Float64Array, off: number, k: number, perplexity: number, out: Float64Array): void {
  const target = Math.log(perplexity);
  let beta = 1;
  let lo = -Infinity;
  let hi = Infinity;
  for (let it = 0; it < 100; it++) {
    let sum = 0;
    let sumDP = 0;
    for (let j = 0; j < k; j++) {
      const p = Math.exp(-dist2[off + j] * beta);
      out[off + j] = p;
      sum += p;
      sumDP += dist2[off + j] * p;
    }
    if (sum === 0) sum = 1e-8;
    const entropy = Math.log(sum) + (beta * sumDP) / sum;
    for (let j = 0; j < k; j++) out[off + j] /= sum;
    const diff = entropy - target;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
}

function symmetrize(n: number, k: number, idx: Int32Array, cond: Float64Array): SparseP {
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      count[i]++;
      count[idx[i * k + j]]++;
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
  const cols = new Int32Array(start[n]);
  const vals = new Float64Array(start[n]);
  const fill = start.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = idx[i * k + j];
      const p = cond[i * k + j];
      cols[fill[i]] = t;
      vals[fill[i]++] = p;
      cols[fill[t]] = i;
      vals[fill[t]++] = p;
    }
  }
  // Merge duplicate (i, j) entries (pairs that are neighbours both ways) and normalise by the grand total (2n).
  const rowStart = new Int32Array(n + 1);
  const outCols: number[] = [];
  const outVals: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const order: number[] = [];
    for (let e = start[i]; e < start[i + 1]; e++) order.push(e);
    order.sort((a, b) => cols[a] - cols[b]);
    for (let q = 0; q < order.length; ) {
      const c = cols[order[q]];
      let v = 0;
      while (q < order.length && cols[order[q]] === c) v += vals[order[q++]];
      outCols.push(c);
      outVals.push(v);
      total += v;
    }
    rowStart[i + 1] = outCols.length;
  }
  const v = Float64Array.from(outVals);
  for (let e = 0; e < v.length; e++) v[e] /= total;
  return { rowStart, cols: Int32Array.from(outCols), vals: v };
}

/** Runs t-SNE step by step; the generator's return value is the n x dims embedding. */
export function* tsneSteps(points: Matrix, opts: TsneOptions = {}): Generator<StepProgress, Matrix, void> {
  const dims = opts.dims ?? 2;
  const n = points.rows;
  const iterations = opts.iterations ?? 750;
  const exagIters = Math.min(opts.exaggerationIterations ?? 250, iterations);
  const exaggeration = opts.earlyExaggeration ?? 12;
  const theta = opts.theta ?? 0.6;
  const seed = opts.seed ?? 0;
  if (n < 2) return { data: new Float64Array(n * dims), rows: n, cols: dims };
  const perplexity = Math.min(opts.perplexity ?? 30, (n - 1) / 3);
  if (!(perplexity > 0)) throw new Error(`tsne: perplexity must be positive, got ${opts.perplexity}`);
  const lr = opts.learningRate === undefined || opts.learningRate === 'auto' ? Math.max(n / exaggeration / 4, 50) : opts.learningRate;

  yield { phase: 'prepare', done: 0, total: 1 };
  const maxIn = opts.maxInputDims ?? 50;
  const x = points.cols > maxIn ? pcaTransform(fitPca(points, maxIn, { seed }), points) : points;

  // Exact neighbours, a block of rows at a time so a driver can yield in between.
  const k = Math.min(n - 1, Math.floor(3 * perplexity) + 1);
  const idx = new Int32Array(n * k);
  const dist2 = new Float64Array(n * k);
  const block = Math.max(16, Math.floor(2_000_000 / Math.max(1, n * x.cols)) * 4);
  for (let r0 = 0; r0 < n; r0 += block) {
    const r1 = Math.min(n, r0 + block);
    const sub: Matrix = { data: x.data.subarray(r0 * x.cols, r1 * x.cols), rows: r1 - r0, cols: x.cols };
    const nb = nearestNeighbors(sub, x, k, { selfOffset: r0 });
    idx.set(nb.indices, r0 * k);
    for (let e = 0; e < nb.distances.length; e++) dist2[r0 * k + e] = nb.distances[e] ** 2;
    yield { phase: 'neighbors', done: r1, total: n };
  }
  const cond = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    conditionalRow(dist2, i * k, k, perplexity, cond);
    if (i % 256 === 255) yield { phase: 'affinities', done: i + 1, total: n + 1 };
  }
  const P = symmetrize(n, k, idx, cond);
  yield { phase: 'affinities', done: n + 1, total: n + 1 };

  // Initial layout, scaled so the first coordinate has sd 1e-4 (small: early iterations only untangle).
  let y: Float64Array;
  if ((opts.init ?? 'pca') === 'pca' && x.cols >= dims) {
    y = Float64Array.from(pcaTransform(fitPca(x, dims, { seed }), x).data);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += y[i * dims] ** 2;
    const sd = Math.sqrt(ss / n) || 1;
    for (let e = 0; e < y.length; e++) y[e] = (y[e] / sd) * 1e-4;
  } else {
    const rng = createRng(seed);
    y = new Float64Array(n * dims);
    for (let e = 0; e < y.length; e++) y[e] = rng.normal() * 1e-4;
  }

  const update = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims).fill(1);
  const grad = new Float64Array(n * dims);
  const tree = new SpaceTree(dims);
  const scratch = forceScratch(n);
  for (let iter = 0; iter < iterations; iter++) {
    const exag = iter < exagIters ? exaggeration : 1;
    const momentum = iter < exagIters ? 0.5 : 0.8;
    tree.build(y, n);
    grad.fill(0);
    // Repulsive forces through the tree (Z is their normaliser), then the attractive ones over the sparse P.
    const sumQ = repulsion(tree, y, n, theta, grad, scratch);
    for (let e = 0; e < grad.length; e++) grad[e] /= sumQ;
    (dims === 2 ? attraction2 : attraction3)(P, y, n, exag, grad);
    for (let e = 0; e < y.length; e++) {
      const g = 4 * grad[e];
      gains[e] = update[e] * g < 0 ? gains[e] + 0.2 : Math.max(gains[e] * 0.8, 0.01);
      update[e] = momentum * update[e] - lr * gains[e] * g;
      y[e] += update[e];
    }
    yield { phase: 'optimize', done: iter + 1, total: iterations };
  }
  // Centre the result: t-SNE's coordinates are only defined up to translation.
  for (let a = 0; a < dims; a++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += y[i * dims + a];
    m /= n;
    for (let i = 0; i < n; i++) y[i * dims + a] -= m;
  }
  return { data: y, rows: n, cols: dims };
}

/** Synchronous t-SNE (tests, workers); UIs should use project() so the event loop keeps turning. */
export function tsne(points: Matrix, opts: TsneOptions = {}): Matrix {
  const it = tsneSteps(points, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}
