// The downstream probes' configuration: the classifier (or regressor) trained on each trial's codes.
import { z } from 'zod';

/** Stratified k-fold cross-validation on the training codes, seeded; `grid` lists the values tried. */
const cvSpec = (grid: number[], value: z.ZodNumber) =>
  z.strictObject({
    folds: z.number().int().min(2).max(10).default(3),
    seed: z.number().int().min(0).default(0),
    grid: z.array(value).min(1).default(grid),
  });

/** scikit-learn's LogisticRegressionCV tries logspace(-4, 4, 10); this grid spans what standardised codes need. */
export const LOGISTIC_C_GRID = [0.001, 0.01, 0.1, 1, 10, 100];
export const KNN_K_GRID = [1, 3, 5, 9, 15, 25];
const LogisticCv = cvSpec(LOGISTIC_C_GRID, z.number().positive());
const KnnCv = cvSpec(KNN_K_GRID, z.number().int().positive());

/** A given C (or k) is used as it is; without one it is chosen by cross-validation, and both at once is a mistake. */
const notBoth = (param: 'C' | 'k') => (v: { C?: number; k?: number; cv?: object }) => !(v[param] !== undefined && v.cv !== undefined);
const notBothMessage = (param: string) => ({ message: `Give either ${param} (used as it is) or cv (${param} chosen by cross-validation), not both.`, path: ['cv'] });

export const LogisticSpec = z
  .strictObject({
    kind: z.literal('logistic'),
    /** Inverse L2 strength, as sklearn's C (loss summed over samples + ||W||^2 / (2C)); absent: chosen by cv. */
    C: z.number().positive().optional(),
    /** How C is chosen when it is not given (default: 3 folds, seed 0, LOGISTIC_C_GRID). */
    cv: LogisticCv.optional(),
    /** Standardise features with training mean / sd first (default true: latent codes have arbitrary scales). */
    standardize: z.boolean().default(true),
    maxIter: z.number().int().positive().default(1000),
    /** Max |gradient| of the mean loss at which training counts as converged (sklearn's lbfgs tol, 1e-4). */
    tol: z.number().positive().default(1e-4),
  })
  .refine(notBoth('C'), notBothMessage('C'));

export const KNN_METRICS = ['euclidean', 'cosine'] as const;

export const KnnSpec = z
  .strictObject({
    kind: z.literal('knn'),
    /** Neighbours that vote; absent: chosen by cv. */
    k: z.number().int().positive().optional(),
    /** How k is chosen when it is not given (default: 3 folds, seed 0, KNN_K_GRID). */
    cv: KnnCv.optional(),
    metric: z.enum(KNN_METRICS).default('euclidean'),
    /** Off by default, like sklearn's KNeighborsClassifier on raw features. */
    standardize: z.boolean().default(false),
  })
  .refine(notBoth('k'), notBothMessage('k'));

/** The cross-validation a probe config asks for: null when the value is given. */
export function logisticCv(cfg: z.output<typeof LogisticSpec>): z.output<typeof LogisticCv> | null {
  return cfg.C !== undefined ? null : (cfg.cv ?? LogisticCv.parse({}));
}
export function knnCv(cfg: z.output<typeof KnnSpec>): z.output<typeof KnnCv> | null {
  return cfg.k !== undefined ? null : (cfg.cv ?? KnnCv.parse({}));
}

export const RidgeSpec = z.strictObject({
  kind: z.literal('ridge'),
  alpha: z.number().nonnegative().default(1),
  standardize: z.boolean().default(true),
});

export const ClassifierSpec = z.discriminatedUnion('kind', [LogisticSpec, KnnSpec]);
export const ProbeSpec = z.discriminatedUnion('kind', [LogisticSpec, KnnSpec, RidgeSpec]);

export type LogisticConfig = z.output<typeof LogisticSpec>;
export type KnnConfig = z.output<typeof KnnSpec>;
export type RidgeConfig = z.output<typeof RidgeSpec>;
export type ClassifierConfig = z.output<typeof ClassifierSpec>;
export type ProbeConfig = z.output<typeof ProbeSpec>;
/** What callers write: every field but `kind` may be left out. */
export type ClassifierInput = z.input<typeof ClassifierSpec>;
export type RegressorInput = z.input<typeof RidgeSpec>;

/**
 * The probe without cross-validation, for the downstream prune signal's quick score at a rung: its own C or k,
 * else scikit-learn's defaults (LogisticRegression's C = 1, KNeighborsClassifier's k = 5). A ranking of trials
 * at the same epoch, not their final score (which chooses C or k by cross-validation).
 */
export function quickProbe(input: ClassifierInput): ClassifierInput {
  const cfg = ClassifierSpec.parse(input);
  if (cfg.kind === 'logistic') return { ...cfg, cv: undefined, C: cfg.C ?? 1 };
  return { ...cfg, cv: undefined, k: cfg.k ?? 5 };
}
