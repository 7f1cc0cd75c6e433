import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/evaluation/matrix';
import { classIndex, fitLogistic, trainLogistic } from '../../src/core/evaluation/probes/logistic';
import { logisticCurvature, logisticPreconditioner, PRECONDITION_RANK } from '../../src/core/evaluation/probes/preconditioner';
import { minimizeLbfgs, type Objective } from '../../src/core/math/lbfgs';
import { createRng } from '../../src/shared/rng';

/** Correlated, uncentred features (an autoencoder's codes are like this): a few factors mixed into d columns. */
function correlated(n: number, d: number, classes: number, seed: number): { x: Matrix; y: Int32Array } {
  const rng = createRng(seed);
  const factors = 3;
  const mix = Array.from({ length: factors }, () => Array.from({ length: d }, () => rng.normal()));
  const data = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    const f = Array.from({ length: factors }, (_, a) => rng.normal() + (a === y[i] % factors ? 1.5 : 0) + 0.3 * y[i]);
    for (let j = 0; j < d; j++) data[i * d + j] = 2 + j * 0.1 + f.reduce((s, v, a) => s + v * mix[a][j], 0) + 0.05 * rng.normal();
  }
  return { x: { data, rows: n, cols: d }, y };
}

describe('logistic preconditioner', () => {
  it('applies the inverse of M = [c G + lambda I, c mu; c mu^T, c] per class (uncentred features)', () => {
    const { x } = correlated(60, 4, 3, 1);
    const curv = logisticCurvature(x, 3);
    expect(curv).not.toBeNull();
    if (!curv) return;
    const { d, c } = curv;
    const C = 0.7;
    const lambda = 1 / (C * x.rows);
    // M explicitly, (d + 1) x (d + 1): the Gram matrix and the means from the rows.
    const m = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < x.rows; i++) {
      const f = [...Array.from(x.data.subarray(i * d, (i + 1) * d)), 1];
      for (let a = 0; a <= d; a++) for (let b = 0; b <= d; b++) m[a][b] += (c * f[a] * f[b]) / x.rows;
    }
    for (let a = 0; a < d; a++) m[a][a] += lambda;
    const outputs = 3;
    const pre = logisticPreconditioner(curv, outputs, C, x.rows);
    const rng = createRng(2);
    const q = Float64Array.from({ length: outputs * (d + 1) }, () => rng.normal());
    const z = new Float64Array(q.length);
    pre(q, z);
    for (let k = 0; k < outputs; k++) {
      const zk = [...Array.from(z.subarray(k * d, (k + 1) * d)), z[outputs * d + k]];
      const qk = [...Array.from(q.subarray(k * d, (k + 1) * d)), q[outputs * d + k]];
      m.forEach((row, a) => expect(row.reduce((s, v, b) => s + v * zk[b], 0)).toBeCloseTo(qk[a], 9));
    }
  });

  it('reaches the same optimum in a fraction of the evaluations on correlated features (multinomial and binary, weak penalty)', () => {
    for (const classes of [4, 2]) {
      const { x, y } = correlated(400, 24, classes, 3);
      const { index } = classIndex(y);
      const outputs = classes === 2 ? 1 : classes;
      const opts = { tol: 1e-6, maxIter: 5000 };
      const plain = trainLogistic(x, index, outputs, 100, opts);
      const pre = trainLogistic(x, index, outputs, 100, opts, { curvature: logisticCurvature(x, classes) });
      expect([plain.converged, pre.converged]).toEqual([true, true]);
      expect(Math.abs(pre.f - plain.f)).toBeLessThan(1e-6 * Math.abs(plain.f));
      expect(pre.evals * 3).toBeLessThan(plain.evals);
    }
  });

  it('fitLogistic uses it with and without cross-validation; deterministic', () => {
    const { x, y } = correlated(300, 12, 3, 4);
    const a = fitLogistic(x, y, { standardize: false, C: 10 });
    const b = fitLogistic(x, y, { standardize: false, C: 10 });
    expect(a.optimization.converged).toBe(true);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    const cv = fitLogistic(x, y, {});
    expect(cv.optimization.converged).toBe(true);
    expect(cv.cv?.grid.length).toBeGreaterThan(1);
  });

  it('keeps the leading directions of wide features (pixels) and still saves most evaluations; none for a single class', () => {
    const { x, y } = correlated(600, 300, 4, 6);
    const curv = logisticCurvature(x, 4);
    expect(curv?.values.length).toBe(PRECONDITION_RANK);
    expect(curv?.rest).toBeGreaterThanOrEqual(0);
    const { index } = classIndex(y);
    const opts = { tol: 1e-6, maxIter: 5000 };
    const plain = trainLogistic(x, index, 4, 1, opts);
    const pre = trainLogistic(x, index, 4, 1, opts, { curvature: curv });
    expect([plain.converged, pre.converged]).toEqual([true, true]);
    // Plain L-BFGS meets the gradient tolerance early in the flat noise directions (0.64012 vs 0.63999 here).
    expect(pre.f).toBeLessThanOrEqual(plain.f);
    expect(pre.evals * 3).toBeLessThan(plain.evals);
    expect(logisticCurvature(correlated(10, 3, 2, 5).x, 1)).toBeNull();
  });
});

describe('minimizeLbfgs with a preconditioner', () => {
  // f = x^T A x / 2 - b^T x with A = diag(1, 1e4): badly conditioned for plain L-BFGS, trivial with M = A.
  const quad: Objective = (x, g) => {
    g[0] = x[0] - 1;
    g[1] = 1e4 * x[1] - 2;
    return 0.5 * (x[0] * x[0] + 1e4 * x[1] * x[1]) - x[0] - 2 * x[1];
  };
  it('converges in fewer evaluations from an exact preconditioner, to the same minimum', () => {
    const plain = minimizeLbfgs(quad, Float64Array.from([5, 5]), { gtol: 1e-10 });
    const pre = minimizeLbfgs(quad, Float64Array.from([5, 5]), { gtol: 1e-10, preconditioner: (q, out) => out.set([q[0], q[1] / 1e4]) });
    expect(pre.converged).toBe(true);
    expect(pre.x[0]).toBeCloseTo(1, 9);
    expect(pre.x[1]).toBeCloseTo(2e-4, 12);
    expect(pre.evals).toBeLessThan(plain.evals);
  });

  it('is refused with box bounds', () => {
    expect(() => minimizeLbfgs(quad, new Float64Array(2), { lo: new Float64Array(2), hi: Float64Array.from([1, 1]), preconditioner: (q, out) => out.set(q) })).toThrow(/unbounded/);
  });
});
