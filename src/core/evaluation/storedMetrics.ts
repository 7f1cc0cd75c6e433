// Flattens stored evaluation attributes into the contract's metric maps. They are read defensively (numbers
// that were not finite come back from storage as null), so typed attributes (study/attributes.ts) and raw
// stored JSON are both accepted.
import type { JsonValue } from '../../shared/json';
import type { TrialEvaluation } from './objectives';
import type { SplitMetrics } from '../study/attributes';
import { ProbeSetting } from '../../shared/verdict';
import { readStudyBaselines } from './storedBaselines';

type Flat = Record<string, number | null>;

const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: JsonValue | undefined): Record<string, JsonValue> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, JsonValue>) : null;

/** {classification, regression} of one split -> {prefix_accuracy, ...}. */
export function flattenSplitMetrics(prefix: string, split: Record<string, JsonValue> | SplitMetrics | null): Flat {
  const out: Flat = {};
  const m = split as Record<string, JsonValue> | null;
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

/** The probe's C or k as used for the trial (from its 'evaluation' attribute), when kept. */
export function probeSettingOf(evaluation: JsonValue | undefined): ProbeSetting | null {
  const r = ProbeSetting.safeParse(obj(evaluation)?.probe);
  return r.success ? r.data : null;
}

/** A trial's code size: its full parameters ('params' attribute) or, failing that, the sampled ones. */
export function latentSizeOf(sampled: Record<string, JsonValue>, attrs: Record<string, JsonValue>): number | null {
  const v = obj(attrs.params)?.latentSize ?? sampled.latentSize;
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

/** Validation metrics from the trial's 'evaluation' attribute. */
export function validationMetrics(evaluation: JsonValue | TrialEvaluation | undefined): Flat {
  const e = obj(evaluation as JsonValue | undefined);
  if (!e) return {};
  const recon = obj(e.recon);
  return { val_recon_mse: num(recon?.mse), ...flattenSplitMetrics('val', e) };
}

export function confusionOf(evaluation: JsonValue | TrialEvaluation | SplitMetrics | undefined, classes: string[]): { classes: string[]; matrix: number[][] } | null {
  const c = obj(obj(evaluation as JsonValue | undefined)?.classification);
  const matrix = c?.confusionMatrix;
  if (!Array.isArray(matrix)) return null;
  const labels = Array.isArray(c?.labels) ? (c?.labels as number[]) : [];
  return { classes: labels.map((l) => classes[l] ?? String(l)), matrix: matrix as number[][] };
}

/**
 * The study's baselines beside a code size (raw pixels and PCA(latentSize) with the same probe) as flat
 * validation metric maps. Studies from before per-size baselines kept one PCA size under 'baselines'.
 */
export function baselinesOf(
  studyAttrs: Record<string, JsonValue>,
  latentSize: number | null,
): { pcaDim: number; raw: Flat | null; pca: Flat; rawSkipped: string | null } | null {
  const stored = readStudyBaselines(studyAttrs);
  const pca = latentSize !== null ? stored.pca.get(latentSize) : undefined;
  if (pca) {
    const raw = stored.raw ? flattenSplitMetrics('val', stored.raw.val as unknown as Record<string, JsonValue>) : null;
    return { pcaDim: pca.dim, raw, pca: flattenSplitMetrics('val', pca.val as unknown as Record<string, JsonValue>), rawSkipped: stored.rawSkipped };
  }
  const b = obj(studyAttrs.baselines);
  if (!b || typeof b.pcaDim !== 'number') return null;
  const raw = obj(b.raw);
  const skipped = typeof b.rawSkipped === 'string' ? b.rawSkipped : null;
  return { pcaDim: b.pcaDim, raw: raw ? flattenSplitMetrics('val', raw) : null, pca: flattenSplitMetrics('val', obj(b.pca)), rawSkipped: skipped };
}
