// The named attributes stored with trials and studies, typed in one place: writers and readers go through here
// instead of passing `as unknown as JsonValue` back and forth. Reading checks each value's shape, so a missing
// or odd attribute (an older version's trial) reads as absent rather than as a wrong type.
import type { AutoencoderParams, RefitOf } from '../../shared/dto';
import { RefitOf as RefitOfSchema } from '../../shared/schemas';
import type { ClassificationMetrics, RegressionMetrics } from '../evaluation/metrics';
import type { TrialEvaluation } from '../evaluation/objectives';
import { readTestPredictions, type TestPredictions } from '../evaluation/storedBaselines';
import type { JsonValue, Storage } from '../storage/types';
import { isFolderFingerprint, type FolderFingerprint } from '../data/folderFingerprint';

/** Metrics of one split; numbers that were not finite are stored (and read back) as null. */
export interface SplitMetrics {
  classification: ClassificationMetrics | null;
  regression: RegressionMetrics | null;
}

export interface TrialAttributes {
  /** App, tfjs, backend, Node, platform (and Electron) versions the trial ran with. */
  versions: Record<string, string>;
  /** The backend in use and why faster ones were skipped. */
  backendNote: string;
  /** Class names of the dataset, indexed by label. */
  classes: string[];
  /** Reconstruction and downstream metrics on the validation split. */
  evaluation: TrialEvaluation;
  /** The same on the test split: shown only for a study's chosen trial. */
  testMetrics: SplitMetrics;
  evaluationNotes: string[];
  /** Test-split predictions by dataset index (stored under TEST_PREDICTIONS_KEY), so the verdict pairs the trial with a baseline image by image. */
  testPredictions: TestPredictions;
  /** A study trial's full configuration, resolved from its sampled parameters. */
  params: AutoencoderParams;
  /** The user's note on the trial (trials.annotate). */
  note: string;
  /** The user's tags on the trial. */
  tags: string[];
  /** A shared study's trial whose files were over the database's size cap: they stay on the machine that trained it. */
  artifactsKeptOn: ArtifactsKeptOn;
  /** A refit trial's origin: the study and trial whose configuration it trained on training + validation images. */
  refitOf: RefitOf;
}

export interface ArtifactsKeptOn {
  host: string;
  folder: string;
  /** Compressed bytes of the trial's files, and the cap they were over. */
  bytes: number;
  cap: number;
}

/**
 * The one pair of baselines (raw pixels, PCA at one size) that studies kept before per-size baselines
 * (evaluation/storedBaselines.ts): read for those studies, no longer written by the engine.
 */
export interface LegacyStudyBaselines {
  pcaDim: number;
  pcaExplainedVariance: number;
  pcaReconstructionMse: number;
  pca: { classification: ClassificationMetrics };
  raw: { classification: ClassificationMetrics } | null;
  rawSkipped: string | null;
}

export interface StudyAttributes {
  baselines: LegacyStudyBaselines;
  /** The study's images as the first worker saw them: other machines check their copy against it. */
  datasetFingerprint: FolderFingerprint;
}

type JsonObject = { [key: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: JsonValue | undefined): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Shape checks per attribute: enough to trust the fields readers use (their numbers may be null). */
const trialChecks: { [K in keyof TrialAttributes]: (v: JsonValue) => boolean } = {
  versions: (v) => isObject(v) && Object.values(v).every((x) => typeof x === 'string'),
  backendNote: (v) => typeof v === 'string',
  classes: isStringArray,
  evaluation: (v) => isObject(v) && isObject(v.recon),
  testMetrics: (v) => isObject(v) && ('classification' in v || 'regression' in v),
  evaluationNotes: isStringArray,
  testPredictions: (v) => readTestPredictions(v) !== null,
  params: isObject,
  note: (v) => typeof v === 'string',
  tags: isStringArray,
  artifactsKeptOn: (v) => isObject(v) && typeof v.host === 'string' && typeof v.folder === 'string' && typeof v.bytes === 'number' && typeof v.cap === 'number',
  refitOf: (v) => RefitOfSchema.safeParse(v).success,
};

const studyChecks: { [K in keyof StudyAttributes]: (v: JsonValue) => boolean } = {
  baselines: (v) => isObject(v) && typeof v.pcaDim === 'number' && isObject(v.pca),
  datasetFingerprint: isFolderFingerprint,
};

// The one place stored JSON becomes typed values (after the shape checks above) and back.
const toJson = (v: unknown): JsonValue => v as JsonValue;

/** The attributes that are present and pass their check, typed. */
function checked<T>(raw: Record<string, JsonValue>, checks: { [K in keyof T]: (v: JsonValue) => boolean }): Partial<T> {
  const out: Partial<Record<keyof T, unknown>> = {};
  for (const key of Object.keys(checks) as Array<keyof T & string>) {
    const v = raw[key];
    if (v !== undefined && checks[key](v)) out[key] = v;
  }
  return out as Partial<T>;
}

export async function writeTrialAttributes(storage: Storage, trialId: number, attrs: Partial<TrialAttributes>): Promise<void> {
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined) await storage.setTrialAttr(trialId, key, toJson(value));
}

/** The named trial attributes among stored ones that are present and well-formed. */
export function trialAttributesOf(raw: Record<string, JsonValue>): Partial<TrialAttributes> {
  return checked<TrialAttributes>(raw, trialChecks);
}

/**
 * A trial's stored configuration (the 'params' attribute) before its values are read: the object, 'malformed'
 * when it is something else (a hand edit), undefined when absent. trialDto.trialConfiguration reads the
 * values and says what this version cannot read; a malformed one must say so too, not read as absent.
 */
export function storedParamsAttribute(raw: Readonly<Record<string, JsonValue>>): JsonObject | 'malformed' | undefined {
  const v = raw.params;
  if (v === undefined) return undefined;
  return isObject(v) ? v : 'malformed';
}

/** A trial's attributes that are present and well-formed. */
export async function readTrialAttributes(storage: Storage, trialId: number): Promise<Partial<TrialAttributes>> {
  return trialAttributesOf(await storage.getTrialAttrs(trialId));
}

export async function writeStudyAttributes(storage: Storage, studyId: number, attrs: Partial<StudyAttributes>): Promise<void> {
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined) await storage.setStudyAttr(studyId, key, toJson(value));
}

/** The named study attributes among stored ones that are present and well-formed. */
export function studyAttributesOf(raw: Record<string, JsonValue>): Partial<StudyAttributes> {
  return checked<StudyAttributes>(raw, studyChecks);
}

export async function readStudyAttributes(storage: Storage, studyId: number): Promise<Partial<StudyAttributes>> {
  return studyAttributesOf(await storage.getStudyAttrs(studyId));
}
