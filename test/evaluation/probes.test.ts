import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../../src/core/evaluation/matrix';
import { evaluateClassification, evaluateRegression } from '../../src/core/evaluation/probes/index';
import { fitKnn, nearestNeighbors } from '../../src/core/evaluation/probes/knn';
import { createRowProducts } from '../../src/core/evaluation/probes/f64Kernels';
import { classIndex, fitLogistic, historyForStrength, logisticObjective, PROBE_LBFGS_MEMORY, trainLogistic } from '../../src/core/evaluation/probes/logistic';
import { minimizeLbfgs } from '../../src/core/math/lbfgs';
import { fitRidge } from '../../src/core/evaluation/probes/ridge';
import { createRng } from '../../src/shared/rng';

/** Gaussian blobs around the given centres. */
function blobs(centres: number[][], perClass: number, sd: number, seed: number): { x: Matrix; y: Int32Array } {
  const rng = createRng(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    centres.forEach((c, label) => {
      rows.push(c.map((v) => v + sd * rng.normal()));
      y.push(label);
    });
  }
  return { x: fromRows(rows), y: Int32Array.from(y) };
}

/** Newton's method on sklearn's binary objective (mean loss + ||w||^2 / (2 C n)), for 1-2 features: the known optimum. */
function newtonBinary(x: Matrix, y: Int32Array, C: number): number[] {
  const n = x.rows;
  const d = x.cols;
  const p = d + 1; // weights then intercept
  const theta = new Array<number>(p).fill(0);
  const lambda = 1 / (C * n);
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const f = [...Array.from(x.data.subarray(i * d, i * d + d)), 1];
      const z = f.reduce((s, v, k) => s + v * theta[k], 0);
      const s = 1 / (1 + Math.exp(-z));
      for (let a = 0; a < p; a++) {
        g[a] += ((s - y[i]) * f[a]) / n;
        for (let b = 0; b < p; b++) h[a][b] += (s * (1 - s) * f[a] * f[b]) / n;
      }
    }
    for (let a = 0; a < d; a++) {
      g[a] += lambda * theta[a];
      h[a][a] += lambda;
    }
    // Solve h * step = g by Gaussian elimination (p <= 3).
    const m = h.map((row, a) => [...row, g[a]]);
    for (let c = 0; c < p; c++) {
      for (let r = c + 1; r < p; r++) {
        const f = m[r][c] / m[c][c];
        for (let k = c; k <= p; k++) m[r][k] -= f * m[c][k];
      }
    }
    const step = new Array<number>(p).fill(0);
    for (let r = p - 1; r >= 0; r--) step[r] = (m[r][p] - m[r].slice(r + 1, p).reduce((s, v, k) => s + v * step[r + 1 + k], 0)) / m[r][r];
    for (let a = 0; a < p; a++) theta[a] -= step[a];
  }
  return theta;
}

describe('logistic regression', () => {
  it('separates well-separated classes and is deterministic', () => {
    const { x, y } = blobs([[0, 0], [6, 0], [0, 6]], 30, 0.7, 1);
    const a = fitLogistic(x, y);
    const b = fitLogistic(x, y);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.predict(x))).toEqual(Array.from(y));
    expect(a.optimization.converged).toBe(true);
    const proba = a.predictProba(x);
    for (let i = 0; i < x.rows; i++) expect(proba[i * 3] + proba[i * 3 + 1] + proba[i * 3 + 2]).toBeCloseTo(1, 12);
  });

  it('binary: matches the Newton optimum of the same objective', () => {
    const { x, y } = blobs([[0, 0], [1.5, 1]], 40, 1, 2); // overlapping, so the optimum is finite and interesting
    for (const C of [0.1, 1, 10]) {
      const m = fitLogistic(x, y, { C, standardize: false, tol: 1e-10 });
      const theta = newtonBinary(x, y, C);
      expect(m.weights.length).toBe(2); // one sigmoid for two classes, as sklearn
      expect(m.weights[0]).toBeCloseTo(theta[0], 6);
      expect(m.weights[1]).toBeCloseTo(theta[1], 6);
      expect(m.intercepts[0]).toBeCloseTo(theta[2], 6);
    }
  });

  it("its longer L-BFGS history reaches scipy's default history's optimum in fewer evaluations", () => {
    // 10 overlapping classes in 24-d: an ill-conditioned problem like a probe on codes.
    const rng = createRng(5);
    const centres = Array.from({ length: 10 }, () => Array.from({ length: 24 }, () => rng.normal()));
    const { x, y } = blobs(centres, 40, 1.5, 6);
    const { index } = classIndex(y);
    const opts = { tol: 1e-7, maxIter: 5000 };
    const ours = trainLogistic(x, index, 10, 10, opts);
    const scipyDefault = minimizeLbfgs(logisticObjective(x, index, 10, 10), new Float64Array(10 * 25), { gtol: opts.tol, maxIter: opts.maxIter, memory: 10 });
    expect(PROBE_LBFGS_MEMORY).toBeGreaterThan(10);
    expect([ours.converged, scipyDefault.converged]).toEqual([true, true]);
    expect(ours.evals).toBeLessThan(scipyDefault.evals);
    expect(Math.abs(ours.f - scipyDefault.f)).toBeLessThan(1e-9 * Math.abs(scipyDefault.f));
    // Nearly flat directions (weak penalty, overlapping classes) leave the weights ~1e-3 apart; the objective
    // agrees to 1e-9 and so do the predicted classes.
    const predicted = (p: Float64Array): number[] =>
      Array.from({ length: x.rows }, (_, i) => {
        const score = (k: number): number => {
          let s = p[240 + k];
          for (let j = 0; j < 24; j++) s += x.data[i * 24 + j] * p[k * 24 + j];
          return s;
        };
        return Array.from({ length: 10 }, (_, k) => k).reduce((best, k) => (score(k) > score(best) ? k : best), 0);
      });
    expect(predicted(ours.x)).toEqual(predicted(scipyDefault.x));
  });

  it("a fit's curvature pairs, moved to the next C of the path, are that objective's own and save evaluations", () => {
    const rng = createRng(8);
    const centres = Array.from({ length: 5 }, () => Array.from({ length: 12 }, () => rng.normal()));
    const { x, y } = blobs(centres, 40, 1.5, 9);
    const { index } = classIndex(y);
    const weights = 5 * 12;
    // Exact: y moved from C = 0.5 to C = 4 is the gradient change of the C = 4 objective over the same step.
    const [f1, f4] = [logisticObjective(x, index, 5, 0.5), logisticObjective(x, index, 5, 4)];
    const grad = (fn: typeof f1, p: Float64Array): Float64Array => {
      const g = new Float64Array(p.length);
      fn(p, g);
      return g;
    };
    const a = Float64Array.from({ length: 65 }, () => rng.normal());
    const b = Float64Array.from(a, (v) => v + 0.1 * rng.normal());
    const s = Float64Array.from(b, (v, i) => v - a[i]);
    const g1 = [grad(f1, a), grad(f1, b)];
    const g4 = [grad(f4, a), grad(f4, b)];
    const moved = historyForStrength({ s: [s], y: [Float64Array.from(g1[1], (v, i) => v - g1[0][i])] }, weights, x.rows, 0.5, 4).y[0];
    for (let i = 0; i < 65; i++) expect(moved[i]).toBeCloseTo(g4[1][i] - g4[0][i], 12);
    // The path step C = 0.5 -> 4 from the C = 0.5 solution: the same optimum, in fewer evaluations with the pairs.
    const opts = { tol: 1e-6, maxIter: 5000 };
    const first = trainLogistic(x, index, 5, 0.5, opts);
    const plain = trainLogistic(x, index, 5, 4, opts, { x0: first.x });
    const seeded = trainLogistic(x, index, 5, 4, opts, { x0: first.x, history: historyForStrength(first.history, weights, x.rows, 0.5, 4) });
    expect([plain.converged, seeded.converged]).toEqual([true, true]);
    expect(seeded.evals).toBeLessThan(plain.evals);
    expect(Math.abs(seeded.f - plain.f)).toBeLessThan(1e-8 * Math.abs(plain.f));
  });

  it('multinomial: the gradient vanishes at the solution (standardised features)', () => {
    const { x, y } = blobs([[0, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1]], 25, 0.8, 3);
    const m = fitLogistic(x, y, { C: 1, tol: 1e-8 });
    expect(m.stats).not.toBeNull();
    const xs = { ...x, data: x.data.map((v, i) => (v - (m.stats as { mean: Float64Array }).mean[i % 3]) / (m.stats as { scale: Float64Array }).scale[i % 3]) };
    const fn = logisticObjective(xs, classIndex(y).index, 4, 1);
    const params = Float64Array.from([...m.weights, ...m.intercepts]);
    const grad = new Float64Array(params.length);
    fn(params, grad);
    // Converged by gradient or by a relative loss change of 1e-12, where the gradient is ~1e-7.
    expect(Math.max(...grad.map(Math.abs))).toBeLessThan(1e-6);
    expect(m.optimization.gradMax).toBeCloseTo(Math.max(...grad.map(Math.abs)), 12);
    // The penalty keeps the weights finite even where a class is easy to separate.
    expect(m.weights.every(Number.isFinite)).toBe(true);
  });

  it('the wasm products give the JS objective and gradient bit for bit (odd widths, row tails, binary and multinomial, several row blocks)', () => {
    const rng = createRng(11);
    // 300 columns: blocks of 108 rows, so 250 and 251 rows take three blocks, the last one with pad rows.
    for (const [n, d, k] of [[7, 5, 3], [130, 33, 10], [101, 40, 1], [9, 2, 4], [250, 300, 10], [251, 300, 1]]) {
      const x = { data: Float64Array.from({ length: n * d }, () => rng.next() * 2 - 1), rows: n, cols: d };
      const y = Int32Array.from({ length: n }, () => Math.floor(rng.next() * Math.max(2, k)));
      const p = Float64Array.from({ length: k * (d + 1) }, () => rng.next() * 0.4 - 0.2);
      const [gJs, gWasm] = [new Float64Array(p.length), new Float64Array(p.length)];
      const fJs = logisticObjective(x, y, k, 0.5, 'js')(p, gJs);
      const fWasm = logisticObjective(x, y, k, 0.5, 'wasm')(p, gWasm);
      // Same summation order in both engines, so a fit takes the same path whichever runs it.
      expect(fWasm, `n ${n} d ${d} k ${k}`).toBe(fJs);
      expect(Array.from(gWasm), `n ${n} d ${d} k ${k}`).toEqual(Array.from(gJs));
    }
  });

  it('the wasm softmax gives Math.exp to the bit over the whole range (tiny, reduced, subnormal and underflowing arguments; ties; any K and row count)', () => {
    // K = 10 over 40,003 rows, then odd K (two classes a vector, the last one alone) and K = 2 (one pair, which
    // the kernel runs although the probe takes the binary path for two classes).
    for (const [n, k, seed] of [[40_003, 10, 12], [4_001, 3, 13], [4_002, 5, 14], [4_003, 11, 15], [1_001, 2, 16]]) {
      const rng = createRng(seed);
      const y = Int32Array.from({ length: n }, () => Math.floor(rng.next() * k));
      const kernels = createRowProducts(new Float64Array(n), n, 1, k, y);
      if (!kernels) throw new Error('no wasm here');
      // Row i: the max 0 at a random class, the others below it by amounts from 1e-12 to 1e3 (fdlibm's every branch).
      const z = new Float64Array(n * k);
      const top = (i: number): number => (i * 7 + (i >> 3)) % k;
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) if (c !== top(i)) z[i * k + c] = -(10 ** (rng.next() * 15 - 12)) * (1 + rng.next());
      const other = (i: number, j: number): number => i * k + ((top(i) + j) % k);
      for (let i = 0; i < n; i += 7) z[other(i, 1)] = -708 - rng.next() * 40; // subnormal and zero results
      for (let i = 3; i < n; i += 11) z[other(i, k - 1)] = 0; // a tie for the max
      for (let i = 5; i < n; i += 13) z.fill(0, i * k, (i + 1) * k); // all tied
      // The doubles around each branch point: 2^-28, fdlibm's 0.5 ln2 and 1.5 ln2 bounds (high words 0x3FD62E43,
      // 0x3FF0A2B2), 0.5 ln2 itself, k = -1021 (the subnormal path below it), the underflow threshold.
      const edges = [2 ** -28, 0.3465735912322998, 1.0397205352783203, 1.5 * Math.LN2, Math.LN2 / 2, 1021.5 * Math.LN2, 745.1332191019411];
      let row = 1;
      for (const edge of edges) for (let j = -200; j <= 200; j++, row += 3) z[other(row % n, 1 + (j & 1))] = -edge * (1 + j * 2 ** -52);
      // Intercepts: equal ones keep the rows' differences; the last row pair tests them added.
      const bias = Float64Array.from({ length: k }, (_, c) => (seed === 12 ? 0 : c * 0.25 - 1));
      kernels.z.set(z);
      kernels.bias.set(bias);
      kernels.softmaxRows(0, n);
      const bad: string[] = [];
      for (let i = 0; i < n && bad.length < 3; i++) {
        const s = Array.from(z.subarray(i * k, (i + 1) * k), (v, c) => v + bias[c]);
        const max = Math.max(...s);
        const e = s.map((v) => Math.exp(v - max));
        const sum = e.reduce((acc, v) => acc + v, 0);
        const stats = Array.from(kernels.rowStats.subarray(3 * i, 3 * i + 3));
        if (!Object.is(stats[0], max) || !Object.is(stats[1], sum) || !Object.is(stats[2], s[y[i]])) bad.push(`K ${k} row ${i}: stats ${stats} vs ${[max, sum, s[y[i]]]}`);
        e.forEach((v, c) => {
          const want = v / sum - (c === y[i] ? 1 : 0);
          if (!Object.is(kernels.z[i * k + c], want)) bad.push(`K ${k} row ${i} class ${c}: ${kernels.z[i * k + c]} vs ${want} (argument ${s[c] - max})`);
        });
      }
      expect(bad).toEqual([]);
    }
  });

  it('the wasm objective is the JS one bit for bit where the scores hit every branch of exp (odd K, ties, n not a multiple of 4)', () => {
    const rng = createRng(21);
    const d = 4;
    for (const [n, k] of [[403, 3], [401, 5], [402, 10], [399, 11]]) {
      // Rows of random directions at magnitudes 1e-12 .. 1e3 in the first three columns, so score differences run
      // from ties and < 2^-28 to far below the underflow bound; every ninth row zero (its scores are the
      // intercepts: two tie, one is 2^-30 off); every 17th row only v in 708..745 in the last column, whose
      // weights are -class, so class 1's exponential is subnormal (fdlibm's k < -1021).
      const data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const scale = i % 9 === 0 ? 0 : 10 ** (rng.next() * 15 - 12);
        for (let j = 0; j < d - 1; j++) data[i * d + j] = (rng.next() * 2 - 1) * scale;
        if (i % 17 === 5) data.fill(0, i * d, i * d + d - 1).fill(708 + 37 * rng.next(), i * d + d - 1, i * d + d);
      }
      const x = { data, rows: n, cols: d };
      const y = Int32Array.from({ length: n }, () => Math.floor(rng.next() * k));
      const p = Float64Array.from({ length: k * (d + 1) }, () => rng.next() * 4 - 2);
      for (let c = 0; c < k; c++) p[c * d + d - 1] = -c;
      p.fill(1, k * d);
      p[k * d + 1] = 1 - 2 ** -30;
      // Which of exp's branches the scores reach (with fdlibm's k = trunc(x / ln2 - 0.5) for the subnormal path).
      const hits = { zero: 0, tie: 0, tiny: 0, short: 0, reduced: 0, subnormal: 0, underflow: 0 };
      for (let i = 0; i < n; i++) {
        const s = Array.from({ length: k }, (_, c) => p.subarray(c * d, c * d + d).reduce((acc, w, j) => acc + data[i * d + j] * w, 0) + p[k * d + c]);
        const max = Math.max(...s);
        let ties = -1;
        for (const v of s) {
          const a = v - max;
          if (a === 0) ties++;
          else if (a < -745.1332191019411) hits.underflow++;
          else if (-a < 2 ** -28) hits.tiny++;
          else if (-a < Math.LN2 / 2) hits.short++;
          else if (Math.trunc(a * Math.LOG2E - 0.5) < -1021) hits.subnormal++;
          else hits.reduced++;
        }
        hits.zero++;
        hits.tie += ties;
      }
      expect(Object.entries(hits).filter(([, count]) => count === 0), `n ${n} k ${k}`).toEqual([]);
      const [gJs, gWasm] = [new Float64Array(p.length), new Float64Array(p.length)];
      const fJs = logisticObjective(x, y, k, 0.5, 'js')(p, gJs);
      const fWasm = logisticObjective(x, y, k, 0.5, 'wasm')(p, gWasm);
      expect(Number.isFinite(fJs)).toBe(true);
      expect(fWasm, `n ${n} k ${k}`).toBe(fJs);
      expect(Array.from(gWasm), `n ${n} k ${k}`).toEqual(Array.from(gJs));
    }
  });

  it('a single training class predicts it with probability 1', () => {
    const m = fitLogistic(fromRows([[0], [1]]), Int32Array.from([3, 3]));
    expect(Array.from(m.predict(fromRows([[5]])))).toEqual([3]);
    expect(Array.from(m.predictProba(fromRows([[5]])))).toEqual([1]);
  });
});

describe('k-nearest neighbours', () => {
  it('the wasm distances give the JS neighbours and distances bit for bit (row tails, odd tiles, self, cosine)', () => {
    const rng = createRng(12);
    const m = (rows: number, cols: number): Matrix => ({ data: Float64Array.from({ length: rows * cols }, () => Math.round(rng.next() * 8) / 4), rows, cols });
    // d = 5 makes the reference tile 13,107 rows (odd), so the second tile starts mid-pair.
    const cases: Array<[Matrix, Matrix, number, { metric?: 'euclidean' | 'cosine'; selfOffset?: number }]> = [
      [m(7, 33), m(41, 33), 5, {}],
      [m(6, 5), m(13_200, 5), 3, {}],
      [m(9, 12), m(9, 12), 4, { selfOffset: 0 }],
      [m(5, 16), m(31, 16), 6, { metric: 'cosine' }],
    ];
    for (const [q, r, k, o] of cases) {
      const js = nearestNeighbors(q, r, k, { ...o, engine: 'js' });
      const wasm = nearestNeighbors(q, r, k, { ...o, engine: 'wasm' });
      expect(Array.from(wasm.indices)).toEqual(Array.from(js.indices));
      expect(Array.from(wasm.distances)).toEqual(Array.from(js.distances));
    }
  });

  const train = fromRows([[0, 0], [1, 0], [3, 0], [0, 2], [10, 10]]);
  const labels = Int32Array.from([0, 1, 1, 0, 2]);

  it('finds neighbours in distance order; equal distances go to the lower index', () => {
    const nb = nearestNeighbors(fromRows([[0.5, 0], [2, 0]]), train, 3);
    expect(Array.from(nb.indices)).toEqual([0, 1, 3, 1, 2, 0]); // (2,0): 1 and 2 both at 1; 0 and 3 tie at 2 vs sqrt(8)
    expect(nb.distances[0]).toBeCloseTo(0.5, 12);
    expect(nb.distances[3]).toBeCloseTo(1, 12);
    const self = nearestNeighbors(train, train, 1, { selfOffset: 0 });
    expect(Array.from(self.indices)).toEqual([1, 0, 1, 0, 2]);
  });

  it('votes, with vote fractions as probabilities and the smaller label winning ties', () => {
    const m = fitKnn(train, labels, { k: 2 });
    // (0.5, 0): neighbours 0 (label 0) and 1 (label 1): a tie, label 0 wins.
    expect(Array.from(m.predict(fromRows([[0.5, 0]])))).toEqual([0]);
    expect(Array.from(m.predictProba(fromRows([[0.5, 0]])))).toEqual([0.5, 0.5, 0]);
    const m3 = fitKnn(train, labels, { k: 3 });
    expect(Array.from(m3.predict(fromRows([[2, 0], [9, 9]])))).toEqual([1, 0]);
  });

  it('cosine distance ignores length', () => {
    const ref = fromRows([[1, 0], [0, 1], [1, 1]]);
    const nb = nearestNeighbors(fromRows([[5, 0.1], [3, 3]]), ref, 1, { metric: 'cosine' });
    expect(Array.from(nb.indices)).toEqual([0, 2]);
    expect(nb.distances[1]).toBeCloseTo(0, 12);
    const m = fitKnn(ref, Int32Array.from([7, 8, 9]), { k: 1, metric: 'cosine' });
    expect(Array.from(m.predict(fromRows([[0, 100]])))).toEqual([8]);
  });
});

describe('ridge regression', () => {
  it('matches the closed form', () => {
    const x = fromRows([[1], [2], [3]]);
    const y = Float64Array.from([2, 4, 6]);
    const exact = fitRidge(x, y, { alpha: 0, standardize: false });
    expect(exact.coef[0]).toBeCloseTo(2, 12);
    expect(exact.intercept).toBeCloseTo(0, 12);
    // alpha 1: coef = Sxy / (Sxx + alpha) = 4 / 3; intercept = mean(y) - coef * mean(x) = 4 / 3 (not penalised).
    const r = fitRidge(x, y, { alpha: 1, standardize: false });
    expect(r.coef[0]).toBeCloseTo(4 / 3, 12);
    expect(r.intercept).toBeCloseTo(4 / 3, 12);
    expect(r.predict(fromRows([[0]]))[0]).toBeCloseTo(4 / 3, 12);
  });

  it('solves (Xc^T Xc + alpha I) w = Xc^T yc in several dimensions', () => {
    const rng = createRng(4);
    const rows = Array.from({ length: 30 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = Float64Array.from(rows, (r) => 1 + 2 * r[0] - r[1] + 0.1 * rng.normal());
    const m = fitRidge(fromRows(rows), y, { alpha: 2.5, standardize: false });
    // Check the normal equations directly.
    const mean = [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const ym = y.reduce((s, v) => s + v, 0) / y.length;
    for (let a = 0; a < 3; a++) {
      let lhs = 2.5 * m.coef[a];
      let rhs = 0;
      rows.forEach((r, i) => {
        const xa = r[a] - mean[a];
        rhs += xa * (y[i] - ym);
        for (let b = 0; b < 3; b++) lhs += xa * (r[b] - mean[b]) * m.coef[b];
      });
      expect(lhs).toBeCloseTo(rhs, 9);
    }
  });

  it('refuses a singular system without regularisation', () => {
    expect(() => fitRidge(fromRows([[1, 1], [2, 2], [3, 3]]), Float64Array.from([1, 2, 3]), { alpha: 0, standardize: false })).toThrow(/positive definite/);
  });
});

describe('evaluateClassification / evaluateRegression', () => {
  it('drops unlabeled rows, reports metrics with ROC-AUC, for both probes', () => {
    const tr = blobs([[0, 0], [5, 0], [0, 5]], 20, 0.5, 5);
    const ev = blobs([[0, 0], [5, 0], [0, 5]], 10, 0.5, 6);
    const trY = Int32Array.from(tr.y);
    trY[0] = -1;
    for (const probe of [{ kind: 'logistic' as const }, { kind: 'knn' as const, k: 3 }]) {
      const r = evaluateClassification(tr.x, trY, ev.x, ev.y, probe);
      expect(r.trainCount).toBe(59);
      expect(r.metrics.accuracy).toBe(1);
      expect(r.metrics.f1Macro).toBe(1);
      expect(r.metrics.rocAuc).toBe(1);
      expect(r.metrics.labels).toEqual([0, 1, 2]);
    }
  });

  it('regression skips rows without a target', () => {
    const rng = createRng(9);
    const rows = Array.from({ length: 40 }, () => [rng.normal(), rng.normal()]);
    const y = Float64Array.from(rows, (r) => 3 * r[0] - 2 * r[1]);
    y[5] = NaN;
    const r = evaluateRegression(fromRows(rows.slice(0, 30)), y.slice(0, 30), fromRows(rows.slice(30)), y.slice(30), { kind: 'ridge', alpha: 1e-6 });
    expect(r.trainCount).toBe(29);
    expect(r.metrics.r2).toBeGreaterThan(0.999999);
  });
});
