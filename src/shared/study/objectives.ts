// What a study optimises: validation reconstruction error, a downstream metric on the validation split, a
// weighted combination of the two, or several of these at once (a Pareto front), and which way each goes.
// The values themselves are computed by the engine (src/core/evaluation/objectives.ts).
import { z } from 'zod';

/** Which way an objective is optimised. */
export const Direction = z.enum(['minimize', 'maximize']);
export type Direction = z.infer<typeof Direction>;

export const ReconLossName = z.enum(['mse', 'bce']);
export type ReconLossName = z.infer<typeof ReconLossName>;

/** Downstream metrics scored from the folder labels (class sub-folders). */
export const LABEL_METRICS = ['val_accuracy', 'val_f1_macro', 'val_balanced_accuracy', 'val_roc_auc'] as const;
/** Downstream metrics scored against a regression-targets CSV (dataset.targetsCsv). */
export const TARGET_METRICS = ['val_r2', 'val_mse_target'] as const;

/** Downstream metrics on the validation split: classification (folder labels) or regression (targets CSV). */
export const DownstreamMetricName = z.enum([...LABEL_METRICS, ...TARGET_METRICS]);
export type DownstreamMetricName = z.infer<typeof DownstreamMetricName>;
export const DOWNSTREAM_METRICS = DownstreamMetricName.options;

export const isLabelMetric = (name: string): boolean => (LABEL_METRICS as readonly string[]).includes(name);
export const isTargetMetric = (name: string): boolean => (TARGET_METRICS as readonly string[]).includes(name);

/** Metrics that are better high (named without their split prefix); every other metric is an error or loss. */
const MAXIMIZED: ReadonlySet<string> = new Set(['accuracy', 'balanced_accuracy', 'f1_macro', 'f1_weighted', 'precision_macro', 'recall_macro', 'roc_auc', 'r2']);

/**
 * The direction of an objective or metric by name ("val_accuracy", "test_f1_macro", "val_recon", "r2"):
 * scores are maximised, errors and losses minimised.
 */
export function metricDirection(name: string): Direction {
  return MAXIMIZED.has(name.replace(/^(val|test)_/, '')) ? 'maximize' : 'minimize';
}

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
export type ObjectiveInput = z.input<typeof Objective>;

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

export function objectiveDirection(o: Objective): Direction {
  return metricDirection(o.name);
}

export function objectiveDirections(spec: ObjectiveSpec): Direction[] {
  return spec.objectives.map(objectiveDirection);
}

export function objectiveLabel(o: Objective): string {
  if (o.name === 'val_recon') return `val reconstruction (${o.loss.toUpperCase()})`;
  if (o.name === 'weighted') return `weighted: ${o.reconWeight} x recon ${o.loss.toUpperCase()} + ${o.downstreamWeight} x ${o.metric}`;
  return o.name;
}

/** What the dataset must provide for the spec: class labels (sub-folders) and/or a targets CSV. */
export function objectiveRequirements(spec: Pick<ObjectiveSpec, 'objectives'>): { labels: boolean; targets: boolean } {
  const metrics = spec.objectives.flatMap((o) => (o.name === 'val_recon' ? [] : [o.name === 'weighted' ? o.metric : o.name]));
  return { labels: metrics.some((m) => !isTargetMetric(m)), targets: metrics.some(isTargetMetric) };
}
