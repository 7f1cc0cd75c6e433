// What a study optimises: validation reconstruction error, a downstream metric on the validation split, a weighted
// combination of the two, or several of these at once (a Pareto front, see pareto.ts).
import { z } from 'zod';
import type { ClassificationMetrics, RegressionMetrics } from './metrics';
import type { ProbeSetting } from './probes/folds';
import type { Direction } from './pareto';

export const ReconLossName = z.enum(['mse', 'bce']);

/** Downstream metrics on the validation split: classification (folder labels) or regression (targets CSV). */
export const DownstreamMetricName = z.enum(['val_accuracy', 'val_f1_macro', 'val_balanced_accuracy', 'val_roc_auc', 'val_r2', 'val_mse_target']);
export type DownstreamMetricName = z.infer<typeof DownstreamMetricName>;

const ReconObjective = z.strictObject({
  name: z.literal('val_recon'),
  loss: ReconLossName.default('mse'),
});

const DownstreamObjective = z.strictObject({ name: DownstreamMetricName });

/**
 * reconWeight * (recon error / mean-image error) + downstreamWeight * downstream error, divided by the weight sum;
 * minimised. Both terms are "error relative to a trivial answer": 0 is perfect and ~1 is what a model that learned
 * nothing scores. The reconstruction term divides by the error of predicting the mean training image for every
 * validation image. The downstream error is 1 - score for accuracy, F1, balanced accuracy and ROC-AUC, and 1 - R2
 * (= target MSE / target variance, so predicting the mean scores 1) for val_r2 and val_mse_target alike.
 */
const WeightedObjective = z
  .strictObject({
    name: z.literal('weighted'),
    loss: ReconLossName.default('mse'),
    metric: DownstreamMetricName.default('val_accuracy'),
    reconWeight: z.number().nonnegative().default(0.5),
    downstreamWeight: z.number().nonnegative().default(0.5),
  })
  .refine((o) => o.reconWeight + o.downstreamWeight > 0, { message: 'weighted objective: at least one weight must be positive' });

export const Objective = z.discriminatedUnion('name', [ReconObjective, DownstreamObjective, WeightedObjective]);
export type Objective = z.output<typeof Objective>;

export const ObjectiveSpec = z
  .strictObject({
    /** One objective: a single-objective study. Several: a multi-objective study with a Pareto front. */
    objectives: z.array(Objective).min(1),
    /** Index of the objective that picks the single best trial of a multi-objective study (the one given test metrics). */
    primary: z.number().int().nonnegative().default(0),
  })
  .refine((s) => s.primary < s.objectives.length, { message: 'primary must index one of the objectives' });
export type ObjectiveSpec = z.output<typeof ObjectiveSpec>;
export type ObjectiveSpecInput = z.input<typeof ObjectiveSpec>;

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

const MAXIMIZE = new Set<string>(['val_accuracy', 'val_f1_macro', 'val_balanced_accuracy', 'val_roc_auc', 'val_r2']);

export function objectiveDirection(o: Objective): Direction {
  return MAXIMIZE.has(o.name) ? 'maximize' : 'minimize';
}

export function objectiveDirections(spec: ObjectiveSpec): Direction[] {
  return spec.objectives.map(objectiveDirection);
}

export function objectiveLabel(o: Objective): string {
  if (o.name === 'val_recon') return `val reconstruction (${o.loss.toUpperCase()})`;
  if (o.name === 'weighted') return `weighted: ${o.reconWeight} x recon ${o.loss.toUpperCase()} + ${o.downstreamWeight} x ${o.metric}`;
  return o.name;
}

const needsTargets = (m: DownstreamMetricName): boolean => m === 'val_r2' || m === 'val_mse_target';

/** What the dataset must provide for the spec: class labels (sub-folders) and/or a targets CSV. */
export function objectiveRequirements(spec: ObjectiveSpec): { labels: boolean; targets: boolean } {
  const metrics = spec.objectives.flatMap((o) => (o.name === 'val_recon' ? [] : [o.name === 'weighted' ? o.metric : o.name]));
  return { labels: metrics.some((m) => !needsTargets(m)), targets: metrics.some(needsTargets) };
}

function downstreamValue(metric: DownstreamMetricName, ev: TrialEvaluation): number {
  if (needsTargets(metric)) {
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
  if (needsTargets(metric)) return 1 - downstreamValue('val_r2', ev);
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
