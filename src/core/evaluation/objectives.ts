// The values of a study's objectives (src/shared/study/objectives.ts) from what a finished trial measured.
import { isTargetMetric, type DownstreamMetricName, type ObjectiveSpec } from '../../shared/study/objectives';
import type { ClassificationMetrics, RegressionMetrics } from './metrics';
import type { ProbeSetting } from './probes/folds';

/** What a finished trial measured on the validation split. */
export interface TrialEvaluation {
  recon: {
    mse: number;
    bce?: number;
    /** meanImageError with each loss: needed by the weighted objective. */
    trivialMse?: number;
    trivialBce?: number;
  };
  classification?: ClassificationMetrics | null;
  regression?: RegressionMetrics | null;
  /** The classifier probe's C or k as used, and the cross-validation on the training codes that chose it. */
  probe?: ProbeSetting | null;
}

function downstreamValue(metric: DownstreamMetricName, ev: TrialEvaluation): number {
  if (isTargetMetric(metric)) {
    const r = ev.regression;
    if (!r) throw new Error(`objective ${metric} needs regression targets (a file,value CSV matched to the images)`);
    return metric === 'val_r2' ? r.r2 : r.mse;
  }
  const c = ev.classification;
  if (!c) throw new Error(`objective ${metric} needs class labels (images in class sub-folders)`);
  switch (metric) {
    case 'val_accuracy':
      return c.accuracy;
    case 'val_f1_macro':
      return c.f1Macro;
    case 'val_balanced_accuracy':
      return c.balancedAccuracy;
    default:
      // No AUC (a single class in the split): NaN, which ranks last.
      return c.rocAuc ?? NaN;
  }
}

function reconValue(loss: 'mse' | 'bce', ev: TrialEvaluation): number {
  const v = loss === 'mse' ? ev.recon.mse : ev.recon.bce;
  if (v === undefined) throw new Error(`objective needs the validation reconstruction ${loss.toUpperCase()}`);
  return v;
}

/** The downstream term of the weighted objective: 0 perfect, 1 trivial (see WeightedObjective). */
export function downstreamError(metric: DownstreamMetricName, ev: TrialEvaluation): number {
  if (isTargetMetric(metric)) return 1 - downstreamValue('val_r2', ev);
  return 1 - downstreamValue(metric, ev);
}

/** The value of each objective, in spec order; directions from objectiveDirections(spec). */
export function computeObjectives(spec: ObjectiveSpec, ev: TrialEvaluation): number[] {
  return spec.objectives.map((o) => {
    if (o.name === 'val_recon') return reconValue(o.loss, ev);
    if (o.name !== 'weighted') return downstreamValue(o.name, ev);
    const total = o.reconWeight + o.downstreamWeight;
    let value = 0;
    if (o.reconWeight > 0) {
      const trivial = o.loss === 'mse' ? ev.recon.trivialMse : ev.recon.trivialBce;
      if (trivial === undefined || !(trivial > 0)) throw new Error(`weighted objective needs the mean-image ${o.loss.toUpperCase()} (trivial error) to scale reconstruction`);
      value += (o.reconWeight * reconValue(o.loss, ev)) / trivial;
    }
    if (o.downstreamWeight > 0) value += o.downstreamWeight * downstreamError(o.metric, ev);
    return value / total;
  });
}
