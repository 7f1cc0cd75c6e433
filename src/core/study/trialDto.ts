// Storage records -> contract DTOs.
import { AutoencoderParams } from '../../shared/schemas';
import { DEFAULT_PARAMS, type AutoencoderParams as AutoencoderParamsValue, type EpochMetrics, type TrialDetail, type TrialSummary } from '../../shared/dto';
import type { Storage, TrialRecord } from '../storage/types';
import { confusionOf, validationMetrics } from '../evaluation/storedMetrics';
import { readTrialAttributes, type TrialAttributes } from './attributes';

/**
 * The configuration a trial trained with: study trials keep it resolved in the 'params' attribute (their own
 * params are only the searched ones), manual ones in their params. Null when this version cannot read it.
 */
export function storedTrialParams(t: TrialRecord, attrs: Partial<TrialAttributes>): AutoencoderParamsValue | null {
  const parsed = AutoencoderParams.safeParse({ ...DEFAULT_PARAMS, ...(attrs.params ?? t.params) });
  return parsed.success ? parsed.data : null;
}

function resolvedParams(t: TrialRecord, attrs: Partial<TrialAttributes>) {
  return storedTrialParams(t, attrs) ?? DEFAULT_PARAMS;
}

export async function toTrialSummary(storage: Storage, t: TrialRecord, known?: Partial<TrialAttributes>): Promise<TrialSummary> {
  const attrs = known ?? (await readTrialAttributes(storage, t.id));
  const metrics = await storage.getMetrics(t.id);
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
    params: resolvedParams(t, attrs),
    searchParams: t.params,
    values: t.values,
    retryOf: t.retryOf,
    metrics: validationMetrics(attrs.evaluation),
    seed: t.seed ?? 0,
    backend: t.backend,
    epochsDone: metrics.length,
    bestValLoss: valLosses.length ? Math.min(...valLosses) : null,
    startedAt: t.startedAt,
    worker: t.owner ? `${t.owner.host}:${t.owner.pid}` : null,
    note: attrs.note ?? '',
    tags: attrs.tags ?? [],
  };
}

export async function trialEpochs(storage: Storage, trialId: number): Promise<EpochMetrics[]> {
  return (await storage.getMetrics(trialId)).map((m) => ({
    epoch: m.step,
    trainLoss: m.values.trainLoss ?? Number.NaN,
    valLoss: m.values.valLoss ?? Number.NaN,
    valMse: m.values.valMse ?? undefined,
    intermediate: m.values.intermediate ?? undefined,
    seconds: m.values.seconds ?? 0,
    samplesPerSec: m.values.samplesPerSec ?? 0,
  }));
}

export async function toTrialDetail(storage: Storage, t: TrialRecord): Promise<TrialDetail> {
  const attrs = await readTrialAttributes(storage, t.id);
  return {
    ...(await toTrialSummary(storage, t, attrs)),
    epochs: await trialEpochs(storage, t.id),
    versions: attrs.versions ?? {},
    artifactDir: t.artifactDir,
    confusion: confusionOf(attrs.evaluation, attrs.classes ?? []),
  };
}
