// "Does the autoencoder beat PCA?" on the test split: the data of the verdict (computed by the engine) and how
// it reads in words. The CLI and the report use the English sentences here; the UI builds the same sentences
// from verdictParams with its message catalogue (en, zh-CN).
import { z } from 'zod';
import { estimateText as acc, verdictParams } from './verdictWords';

/** What cross-validation on the training codes chose for the probe (logistic C, kNN k). */
export const CvChoice = z.object({
  value: z.number(),
  grid: z.array(z.number()),
  /** Mean held-out accuracy per grid value, in grid order. */
  scores: z.array(z.number()),
  folds: z.number().int(),
});
export type CvChoice = z.output<typeof CvChoice>;

/** The probe's regularisation as used, and the cross-validation that chose it (null: given in the spec). */
export const ProbeSetting = z.object({ param: z.enum(['C', 'k']), value: z.number(), cv: CvChoice.nullable() });
export type ProbeSetting = z.output<typeof ProbeSetting>;

/** "C = 0.1, chosen by 3-fold cross-validation on the training codes (grid 0.001 ... 100; held-out accuracy 0.819)". */
export function describeProbeSetting(s: ProbeSetting): string {
  if (!s.cv) return `${s.param} = ${s.value} (as given)`;
  const best = s.cv.scores[s.cv.grid.indexOf(s.value)];
  return `${s.param} = ${s.value}, chosen by ${s.cv.folds}-fold cross-validation on the training codes (grid ${s.cv.grid.join(', ')}${best !== undefined ? `; held-out accuracy ${best.toFixed(3)}` : ''})`;
}

export const Estimate = z.object({ value: z.number(), lo: z.number(), hi: z.number() });
export type Estimate = z.output<typeof Estimate>;

export const BaselineComparison = z.object({
  baseline: z.enum(['raw', 'pca']),
  /** Feature count of the baseline: pixels, or PCA components (the trial's code size). */
  dim: z.number().int(),
  /** The baseline's test accuracy with its bootstrap interval. */
  accuracy: Estimate,
  /** Trial minus baseline accuracy on the same images, paired-bootstrap interval. */
  difference: Estimate,
  /** McNemar's paired test on the images exactly one of the two got right. */
  mcnemar: z.object({ onlyTrial: z.number().int(), onlyBaseline: z.number().int(), pValue: z.number(), method: z.enum(['exact', 'chi2']) }),
  /** better / worse: significant at `alpha`; same: not. */
  outcome: z.enum(['better', 'worse', 'same']),
});
export type BaselineComparison = z.output<typeof BaselineComparison>;

export const TestVerdict = z.object({
  trialId: z.number().int(),
  trialNumber: z.number().int(),
  latentSize: z.number().int(),
  testImages: z.number().int(),
  accuracy: Estimate,
  comparisons: z.array(BaselineComparison),
  /** Baselines that could not be compared, with why (e.g. raw pixels too large to probe). */
  missing: z.array(z.string()),
  level: z.number(),
  alpha: z.number(),
  resamples: z.number().int(),
  seed: z.number().int(),
});
export type TestVerdict = z.output<typeof TestVerdict>;

// The sentences' numbers live in a zod-free module: the renderer's lazily loaded pages use them, and a zod
// import there would build schemas before the renderer has configured zod (see src/renderer/zodConfig.ts).
export { estimateText, formatP, verdictParams } from './verdictWords';

const BASELINE_EN = { raw: 'raw pixels ({dim})', pca: 'PCA({dim})' } as const;
const SENTENCE_EN = {
  better: "The autoencoder's {k} features beat {baseline} on test by {points} points [{lo}, {hi}] (McNemar p {p}).",
  worse: "The autoencoder's {k} features fall behind {baseline} on test by {points} points [{lo}, {hi}] (McNemar p {p}).",
  same: "The autoencoder's {k} features: no significant difference from {baseline} on test ({points} points [{lo}, {hi}], McNemar p {p}).",
} as const;

const fill = (template: string, params: Record<string, string | number>): string => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));

/**
 * The verdict as plain English lines: the accuracies with intervals, one sentence per baseline, what is missing.
 * `subject` names the encoder judged (a refit is no trial of the study: "refit of trial #3").
 */
export function verdictLinesEn(v: TestVerdict, subject = `trial #${v.trialNumber}`): string[] {
  const name = (c: BaselineComparison): string => (c.baseline === 'raw' ? `raw pixels (${c.dim})` : `PCA(${c.dim})`);
  return [
    `Verdict on test (${v.testImages} images; ${Math.round(100 * v.level)}% bootstrap intervals, McNemar's paired test at ${v.alpha}):`,
    `  test accuracy: ${subject} (${v.latentSize} features) ${acc(v.accuracy)}${v.comparisons.map((c) => `; ${name(c)} ${acc(c.accuracy)}`).join('')}`,
    ...v.comparisons.map((c) => `  ${verdictSentenceEn(v, c)}`),
    ...v.missing.map((m) => `  not compared: ${m}`),
  ];
}

/** One plain English sentence per baseline (CLI, report). */
export function verdictSentenceEn(v: Pick<TestVerdict, 'latentSize'>, c: BaselineComparison): string {
  const params = verdictParams(v, c);
  return fill(SENTENCE_EN[c.outcome], { ...params, baseline: fill(BASELINE_EN[c.baseline], params) });
}
