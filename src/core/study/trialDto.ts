// Storage records -> contract DTOs.
import { readParams } from '../../shared/study/autoencoder';
import { parseStudySpec } from '../../shared/study/spec';
import { paramsFromSample, trialBaseOf } from '../../shared/study/templates';
import { DEFAULT_PARAMS, type AutoencoderParams as AutoencoderParamsValue, type EpochMetrics, type TrialDetail, type TrialSummary } from '../../shared/dto';
import type { JsonValue, Storage, TrialRecord } from '../storage/types';
import { confusionOf, validationMetrics } from '../evaluation/storedMetrics';
import { storedParamsAttribute, trialAttributesOf } from './attributes';

/** The configuration a trial trained with, or (params null) why this version cannot read it. */
export type StoredConfiguration = { params: AutoencoderParamsValue; problem: null } | { params: null; problem: string };

/**
 * Study trials keep their configuration resolved in the 'params' attribute (their own params are only the
 * searched ones), manual ones in their params. One a newer version wrote (a value or an option this one does
 * not know) or a hand edit is not readable: that is said, never replaced by defaults. `rawAttrs` are the
 * trial's attributes as stored (storage.getTrialAttrs), so a malformed 'params' attribute is seen as one.
 */
function storedTrialConfiguration(t: TrialRecord, rawAttrs: Readonly<Record<string, JsonValue>>): StoredConfiguration {
  const stored = storedParamsAttribute(rawAttrs);
  if (stored === 'malformed') return { params: null, problem: 'the stored configuration is not a set of named parameters' };
  const read = readParams({ ...DEFAULT_PARAMS, ...(stored ?? t.params) });
  if (read.ok) return { params: read.params, problem: null };
  return { params: null, problem: read.field ? `${read.field}: ${read.message}` : read.message };
}

/**
 * storedTrialConfiguration, and for a study trial that has not stored its resolved configuration (waiting, or
 * failed before training) the one its trainer resolves: its searched params on the study's base (image size,
 * channels, validation share, seed; hidden widths from depth, width and shrink), not on DEFAULT_PARAMS' base.
 */
export async function trialConfiguration(storage: Storage, t: TrialRecord, rawAttrs: Readonly<Record<string, JsonValue>>): Promise<StoredConfiguration> {
  if (storedParamsAttribute(rawAttrs) !== undefined) return storedTrialConfiguration(t, rawAttrs);
  const study = await storage.getStudyById(t.studyId);
  if (study?.kind !== 'search') return storedTrialConfiguration(t, rawAttrs); // manual and refit trials store all
  const spec = parseStudySpec(study.spec);
  if (!spec.ok) return { params: null, problem: `its study's spec cannot be read here (${spec.errors[0] ?? 'invalid'})` };
  try {
    return { params: paramsFromSample(t.params, trialBaseOf(spec.spec)), problem: null };
  } catch (err) {
    return { params: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

/** `rawAttrs`: the trial's stored attributes when the caller has read them already. */
export async function toTrialSummary(storage: Storage, t: TrialRecord, rawAttrs?: Record<string, JsonValue>): Promise<TrialSummary> {
  const raw = rawAttrs ?? (await storage.getTrialAttrs(t.id));
  const attrs = trialAttributesOf(raw);
  const configuration = await trialConfiguration(storage, t, raw);
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
    params: configuration.params,
    paramsProblem: configuration.problem,
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
  const raw = await storage.getTrialAttrs(t.id);
  const attrs = trialAttributesOf(raw);
  return {
    ...(await toTrialSummary(storage, t, raw)),
    epochs: await trialEpochs(storage, t.id),
    versions: attrs.versions ?? {},
    artifactDir: t.artifactDir,
    confusion: confusionOf(attrs.evaluation, attrs.classes ?? []),
  };
}
