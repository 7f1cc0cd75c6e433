// Everything a study view says about its features beside the baselines, from stored attributes: the probe's
// setting, validation baselines at the chosen trial's code size, the verdict on test, and PCA at every code
// size (the latent-size trade-off). Shared by the CLI, the study service and the report.
import type { PcaAtSize } from '../../shared/dto';
import type { JsonValue } from '../../shared/json';
import type { ProbeSetting, TestVerdict } from '../../shared/verdict';
import { readStudyBaselines } from './storedBaselines';
import { baselinesOf, flattenSplitMetrics, latentSizeOf, probeSettingOf } from './storedMetrics';
import type { TrialAttributes } from '../study/attributes';
import { storedVerdict, type VerdictOptions } from './verdict';

export interface FeatureQuality {
  probeSetting: ProbeSetting | null;
  baselines: ReturnType<typeof baselinesOf>;
  verdict: TestVerdict | null;
  pcaBySize: PcaAtSize[];
}

export function pcaBySize(studyAttrs: Record<string, JsonValue>): PcaAtSize[] {
  return [...readStudyBaselines(studyAttrs).pca.entries()].map(([latentSize, b]) => ({
    latentSize,
    reconMse: b.valReconstructionMse,
    accuracy: flattenSplitMetrics('val', b.val).val_accuracy ?? null,
  }));
}

export function featureQuality(
  best: { id: number; number: number; params: Record<string, JsonValue> } | null,
  bestAttrs: Partial<TrialAttributes>,
  studyAttrs: Record<string, JsonValue>,
  opts: VerdictOptions = {},
): FeatureQuality {
  const latent = best ? latentSizeOf(best.params, bestAttrs) : null;
  return {
    probeSetting: probeSettingOf(bestAttrs.evaluation),
    baselines: baselinesOf(studyAttrs, latent),
    verdict: best && latent !== null ? storedVerdict({ id: best.id, number: best.number, latentSize: latent }, bestAttrs, studyAttrs, opts) : null,
    pcaBySize: pcaBySize(studyAttrs),
  };
}
