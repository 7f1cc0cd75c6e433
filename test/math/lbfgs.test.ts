import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, twoLoopDirection, type Objective } from '../../src/core/math/lbfgs';
import { createRng } from '../../src/shared/rng';

const rosenbrock: Objective = (x, g) => {
  const [a, b] = [x[0], x[1]];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum from the textbook start', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { gtol: 1e-8 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.evals).toBeGreaterThan(r.iterations);
  });

  it('stops on a box bound when the free minimum lies outside, with a vanishing projected gradient', () => {
    // (x - 2)^2 + (y + 1)^2 in [0, 1]^2: the answer is (1, 0), both on bounds.
    const f: Objective = (x, g) => {
      g[0] = 2 * (x[0] - 2);
      g[1] = 2 * (x[1] + 1);
      return (x[0] - 2) ** 2 + (x[1] + 1) ** 2;
    };
    const r = minimizeLbfgs(f, Float64Array.from([0.3, 0.7]), { lo: new Float64Array(2), hi: Float64Array.from([1, 1]) });
    expect(Array.from(r.x)).toEqual([1, 0]);
    expect(r.gradMax).toBe(0);
    expect(r.reason).toBe('gtol');
  });

  it('clips the start into the box, and reports an undefined start without iterating', () => {
    const f: Objective = (x, g) => {
      g[0] = 1;
      return x[0] > 0.5 ? Infinity : x[0];
    };
    const r = minimizeLbfgs(f, Float64Array.from([3]), { lo: new Float64Array(1), hi: Float64Array.from([1]) });
    expect(r.x[0]).toBe(1);
    expect(r.reason).toBe('notFinite');
    expect(r.converged).toBe(false);
    expect(r.evals).toBe(1);
  });

  it('honours the evaluation budget', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxEvals: 7 });
    expect(r.evals).toBeLessThanOrEqual(7);
    expect(r.reason).toBe('maxEvals');
    expect(r.f).toBeLessThan(24.2); // f at the start
  });

  it('is deterministic', () => {
    const a = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIter: 15 });
    const b = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIter: 15 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });

  it('starts from given curvature pairs: fewer evaluations to the same minimum; pairs without curvature are left out', () => {
    const cold = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { gtol: 1e-8 });
    // Rosenbrock's curvature pairs near its minimum, from a run that stopped there, start a run from nearby.
    const near = Float64Array.from([0.9, 0.8]);
    const fresh = minimizeLbfgs(rosenbrock, near, { gtol: 1e-8 });
    const seeded = minimizeLbfgs(rosenbrock, near, { gtol: 1e-8, history: cold.history });
    expect(seeded.converged).toBe(true);
    expect(seeded.x[0]).toBeCloseTo(1, 5);
    expect(seeded.x[1]).toBeCloseTo(1, 5);
    expect(seeded.evals).toBeLessThan(fresh.evals);
    // A pair of negative curvature (s . y < 0) cannot be used: the run is the one without it, bit for bit.
    const bad = { s: [Float64Array.from([1, 0])], y: [Float64Array.from([-1, 0])] };
    const withBad = minimizeLbfgs(rosenbrock, near, { gtol: 1e-8, history: bad });
    expect(Array.from(withBad.x)).toEqual(Array.from(fresh.x));
    expect(withBad.evals).toBe(fresh.evals);
    // Only the newest `memory` pairs are kept.
    const few = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { gtol: 1e-8, memory: 3 });
    expect(few.history.s.length).toBeLessThanOrEqual(3);
    // A wrong history is refused before the objective is evaluated at all.
    let calls = 0;
    const counted: Objective = (x, g) => {
      calls++;
      return rosenbrock(x, g);
    };
    expect(() => minimizeLbfgs(counted, near, { history: { s: [new Float64Array(3)], y: [new Float64Array(3)] } })).toThrow(/history pair 0 has lengths 3 and 3, not 2/);
    expect(() => minimizeLbfgs(counted, near, { history: { s: [new Float64Array(2)], y: [] } })).toThrow(/history has 1 s but 0 y/);
    expect(calls).toBe(0);
  });
});

describe('twoLoopDirection', () => {
  /** The textbook two-loop recursion (Nocedal & Wright, algorithm 7.4), one loop per pass. */
  function textbook(g: Float64Array, sHist: Float64Array[], yHist: Float64Array[], rho: number[], pre?: (q: Float64Array) => Float64Array): Float64Array {
    const n = g.length;
    const dot = (a: Float64Array, b: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * b[i];
      return s;
    };
    const dir = Float64Array.from(g, (v) => -v);
    const alpha = new Float64Array(sHist.length);
    for (let k = sHist.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(sHist[k], dir);
      for (let i = 0; i < n; i++) dir[i] -= alpha[k] * yHist[k][i];
    }
    if (pre) dir.set(pre(dir));
    if (sHist.length) {
      const last = sHist.length - 1;
      const gamma = dot(sHist[last], yHist[last]) / dot(yHist[last], pre ? pre(yHist[last]) : yHist[last]);
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    }
    for (let k = 0; k < sHist.length; k++) {
      const beta = rho[k] * dot(yHist[k], dir);
      for (let i = 0; i < n; i++) dir[i] += (alpha[k] - beta) * sHist[k][i];
    }
    return dir;
  }

  it('gives the textbook loops\' direction bit for bit, for histories of 0 to 12 pairs, with and without a preconditioner', () => {
    const rng = createRng(7);
    const vec = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.next() * 2 - 1);
    for (const n of [1, 2, 5, 33]) {
      for (const m of [0, 1, 2, 3, 12]) {
        const sHist = Array.from({ length: m }, () => vec(n));
        // y = s + noise: mostly positive curvature, as L-BFGS keeps it.
        const yHist = sHist.map((s) => Float64Array.from(s, (v) => v * (1 + rng.next()) + 0.1 * (rng.next() - 0.5)));
        const rho = sHist.map((s, k) => 1 / s.reduce((acc, v, i) => acc + v * yHist[k][i], 0));
        const g = vec(n);
        const dir = new Float64Array(n);
        twoLoopDirection(g, sHist, yHist, rho, new Float64Array(m), dir);
        const want = textbook(g, sHist, yHist, rho);
        expect(Array.from(dir).map((v, i) => Object.is(v, want[i]))).toEqual(Array.from(dir, () => true));
        // From H0 = gamma M^-1 with a diagonal M: the textbook recursion with M^-1 applied between the loops.
        const diag = vec(n).map((v) => 1 + Math.abs(v));
        const apply = (q: Float64Array, out: Float64Array): void => q.forEach((v, i) => (out[i] = v / diag[i]));
        const pdir = new Float64Array(n);
        twoLoopDirection(g, sHist, yHist, rho, new Float64Array(m), pdir, { apply, scratch: new Float64Array(n) });
        const pwant = textbook(g, sHist, yHist, rho, (q) => Float64Array.from(q, (v, i) => v / diag[i]));
        expect(Array.from(pdir).map((v, i) => Object.is(v, pwant[i]))).toEqual(Array.from(pdir, () => true));
      }
    }
  });
});
