// Storage records -> contract DTOs.
import { AutoencoderParams } from '../../shared/schemas';
import { DEFAULT_PARAMS, type EpochMetrics, type TrialDetail, type TrialSummary } from '../../shared/dto';
import type { Storage, TrialRecord } from '../../core/storage/types';
import { confusionOf, validationMetrics } from '../../core/evaluation/storedMetrics';

/** Study trials keep their resolved configuration in the 'params' attribute; manual ones in their params. */
function resolvedParams(storage: Storage, t: TrialRecord) {
  const stored = storage.getTrialAttrs(t.id).params;
  const raw = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : t.params;
  const parsed = AutoencoderParams.safeParse({ ...DEFAULT_PARAMS, ...raw });
  return parsed.success ? parsed.data : DEFAULT_PARAMS;
}

export function toTrialSummary(storage: Storage, t: TrialRecord): TrialSummary {
  const metrics = storage.getMetrics(t.id);
  const valLosses = metrics.map((m) => m.values.valLoss).filter((v): v is number => typeof v === 'number');
  return {
    id: t.id,
    studyId: t.studyId,
    studyName: t.studyName,
    number: t.number,
    state: t.state,
    failReason: t.failReason,
    createdAt: t.createdAt,
    finishedAt: t.finishedAt,
    datasetPath: t.datasetPath ?? '',
    params: resolvedParams(storage, t),
    searchParams: t.params,
    values: t.values,
    retryOf: t.retryOf,
    metrics: validationMetrics(storage.getTrialAttrs(t.id).evaluation),
    seed: t.seed ?? 0,
    backend: t.backend,
    epochsDone: metrics.length,
    bestValLoss: valLosses.length ? Math.min(...valLosses) : null,
  };
}

export function trialEpochs(storage: Storage, trialId: number): EpochMetrics[] {
  return storage.getMetrics(trialId).map((m) => ({
    epoch: m.step,
    trainLoss: m.values.trainLoss ?? Number.NaN,
    valLoss: m.values.valLoss ?? Number.NaN,
    valMse: m.values.valMse ?? undefined,
    seconds: m.values.seconds ?? 0,
    samplesPerSec: m.values.samplesPerSec ?? 0,
  }));
}

export function toTrialDetail(storage: Storage, t: TrialRecord): TrialDetail {
  const attrs = storage.getTrialAttrs(t.id);
  const versions: Record<string, string> = {};
  if (attrs.versions && typeof attrs.versions === 'object' && !Array.isArray(attrs.versions)) {
    for (const [k, v] of Object.entries(attrs.versions)) versions[k] = String(v);
  }
  return {
    ...toTrialSummary(storage, t),
    epochs: trialEpochs(storage, t.id),
    versions,
    artifactDir: t.artifactDir,
    confusion: confusionOf(attrs.evaluation, Array.isArray(attrs.classes) ? (attrs.classes as string[]) : []),
  };
}
