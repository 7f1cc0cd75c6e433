// The probes' small shared interface (their configuration schema: src/shared/study/probes.ts).
import type { Matrix } from '../matrix';
import type { ProbeSetting } from './folds';

export interface FittedClassifier {
  /** Sorted class labels seen in training; predictProba columns follow this order. */
  classes: Int32Array;
  predict(x: Matrix): Int32Array;
  /** rows x classes.length probabilities (vote fractions for kNN). */
  predictProba(x: Matrix): Float64Array;
  setting: ProbeSetting;
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
