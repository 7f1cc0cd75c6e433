// The verdict on test: the chosen trial's codes against raw pixels and PCA at the trial's own code size, on the
// same test images, with seeded bootstrap intervals and McNemar's paired test. Pure: stored predictions in,
// the TestVerdict (src/shared/verdict.ts) out.
import type { BaselineComparison, TestVerdict } from '../../shared/verdict';
import type { JsonValue } from '../../shared/json';
import { bootstrapMeans, mcnemar } from '../math/stats';
import { readStudyBaselines, type StoredBaseline, type TestPredictions } from './storedBaselines';
import type { TrialAttributes } from '../study/attributes';

export interface VerdictOptions {
  seed?: number;
  resamples?: number;
  /** Interval coverage (default 0.95). */
  level?: number;
  /** McNemar significance level (default 0.05). */
  alpha?: number;
}

export interface VerdictTrial {
  id: number;
  number: number;
  latentSize: number;
  test: TestPredictions;
}

export interface VerdictBaseline {
  baseline: 'raw' | 'pca';
  dim: number;
  test: TestPredictions | null;
}

const name = (b: VerdictBaseline): string => (b.baseline === 'raw' ? `raw pixels (${b.dim})` : `PCA(${b.dim})`);

export function testVerdict(trial: VerdictTrial, baselines: readonly VerdictBaseline[], missing: readonly string[] = [], opts: VerdictOptions = {}): TestVerdict {
  const seed = opts.seed ?? 0;
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const alpha = opts.alpha ?? 0.05;
  const { rows, truth, predicted } = trial.test;
  const n = rows.length;
  const trialRight = Uint8Array.from(rows, (_, i) => (predicted[i] === truth[i] ? 1 : 0));
  const position = new Map(rows.map((r, i) => [r, i]));
  const paired: Array<{ b: VerdictBaseline; right: Uint8Array; diff: Float64Array }> = [];
  const notes = [...missing];
  for (const b of baselines) {
    if (!b.test) {
      notes.push(`${name(b)}: no test predictions stored`);
      continue;
    }
    const right = new Uint8Array(n);
    let matched = 0;
    b.test.rows.forEach((r, i) => {
      const at = position.get(r);
      if (at === undefined) return;
      matched++;
      right[at] = b.test && b.test.predicted[i] === truth[at] ? 1 : 0;
    });
    if (matched !== n || b.test.rows.length !== n) {
      notes.push(`${name(b)}: scored on other test images than the trial (was the dataset changed?)`);
      continue;
    }
    paired.push({ b, right, diff: Float64Array.from(trialRight, (t, i) => t - right[i]) });
  }
  // One resampling for every interval: accuracies and their paired differences come from the same image sets.
  const [accuracy, ...rest] = bootstrapMeans([trialRight, ...paired.flatMap((p) => [p.right, p.diff])], { seed, resamples, level });
  const comparisons = paired.map(({ b, right }, k): BaselineComparison => {
    const m = mcnemar(trialRight, right);
    const difference = rest[2 * k + 1];
    return {
      baseline: b.baseline,
      dim: b.dim,
      accuracy: rest[2 * k],
      difference,
      mcnemar: { onlyTrial: m.onlyA, onlyBaseline: m.onlyB, pValue: m.pValue, method: m.method },
      outcome: m.pValue < alpha ? (difference.value > 0 ? 'better' : 'worse') : 'same',
    };
  });
  return {
    trialId: trial.id,
    trialNumber: trial.number,
    latentSize: trial.latentSize,
    testImages: n,
    accuracy,
    comparisons,
    missing: notes,
    level,
    alpha,
    resamples,
    seed,
  };
}

/**
 * The verdict for a study's chosen trial from what is stored: the trial's test predictions and the study's raw
 * and PCA(latent size) baselines. Null when the trial has no test predictions (no test split, a flat folder, or
 * a trial from before they were kept).
 */
export function storedVerdict(
  trial: { id: number; number: number; latentSize: number },
  trialAttrs: Partial<TrialAttributes>,
  studyAttrs: Record<string, JsonValue>,
  opts: VerdictOptions = {},
): TestVerdict | null {
  const test = trialAttrs.testPredictions;
  if (!test || !test.rows.length) return null;
  const b = readStudyBaselines(studyAttrs);
  const missing: string[] = [];
  const list: VerdictBaseline[] = [];
  const add = (kind: 'raw' | 'pca', s: StoredBaseline | null | undefined, why: string): void => {
    if (s) list.push({ baseline: kind, dim: s.dim, test: s.test });
    else missing.push(why);
  };
  add('raw', b.raw, b.rawSkipped ?? 'raw pixels: baseline not computed yet');
  add('pca', b.pca.get(trial.latentSize), b.pcaSkipped.get(trial.latentSize) ?? `PCA(${trial.latentSize}): baseline not computed yet`);
  return testVerdict({ ...trial, test }, list, missing, opts);
}
