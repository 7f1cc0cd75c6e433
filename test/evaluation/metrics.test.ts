import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  classificationMetrics,
  confusionMatrix,
  regressionMetrics,
  rocAucBinary,
  rocAucOvrMacro,
} from '../../src/core/evaluation/metrics';

const here = path.dirname(fileURLToPath(import.meta.url));
// scikit-learn's values for our own cases (copied from ../shared/reference, where they were measured).
const FIXTURES = path.resolve(here, 'fixtures/metrics-fixtures.json');

interface Fixture {
  name: string;
  kind: 'classification' | 'regression';
  y_true: number[];
  y_pred: number[];
  labels?: number[];
  y_score?: number[] | number[][];
  expected: Record<string, number | number[][]>;
}

const fixtures: Fixture[] = (JSON.parse(fs.readFileSync(FIXTURES, 'utf8')) as { cases: Fixture[] }).cases;
const TOL = 1e-9;

describe('metrics vs scikit-learn fixtures', () => {
  it('covers every case in the file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  for (const c of fixtures) {
    it(`${c.kind}: ${c.name}`, () => {
      const e = c.expected;
      const num = (k: string): number => e[k] as number;
      if (c.kind === 'regression') {
        const m = regressionMetrics(c.y_true, c.y_pred);
        expect(Math.abs(m.r2 - num('r2'))).toBeLessThan(TOL);
        expect(Math.abs(m.mse - num('mse'))).toBeLessThan(TOL);
        expect(Math.abs(m.mae - num('mae'))).toBeLessThan(TOL);
        return;
      }
      const labels = c.labels as number[];
      let scores: Float64Array | undefined;
      if (c.y_score && Array.isArray(c.y_score[0])) scores = Float64Array.from((c.y_score as number[][]).flat());
      else if (c.y_score) scores = Float64Array.from((c.y_score as number[]).flatMap((p) => [1 - p, p]));
      const m = classificationMetrics(c.y_true, c.y_pred, labels, scores);
      const pairs: [string, number][] = [
        ['accuracy', m.accuracy],
        ['balanced_accuracy', m.balancedAccuracy],
        ['precision_macro', m.precisionMacro],
        ['recall_macro', m.recallMacro],
        ['f1_macro', m.f1Macro],
        ['precision_weighted', m.precisionWeighted],
        ['recall_weighted', m.recallWeighted],
        ['f1_weighted', m.f1Weighted],
      ];
      for (const [k, v] of pairs) expect(Math.abs(v - num(k)), k).toBeLessThan(TOL);
      expect(m.confusionMatrix).toEqual(e.confusion_matrix);
      expect(accuracy(c.y_true, c.y_pred)).toBe(m.accuracy);
      expect(balancedAccuracy(c.y_true, c.y_pred)).toBe(m.balancedAccuracy);
      if ('roc_auc' in e) {
        expect(Math.abs((m.rocAuc as number) - num('roc_auc'))).toBeLessThan(TOL);
        const direct = rocAucBinary(c.y_true.map((y) => y === labels[1]), c.y_score as number[]);
        expect(Math.abs(direct - num('roc_auc'))).toBeLessThan(TOL);
      }
      if ('roc_auc_ovr_macro' in e) {
        expect(Math.abs((m.rocAuc as number) - num('roc_auc_ovr_macro'))).toBeLessThan(TOL);
        expect(Math.abs(rocAucOvrMacro(c.y_true, scores as Float64Array, labels) - num('roc_auc_ovr_macro'))).toBeLessThan(TOL);
      }
    });
  }
});

describe('metrics hand cases', () => {
  it('ROC-AUC: ties count half, perfect and reversed rankings', () => {
    expect(rocAucBinary([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAucBinary([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAucBinary([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1])).toBe(1);
    expect(rocAucBinary([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAucBinary([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('confusion matrix follows the given label order and ignores unlisted labels', () => {
    expect(confusionMatrix([2, 0, 1, 5], [2, 1, 1, 0], [2, 1, 0])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
  });

  it('precision of a label never predicted is 0 (zero_division=0), and balanced accuracy skips absent classes', () => {
    const m = classificationMetrics([0, 0, 1, 1], [0, 0, 0, 2], [0, 1, 2]);
    expect(m.precisionMacro).toBeCloseTo((2 / 3 + 0 + 0) / 3, 12);
    expect(m.balancedAccuracy).toBeCloseTo((1 + 0) / 2, 12);
  });

  it('R2 of a constant target: 1 when perfect, 0 otherwise', () => {
    expect(regressionMetrics([3, 3], [3, 3]).r2).toBe(1);
    expect(regressionMetrics([3, 3], [2, 3]).r2).toBe(0);
  });
});
