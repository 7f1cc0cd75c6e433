// The probes' small shared interface and their configuration schema.
import { z } from 'zod';
import type { Matrix } from '../matrix';

export interface FittedClassifier {
  /** Sorted class labels seen in training; predictProba columns follow this order. */
  classes: Int32Array;
  predict(x: Matrix): Int32Array;
  /** rows x classes.length probabilities (vote fractions for kNN). */
  predictProba(x: Matrix): Float64Array;
}

export interface FittedRegressor {
  predict(x: Matrix): Float64Array;
}

export interface ClassifierProbe {
  fit(x: Matrix, y: Int32Array): FittedClassifier;
}

export interface RegressorProbe {
  fit(x: Matrix, y: Float64Array): FittedRegressor;
}

export const LogisticSpec = z.strictObject({
  kind: z.literal('logistic'),
  /** Inverse L2 strength, as sklearn's C (loss summed over samples + ||W||^2 / (2C)). */
  C: z.number().positive().default(1),
  /** Standardise features with training mean / sd first (default true: latent codes have arbitrary scales). */
  standardize: z.boolean().default(true),
  maxIter: z.number().int().positive().default(1000),
  /** Max |gradient| of the mean loss at which training counts as converged (sklearn's lbfgs tol, 1e-4). */
  tol: z.number().positive().default(1e-4),
});

export const KnnSpec = z.strictObject({
  kind: z.literal('knn'),
  k: z.number().int().positive().default(5),
  metric: z.enum(['euclidean', 'cosine']).default('euclidean'),
  /** Off by default, like sklearn's KNeighborsClassifier on raw features. */
  standardize: z.boolean().default(false),
});

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
