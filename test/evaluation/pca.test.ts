import { describe, expect, it } from 'vitest';
import { pcaBaseline, pcaFeatures, rawPixelBaseline } from '../../src/core/evaluation/baselines';
import { symmetricEigen } from '../../src/core/math/symmetricEigen';
import { fromRows, type Matrix } from '../../src/core/evaluation/matrix';
import { fitPca, pcaInverseTransform, pcaTransform } from '../../src/core/evaluation/projection/pca';
import { createRng } from '../../src/shared/rng';

function randomMatrix(rows: number, cols: number, seed: number, rank = cols): Matrix {
  const rng = createRng(seed);
  const basis = Array.from({ length: rank }, () => Array.from({ length: cols }, () => rng.normal()));
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < rank; r++) {
      const s = rng.normal() * (rank - r);
      for (let j = 0; j < cols; j++) data[i * cols + j] += s * basis[r][j];
    }
  }
  return { data, rows, cols };
}

describe('symmetricEigen', () => {
  it('returns orthonormal eigenvectors, eigenvalues descending', () => {
    const n = 12;
    const m = randomMatrix(n, n, 1);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = m.data[i * n + j] + m.data[j * n + i];
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
        expect(s).toBeCloseTo(values[k] * vectors[k * n + i], 10);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 12);
      }
    }
  });
});

describe('PCA', () => {
  it('recovers a known rotation: components, explained variance and ratio, signs', () => {
    // Points (+-2, 0) and (0, +-1), rotated by 30 degrees: variances 8/3 and 2/3 (ddof 1) along the rotated axes.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const pts = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ].map(([u, v]) => [1 + c * u - s * v, -3 + s * u + c * v]);
    const m = fitPca(fromRows(pts), 2);
    expect(Array.from(m.mean)).toEqual([expect.closeTo(1, 12), expect.closeTo(-3, 12)]);
    expect(m.explainedVariance[0]).toBeCloseTo(8 / 3, 12);
    expect(m.explainedVariance[1]).toBeCloseTo(2 / 3, 12);
    expect(m.explainedVarianceRatio[0]).toBeCloseTo(0.8, 12);
    // Largest-magnitude loading positive: (cos 30, sin 30) and (-sin 30, cos 30).
    expect(m.components[0]).toBeCloseTo(c, 12);
    expect(m.components[1]).toBeCloseTo(s, 12);
    expect(m.components[2]).toBeCloseTo(-s, 12);
    expect(m.components[3]).toBeCloseTo(c, 12);
    // Negating the data does not flip the components.
    const neg = fitPca(fromRows(pts.map((p) => p.map((v) => -v))), 2);
    for (let i = 0; i < 4; i++) expect(neg.components[i]).toBeCloseTo(m.components[i], 12);
    // All components reconstruct exactly.
    const back = pcaInverseTransform(m, pcaTransform(m, fromRows(pts)));
    back.data.forEach((v, i) => expect(v).toBeCloseTo(pts[Math.floor(i / 2)][i % 2], 12));
  });

  it('covariance, Gram and randomized solvers agree', () => {
    const x = randomMatrix(40, 25, 2, 6);
    const cov = fitPca(x, 4, { method: 'covariance' });
    const gram = fitPca(x, 4, { method: 'gram' });
    const rand = fitPca(x, 4, { method: 'randomized', seed: 3 });
    for (const other of [gram, rand]) {
      for (let k = 0; k < 4; k++) expect(other.explainedVariance[k]).toBeCloseTo(cov.explainedVariance[k], 8);
      other.components.forEach((v, i) => expect(v).toBeCloseTo(cov.components[i], 7));
    }
    expect(cov.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('the randomized solver gives the same components with its wasm products as with its JS loops', () => {
    for (const [rows, cols, k] of [[41, 27, 3], [30, 55, 6]]) {
      const x = randomMatrix(rows, cols, 7, 9);
      const js = fitPca(x, k, { method: 'randomized', seed: 2, engine: 'js' });
      const wasm = fitPca(x, k, { method: 'randomized', seed: 2, engine: 'wasm' });
      expect(Array.from(wasm.explainedVariance)).toEqual(Array.from(js.explainedVariance));
      expect(Array.from(wasm.components)).toEqual(Array.from(js.components));
    }
  });

  it('pcaTransform gives the same scores with its wasm products as with its JS loop, across chunks of rows', () => {
    for (const [rows, cols, k] of [[2100, 7, 3], [1, 9, 4], [1030, 12, 12]]) {
      const model = fitPca(randomMatrix(40, cols, 11, cols), Math.min(k, cols));
      const x = randomMatrix(rows, cols, 12, cols);
      const js = pcaTransform(model, x, 'js');
      const wasm = pcaTransform(model, x, 'wasm');
      expect(wasm.rows).toBe(rows);
      expect(Buffer.from(wasm.data.buffer).equals(Buffer.from(js.data.buffer))).toBe(true);
    }
  });

  it('baseline PCA features are fit on the training split only', () => {
    const train = randomMatrix(30, 10, 4, 3);
    const evalX = randomMatrix(10, 10, 5, 10);
    const f = pcaFeatures(train, evalX, 3);
    const direct = fitPca(train, 3);
    f.eval.data.forEach((v, i) => expect(v).toBeCloseTo(pcaTransform(direct, evalX).data[i], 12));
    expect(f.evalReconstructionMse).toBeGreaterThan(0);
  });

  it('baselines run the probe on raw and PCA features, validation and test from one fit', () => {
    const rng = createRng(6);
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 60; i++) {
      const label = i % 2;
      rows.push(Array.from({ length: 8 }, (_, j) => (j < 2 ? label * 4 : 0) + rng.normal() * 0.3));
      y.push(label);
    }
    const x = fromRows(rows);
    const split = (from: number, to: number) => ({ x: { ...x, rows: to - from, data: x.data.slice(from * 8, to * 8) }, y: Int32Array.from(y.slice(from, to)) });
    const data = { train: split(0, 40), val: split(40, 50), test: split(50, 60) };
    const probe = { kind: 'knn', k: 3 } as const;
    const raw = rawPixelBaseline(data, probe);
    const pca = pcaBaseline(data, fitPca(data.train.x, 4), 2, probe);
    expect(pca.dim).toBe(2);
    expect(raw.val.accuracy).toBe(1);
    expect(pca.val.accuracy).toBe(1);
    expect(pca.explainedVariance).toBeGreaterThan(0.5);
    // PCA(2) from a 4-component fit is PCA(2) fit directly.
    expect(pca.valReconstructionMse).toBeCloseTo(pcaFeatures(data.train.x, data.val.x, 2).evalReconstructionMse, 12);
    expect(Array.from(raw.test?.predicted ?? [])).toEqual(y.slice(50, 60));
    expect(raw.setting).toEqual({ param: 'k', value: 3, cv: null });
  });
});
