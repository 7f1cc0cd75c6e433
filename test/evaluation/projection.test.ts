import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/evaluation/matrix';
import { nearestNeighbors } from '../../src/core/evaluation/probes/knn';
import { project, type ProjectionProgress } from '../../src/core/evaluation/projection/project';
import { SpaceTree } from '../../src/core/evaluation/projection/spaceTree';
import { tsne } from '../../src/core/evaluation/projection/tsne';
import { forceScratch, repulsion } from '../../src/core/evaluation/projection/tsneForces';
import { umapSteps } from '../../src/core/evaluation/projection/umap';
import { createRng } from '../../src/shared/rng';

/** Three well-separated Gaussian blobs in `d` dimensions, interleaved. */
function blobs(n: number, d: number, seed: number): { x: Matrix; labels: Int32Array } {
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === labels[i] ? 10 : 0);
  }
  return { x: { data, rows: n, cols: d }, labels };
}

/** Fraction of each point's k nearest neighbours (in the embedding) that share its blob. */
function neighbourPurity(y: Matrix, labels: Int32Array, k: number): number {
  const nb = nearestNeighbors(y, y, k, { selfOffset: 0 });
  let same = 0;
  for (let i = 0; i < y.rows; i++) for (let j = 0; j < k; j++) if (labels[nb.indices[i * k + j]] === labels[i]) same++;
  return same / (y.rows * k);
}

/** Fraction of each point's k input-space neighbours that stay among its k embedding neighbours. */
function neighbourPreservation(x: Matrix, y: Matrix, k: number): number {
  const a = nearestNeighbors(x, x, k, { selfOffset: 0 });
  const b = nearestNeighbors(y, y, k, { selfOffset: 0 });
  let kept = 0;
  for (let i = 0; i < x.rows; i++) {
    const set = new Set(b.indices.subarray(i * k, (i + 1) * k));
    for (let j = 0; j < k; j++) if (set.has(a.indices[i * k + j])) kept++;
  }
  return kept / (x.rows * k);
}

describe('t-SNE', () => {
  const { x, labels } = blobs(240, 10, 1);

  it('separates three Gaussian blobs, seeded and deterministic', () => {
    const opts = { seed: 3, iterations: 400, init: 'random' as const };
    const a = tsne(x, opts);
    const b = tsne(x, opts);
    expect(a.cols).toBe(2);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(tsne(x, { ...opts, seed: 4 }).data)).not.toEqual(Array.from(a.data));
    expect(neighbourPurity(a, labels, 10)).toBe(1);
    // Within a blob the points are noise, so only part of each neighbourhood can survive; far above chance (~0.13).
    expect(neighbourPreservation(x, a, 10)).toBeGreaterThan(0.3);
  });

  it('embeds in 3D with the default PCA initialisation', () => {
    const y = tsne(x, { dims: 3, iterations: 400 });
    expect(y.cols).toBe(3);
    expect(y.data.every(Number.isFinite)).toBe(true);
    expect(neighbourPurity(y, labels, 10)).toBe(1);
  });

  it('copes with duplicate points', () => {
    const dup: Matrix = { data: new Float64Array(60 * 3), rows: 60, cols: 3 };
    for (let i = 0; i < 60; i++) dup.data[i * 3] = i < 30 ? 0 : 5; // two sets of 30 identical points
    const y = tsne(dup, { iterations: 200, perplexity: 5 });
    expect(y.data.every(Number.isFinite)).toBe(true);
  });
});

describe('UMAP (umap-js)', () => {
  const { x, labels } = blobs(150, 8, 2);

  const run = (seed: number, dims: 2 | 3 = 2): Matrix => {
    const it = umapSteps(x, { seed, dims, nEpochs: 150 });
    for (;;) {
      const r = it.next();
      if (r.done) return r.value;
    }
  };

  it('is seeded (same seed, same layout) and separates blobs, in 2D and 3D', () => {
    const a = run(5);
    expect(Array.from(run(5).data)).toEqual(Array.from(a.data));
    expect(Array.from(run(6).data)).not.toEqual(Array.from(a.data));
    expect(neighbourPurity(a, labels, 10)).toBe(1);
    const c = run(5, 3);
    expect(c.cols).toBe(3);
    expect(neighbourPurity(c, labels, 10)).toBe(1);
  });
});

describe('project (async, chunked)', () => {
  const { x } = blobs(600, 16, 3);

  it('yields to the event loop while it works, reports progress, and matches the sync result', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const progress: ProjectionProgress[] = [];
    const y = await project(x, { method: 'tsne', dims: 2, seed: 1, sliceMs: 5, tsne: { iterations: 300 }, onProgress: (p) => progress.push(p) });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    expect(progress.some((p) => p.phase === 'optimize')).toBe(true);
    expect(progress.at(-1)).toEqual({ method: 'tsne', phase: 'optimize', done: 1, total: 1 });
    expect(Array.from(y.data)).toEqual(Array.from(tsne(x, { seed: 1, iterations: 300 }).data));
  });

  it('can be aborted', async () => {
    const ctrl = new AbortController();
    const p = project(x, { method: 'tsne', dims: 2, signal: ctrl.signal, sliceMs: 1 });
    setTimeout(() => ctrl.abort(new Error('user closed the plot')), 5);
    await expect(p).rejects.toThrow('user closed the plot');
  });

  it('returns 2- and 3-d codes directly and projects wider ones with PCA', async () => {
    const code2: Matrix = { data: Float64Array.from([1, 2, 3, 4]), rows: 2, cols: 2 };
    const direct = await project(code2, { method: 'umap', dims: 2 });
    expect(direct.method).toBe('direct');
    expect(Array.from(direct.data)).toEqual([1, 2, 3, 4]);
    const padded = await project(code2, { method: 'pca', dims: 3 });
    expect(Array.from(padded.data)).toEqual([1, 2, 0, 3, 4, 0]);
    const pca = await project(x, { method: 'pca', dims: 3 });
    expect([pca.method, pca.rows, pca.cols]).toEqual(['pca', 600, 3]);
  });
});

describe('t-SNE repulsion (group Barnes-Hut)', () => {
  for (const dims of [2, 3] as const) {
    it(`approximates the exact repulsive gradient and normaliser in ${dims}D`, () => {
      const rng = createRng(dims);
      const n = 400;
      const y = new Float64Array(n * dims);
      for (let i = 0; i < y.length; i++) y[i] = rng.normal() * 10 + (i % dims === 0 && i % 3 === 0 ? 25 : 0);
      let zExact = 0;
      const exact = new Float64Array(n * dims);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          let d2 = 0;
          for (let a = 0; a < dims; a++) d2 += (y[i * dims + a] - y[j * dims + a]) ** 2;
          const q = 1 / (1 + d2);
          zExact += q;
          for (let a = 0; a < dims; a++) exact[i * dims + a] -= q * q * (y[i * dims + a] - y[j * dims + a]);
        }
      }
      const grad = new Float64Array(n * dims);
      const tree = new SpaceTree(dims);
      tree.build(y, n);
      const z = repulsion(tree, y, n, 0.6, grad, forceScratch(n));
      expect(Math.abs(z / zExact - 1)).toBeLessThan(0.02);
      let err = 0;
      let norm = 0;
      for (let e = 0; e < grad.length; e++) {
        err += (grad[e] / z - exact[e] / zExact) ** 2;
        norm += (exact[e] / zExact) ** 2;
      }
      expect(Math.sqrt(err / norm)).toBeLessThan(0.03);
      // theta 0 is exact.
      const g0 = new Float64Array(n * dims);
      const z0 = repulsion(tree, y, n, 0, g0, forceScratch(n));
      expect(z0).toBeCloseTo(zExact, 6);
      g0.forEach((v, e) => expect(v).toBeCloseTo(exact[e], 9));
    });
  }
});
