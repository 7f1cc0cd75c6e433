import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../../src/core/evaluation/matrix';
import { classifyAndScore, evaluateClassification } from '../../src/core/evaluation/probes/index';
import { stratifiedFolds } from '../../src/core/evaluation/probes/folds';
import { fitKnn } from '../../src/core/evaluation/probes/knn';
import { fitLogistic } from '../../src/core/evaluation/probes/logistic';
import { ClassifierSpec, KNN_K_GRID, LOGISTIC_C_GRID } from '../../src/shared/study/probes';
import { createRng } from '../../src/shared/rng';

/** Two classes told apart by feature 0 alone (shifted by +-1, sd 1); `noise` more features of pure noise. */
function oneInformative(n: number, noise: number, seed: number): { x: Matrix; y: Int32Array } {
  const rng = createRng(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    rows.push([(label ? 1 : -1) + rng.normal(), ...Array.from({ length: noise }, () => rng.normal())]);
    y.push(label);
  }
  return { x: fromRows(rows), y: Int32Array.from(y) };
}

describe('stratified folds', () => {
  it('gives every fold its share of each class, the same for a seed', () => {
    const y = Int32Array.from({ length: 31 }, (_, i) => (i < 10 ? 0 : i < 25 ? 1 : 2));
    const f = stratifiedFolds(y, 3, 5);
    for (const c of [0, 1, 2]) {
      const sizes = [0, 1, 2].map((k) => y.filter((v, i) => v === c && f[i] === k).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    const total = [0, 1, 2].map((k) => f.filter((v) => v === k).length);
    expect(Math.max(...total) - Math.min(...total)).toBeLessThanOrEqual(1);
    expect(stratifiedFolds(y, 3, 5)).toEqual(f);
    expect(stratifiedFolds(y, 3, 6)).not.toEqual(f);
    expect(() => stratifiedFolds(y, 1, 0)).toThrow(/at least 2 folds/);
  });
});

describe('probe settings chosen by cross-validation', () => {
  it('logistic: C from the grid by mean held-out accuracy; strong regularisation where noise features invite overfitting', () => {
    const { x, y } = oneInformative(40, 60, 3);
    const m = fitLogistic(x, y);
    const cv = m.cv;
    expect(cv).not.toBeNull();
    if (!cv) return;
    expect(cv.grid).toEqual(LOGISTIC_C_GRID);
    expect(cv.folds).toBe(3);
    const best = Math.max(...cv.scores);
    expect(cv.value).toBe(cv.grid[cv.scores.indexOf(best)]);
    expect(m.C).toBe(cv.value);
    expect(m.setting).toEqual({ param: 'C', value: cv.value, cv });
    expect(cv.value).toBeLessThan(1);
    expect(best).toBeGreaterThan(cv.scores[cv.scores.length - 1]); // C = 100 fits the noise
    expect(fitLogistic(x, y).cv).toEqual(cv);
  });

  it('logistic: a given C is used as it is; a one-value grid is that value; C and cv together are refused', () => {
    const { x, y } = oneInformative(30, 3, 4);
    const given = fitLogistic(x, y, { C: 2 });
    expect(given.setting).toEqual({ param: 'C', value: 2, cv: null });
    expect(fitLogistic(x, y, { cv: { grid: [0.5] } }).C).toBe(0.5);
    const r = ClassifierSpec.safeParse({ kind: 'logistic', C: 1, cv: { folds: 3 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/either C .* or cv/);
  });

  it('kNN: k from the grid, clamped to what the folds can hold; a given k switches it off', () => {
    const { x, y } = oneInformative(40, 1, 5);
    const m = fitKnn(x, y);
    expect(m.cv?.grid).toEqual(KNN_K_GRID.filter((k) => k <= 26));
    expect(m.k).toBe(m.cv?.value);
    expect(m.setting.param).toBe('k');
    expect(fitKnn(x, y, { k: 3 }).setting).toEqual({ param: 'k', value: 3, cv: null });
  });

  it('one fit scores validation and test alike, with predictions per labeled row', () => {
    const { x, y } = oneInformative(40, 2, 6);
    const val = oneInformative(10, 2, 7);
    const test = oneInformative(12, 2, 8);
    test.y[3] = -1; // unlabeled: left out
    const [v, t] = classifyAndScore(x, y, [val, test], { kind: 'logistic' });
    expect(v.setting).toEqual(t.setting);
    expect(t.evalRows).toHaveLength(11);
    expect(Array.from(t.evalRows)).not.toContain(3);
    expect(t.predictions).toHaveLength(11);
    expect(evaluateClassification(x, y, test.x, test.y, { kind: 'logistic' }).metrics).toEqual(t.metrics);
  });
});
