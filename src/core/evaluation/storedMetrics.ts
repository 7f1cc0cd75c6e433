// Flattens typed evaluation attributes (study/attributes.ts) into the contract's metric maps. Numbers that
// were not finite come back from storage as null, so each one is still checked on the way out.
import type { TrialEvaluation } from './objectives';
import { studyAttributesOf, type SplitMetrics, type TrialAttributes } from '../study/attributes';
import type { JsonValue } from '../../shared/json';
import { ProbeSetting } from '../../shared/verdict';
import { readStudyBaselines } from './storedBaselines';

type Flat = Record<string, number | null>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The classification and regression metrics of one split (a stored split, a baseline's, or a trial's evaluation). */
type SplitLike = Partial<SplitMetrics>;

/** {classification, regression} of one split -> {prefix_accuracy, ...}. */
export function flattenSplitMetrics(prefix: string, split: SplitLike | null | undefined): Flat {
  const out: Flat = {};
  const c = split?.classification;
  if (c) {
    out[`${prefix}_accuracy`] = num(c.accuracy);
    out[`${prefix}_balanced_accuracy`] = num(c.balancedAccuracy);
    out[`${prefix}_f1_macro`] = num(c.f1Macro);
    out[`${prefix}_f1_weighted`] = num(c.f1Weighted);
    out[`${prefix}_precision_macro`] = num(c.precisionMacro);
    out[`${prefix}_recall_macro`] = num(c.recallMacro);
    out[`${prefix}_roc_auc`] = num(c.rocAuc);
  }
  const r = split?.regression;
  if (r) {
    out[`${prefix}_r2`] = num(r.r2);
    out[`${prefix}_mse_target`] = num(r.mse);
    out[`${prefix}_mae_target`] = num(r.mae);
  }
  return out;
}

/** The probe's C or k as used for the trial (from its evaluation), when kept. */
export function probeSettingOf(evaluation: TrialEvaluation | undefined): ProbeSetting | null {
  // Checked again: an older version stored a different shape here.
  const r = ProbeSetting.safeParse(evaluation?.probe);
  return r.success ? r.data : null;
}

/** A trial's code size: its full parameters or, failing that, the sampled ones. */
export function latentSizeOf(sampled: Record<string, JsonValue>, attrs: Partial<TrialAttributes>): number | null {
  const v = attrs.params?.latentSize ?? sampled.latentSize;
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

/** Validation metrics from the trial's evaluation. */
export function validationMetrics(evaluation: TrialEvaluation | undefined): Flat {
  if (!evaluation) return {};
  return { val_recon_mse: num(evaluation.recon.mse), ...flattenSplitMetrics('val', evaluation) };
}

export function confusionOf(split: SplitLike | null | undefined, classes: string[]): { classes: string[]; matrix: number[][] } | null {
  const c = split?.classification;
  if (!c || !Array.isArray(c.confusionMatrix)) return null;
  const labels = Array.isArray(c.labels) ? c.labels : [];
  return { classes: labels.map((l) => classes[l] ?? String(l)), matrix: c.confusionMatrix };
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
    const raw = stored.raw ? flattenSplitMetrics('val', stored.raw.val) : null;
    return { pcaDim: pca.dim, raw, pca: flattenSplitMetrics('val', pca.val), rawSkipped: stored.rawSkipped };
  }
  const legacy = studyAttributesOf(studyAttrs).baselines;
  if (!legacy) return null;
  return {
    pcaDim: legacy.pcaDim,
    raw: legacy.raw ? flattenSplitMetrics('val', legacy.raw) : null,
    pca: flattenSplitMetrics('val', legacy.pca),
    rawSkipped: legacy.rawSkipped ?? null,
  };
}
