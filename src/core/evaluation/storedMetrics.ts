// Flattens stored evaluation attributes into the contract's metric maps.
import type { JsonValue } from '../../shared/searchSpace';

type Flat = Record<string, number | null>;

const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: JsonValue | undefined): Record<string, JsonValue> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, JsonValue>) : null;

/** {classification, regression} of one split -> {prefix_accuracy, ...}. */
export function flattenSplitMetrics(prefix: string, m: Record<string, JsonValue> | null): Flat {
  const out: Flat = {};
  const c = obj(m?.classification);
  if (c) {
    out[`${prefix}_accuracy`] = num(c.accuracy);
    out[`${prefix}_balanced_accuracy`] = num(c.balancedAccuracy);
    out[`${prefix}_f1_macro`] = num(c.f1Macro);
    out[`${prefix}_f1_weighted`] = num(c.f1Weighted);
    out[`${prefix}_precision_macro`] = num(c.precisionMacro);
    out[`${prefix}_recall_macro`] = num(c.recallMacro);
    out[`${prefix}_roc_auc`] = num(c.rocAuc);
  }
  const r = obj(m?.regression);
  if (r) {
    out[`${prefix}_r2`] = num(r.r2);
    out[`${prefix}_mse_target`] = num(r.mse);
    out[`${prefix}_mae_target`] = num(r.mae);
  }
  return out;
}

/** Validation metrics from the trial's 'evaluation' attribute. */
export function validationMetrics(evaluation: JsonValue | undefined): Flat {
  const e = obj(evaluation);
  if (!e) return {};
  const recon = obj(e.recon);
  return { val_recon_mse: num(recon?.mse), ...flattenSplitMetrics('val', e) };
}

export function confusionOf(evaluation: JsonValue | undefined, classes: string[]): { classes: string[]; matrix: number[][] } | null {
  const c = obj(obj(evaluation)?.classification);
  const matrix = c?.confusionMatrix;
  if (!Array.isArray(matrix)) return null;
  const labels = Array.isArray(c?.labels) ? (c?.labels as number[]) : [];
  return { classes: labels.map((l) => classes[l] ?? String(l)), matrix: matrix as number[][] };
}

/** The study's stored baselines (raw pixels and PCA features with the same probe) as flat metric maps. */
export function baselinesOf(v: JsonValue | undefined): { pcaDim: number; raw: Flat | null; pca: Flat } | null {
  const b = obj(v);
  if (!b || typeof b.pcaDim !== 'number') return null;
  const raw = obj(b.raw);
  return { pcaDim: b.pcaDim, raw: raw ? flattenSplitMetrics('val', raw) : null, pca: flattenSplitMetrics('val', obj(b.pca)) };
}
