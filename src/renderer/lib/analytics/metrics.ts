// Evaluation metrics as the contract reports them (TrialSummary.metrics, StudyDetail.bestTestMetrics and
// baselines): flat maps like { val_recon_mse, val_accuracy, val_f1_macro, ... }. Which measure reconstruction
// and which the downstream task, and a stable display order (which way each goes: metricDirection). Pure.
import type { TrialSummary } from '../../../shared/dto';
import type { Direction } from '../../../shared/study/objectives';

/** Display order of metric names without their split prefix (val_ / test_). */
export const METRIC_ORDER = [
  'accuracy',
  'balanced_accuracy',
  'f1_macro',
  'f1_weighted',
  'precision_macro',
  'recall_macro',
  'roc_auc',
  'r2',
  'mse_target',
  'mae_target',
  'recon_mse',
] as const;

/** "val_f1_macro" -> "f1_macro"; names without a known prefix come back unchanged. */
export function metricBase(name: string): string {
  return name.replace(/^(val|test)_/, '');
}

export type ObjectiveKind = 'reconstruction' | 'downstream' | 'combined';

/**
 * What an objective (as labelled by the engine: "val reconstruction (MSE)", "val_accuracy", "weighted: ...", or
 * the older "val_loss") measures.
 */
export function objectiveKind(label: string): ObjectiveKind {
  const l = label.trim().toLowerCase();
  if (l.startsWith('weighted')) return 'combined';
  if (/^(val[ _])?(loss|recon|reconstruction)\b/.test(l) || l === 'val_loss' || l.startsWith('val_recon') || l === 'mse' || l === 'bce') {
    return 'reconstruction';
  }
  return 'downstream';
}

/** Metric names present (with a number) in any of the trials, in display order. */
export function metricKeys(trials: readonly Pick<TrialSummary, 'metrics'>[]): string[] {
  const seen = new Set<string>();
  for (const t of trials) for (const [k, v] of Object.entries(t.metrics ?? {})) if (typeof v === 'number') seen.add(k);
  return sortMetricNames([...seen]);
}

export function sortMetricNames(names: readonly string[]): string[] {
  const rank = (n: string): number => {
    const i = (METRIC_ORDER as readonly string[]).indexOf(metricBase(n));
    return i < 0 ? METRIC_ORDER.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The downstream metric to headline (accuracy for classification, R² for regression), if measured. */
export function headlineMetric(keys: readonly string[]): string | null {
  for (const base of ['accuracy', 'r2', 'f1_macro', 'balanced_accuracy', 'roc_auc', 'mse_target']) {
    const k = keys.find((x) => metricBase(x) === base);
    if (k) return k;
  }
  return null;
}

/** Index of the best value for the metric (ties: the first), or -1 when none is a number. */
export function bestIndex(values: readonly (number | null | undefined)[], direction: Direction): number {
  let at = -1;
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    const cur = at < 0 ? null : (values[at] as number);
    if (cur === null || (direction === 'maximize' ? v > cur : v < cur)) at = i;
  });
  return at;
}
