// The artifact layout: where a trial's stored files live and what they are called. Files belong to the database
// that wrote them: each database has its own folder (named by the random id in its meta table), every trial
// folder is created new (never reused) with an owner.json naming its database and trial, and files are read
// back only after that ownership is checked. Storage-agnostic: SQLite and PostgreSQL databases alike.
//
//   <data folder>/artifacts/db-<database id>/trial-<trial id>/   this layout (owner.json + the files below)
//   <data folder>/artifacts/trial-<trial id>/                     the old layout, shared by every database of
//                                                                 the data folder: read only, checked by manifest
import fs from 'node:fs';
import path from 'node:path';
import { AppError, type ParamsArg } from '../../shared/errors';
import { writeError } from '../export/atomic';
import type { Storage, TrialRecord } from './types';

/** Every file a finished trial may keep, by role. */
export const ARTIFACT_FILES = {
  /** tfjs LayersModel topology of the encoder. */
  model: 'model.json',
  /** The encoder's weights (tfjs binary). */
  weights: 'weights.bin',
  /** What only training knows: preprocessing, parameters, epochs, backend (export/manifest.ts TrainingRecord). */
  training: 'training.json',
  /** The old layout's record (before training.json): read only, to check who wrote an old folder. */
  legacyManifest: 'manifest.json',
  /** file,label,z_0..z_{k-1} for every image. */
  features: 'features.csv',
  /** Validation codes for latent-space plots. */
  latents: 'latents.json',
  /** The last reconstructions of a fixed validation sample. */
  reconstructions: 'reconstructions.json',
  /** The latent explorer's data for the rows of latents.json: files, reconstruction errors, probe predictions. */
  points: 'points.json',
  /** Thumbnails of the rows of latents.json, original then reconstruction, uint8 (StoredPoints gives the shape). */
  pointImages: 'points.bin',
  /** Which database and trial the folder belongs to. */
  owner: 'owner.json',
} as const;

export type ArtifactName = keyof typeof ARTIFACT_FILES;

const who = (t: TrialRecord): { number: number; study: string } => ({ number: t.number, study: t.studyName });

/** latents.json: the validation codes (up to a limit) with their class names, for latent-space plots. */
export interface StoredLatents {
  latentSize: number;
  codes: number[][];
  labels: Array<string | null>;
}

/**
 * points.json: what the latent explorer shows per code of latents.json (same rows, same order). points.bin
 * holds, per row, the original's thumbnail then the reconstruction's, each thumbWidth x thumbHeight x channels
 * bytes (NHWC).
 */
export interface StoredPoints {
  format: 'latent-lab-points';
  formatVersion: 1;
  /** Dataset-relative file of each row. */
  files: string[];
  /** Per-row reconstruction MSE (pixels in [0, 1]). */
  errors: number[];
  /** The probe's predicted class name per row; null for an unlabeled image or without a probe. */
  predicted: Array<string | null> | null;
  thumbWidth: number;
  thumbHeight: number;
  channels: number;
}

export interface ArtifactOwner {
  format: 'latent-lab-trial-artifacts';
  database: string;
  trialId: number;
  study: string;
  number: number;
  createdAt: string;
}

/**
 * ARTIFACTS_GONE: the trial's folder is missing; ARTIFACTS_NOT_OWNED: it belongs to another database or
 * trial; ARTIFACTS_EXIST: a new trial's folder is taken; NO_LATENTS / NO_RECONSTRUCTIONS / ARTIFACT_MISSING:
 * one file was never written.
 */
export type ArtifactErrorCode = 'ARTIFACTS_GONE' | 'ARTIFACTS_NOT_OWNED' | 'ARTIFACTS_EXIST' | 'NO_LATENTS' | 'NO_RECONSTRUCTIONS' | 'NO_EXPLORER_DATA' | 'ARTIFACT_MISSING';

export class ArtifactError<C extends ArtifactErrorCode = ArtifactErrorCode> extends AppError<C> {
  constructor(code: C, ...params: ParamsArg<C>) {
    super(code, ...params);
    this.name = 'ArtifactError';
  }
}

/** One database's artifact folder inside a data folder's artifacts root. */
export const databaseArtifactsDir = (artifactsRoot: string, databaseId: string): string => path.join(artifactsRoot, `db-${databaseId}`);

export const trialArtifactsDir = (artifactsRoot: string, databaseId: string, trialId: number): string =>
  path.join(databaseArtifactsDir(artifactsRoot, databaseId), `trial-${trialId}`);

/** Where the old layout kept a trial's files (shared by all databases of a data folder). */
export const legacyTrialArtifactsDir = (artifactsRoot: string, trialId: number): string => path.join(artifactsRoot, `trial-${trialId}`);

/** A trial's folder: its files by role. */
export interface TrialArtifacts {
  dir: string;
  file(name: ArtifactName): string;
  has(name: ArtifactName): boolean;
}

export function artifactsIn(dir: string): TrialArtifacts {
  return {
    dir,
    file: (name) => path.join(dir, ARTIFACT_FILES[name]),
    has: (name) => fs.existsSync(path.join(dir, ARTIFACT_FILES[name])),
  };
}

const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/**
 * Creates the folder of a trial about to write its files, with its owner.json. A folder that exists already is
 * never written into (it belongs to something else, e.g. a copy of this database): ArtifactError('EXISTS').
 */
export function createTrialArtifacts(artifactsRoot: string, storage: Storage, trial: TrialRecord): TrialArtifacts {
  const dir = trialArtifactsDir(artifactsRoot, storage.databaseId, trial.id);
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw new ArtifactError('ARTIFACTS_EXIST', { folder: dir, ...who(trial) });
    throw writeError(dir, err);
  }
  const owner: ArtifactOwner = {
    format: 'latent-lab-trial-artifacts',
    database: storage.databaseId,
    trialId: trial.id,
    study: trial.studyName,
    number: trial.number,
    createdAt: new Date().toISOString(),
  };
  const artifacts = artifactsIn(dir);
  fs.writeFileSync(artifacts.file('owner'), JSON.stringify(owner, null, 2), { flag: 'wx' });
  return artifacts;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why the folder is not this trial's own, or null when it is. */
function ownershipProblem(storage: Storage, trial: TrialRecord, a: TrialArtifacts): string | null {
  const owner = readJson(a.file('owner'));
  if (owner) {
    if (owner.database !== storage.databaseId) return `it belongs to another trial database (id ${String(owner.database)}, this one is ${storage.databaseId})`;
    if (owner.trialId !== trial.id) return `it belongs to trial id ${String(owner.trialId)}`;
    return null;
  }
  // The old layout: no owner.json. Its manifest names the trial, and was written while the trial ran; another
  // database's trial with the same id (the reason for the new layout) shows up as a different study, number
  // or time.
  const manifest = readJson(a.file('legacyManifest'));
  const t = manifest?.trial as { id?: unknown; study?: unknown; number?: unknown } | undefined;
  if (!manifest || !t) return 'it has neither an owner.json nor a manifest.json';
  if (t.id !== trial.id || t.study !== trial.studyName || t.number !== trial.number) {
    return `its manifest names trial ${String(t.id)} (${String(t.study)} #${String(t.number)}), written by another database in the same data folder`;
  }
  const written = Date.parse(String(manifest.createdAt));
  const from = trial.startedAt ? Date.parse(trial.startedAt) : Number.NaN;
  const to = trial.finishedAt ? Date.parse(trial.finishedAt) : Number.NaN;
  if (Number.isFinite(from) && Number.isFinite(to) && (!(written >= from - 1000) || !(written <= to + 1000))) {
    return `its manifest was written at ${String(manifest.createdAt)}, outside the time this trial ran: another database's trial overwrote it`;
  }
  return null;
}

/**
 * A stored trial's files, read back only through the database that owns them. `artifactsRoot` (the data
 * folder's artifacts/) finds the folder again when the data folder was moved. Throws ArtifactError.
 */
export function trialArtifacts(storage: Storage, trial: TrialRecord, artifactsRoot?: string): TrialArtifacts {
  const candidates = [
    trial.artifactDir,
    artifactsRoot ? trialArtifactsDir(artifactsRoot, storage.databaseId, trial.id) : null,
  ].filter((d): d is string => d !== null);
  const dir = candidates.find((d) => fs.existsSync(d));
  if (!dir) throw new ArtifactError('ARTIFACTS_GONE', { folder: trial.artifactDir ?? candidates[0] ?? '(none)', ...who(trial) });
  const artifacts = artifactsIn(dir);
  const problem = ownershipProblem(storage, trial, artifacts);
  if (problem) throw new ArtifactError('ARTIFACTS_NOT_OWNED', { folder: dir, problem, ...who(trial) });
  return artifacts;
}

/** Reads one of a trial's stored files, checked for ownership; NOT_AVAILABLE when it was never written. */
export function readTrialArtifact(storage: Storage, trial: TrialRecord, name: ArtifactName, artifactsRoot?: string): Buffer {
  const missing = (folder: string): ArtifactError =>
    name === 'latents'
      ? new ArtifactError('NO_LATENTS', { trialId: trial.id })
      : name === 'reconstructions'
        ? new ArtifactError('NO_RECONSTRUCTIONS', { trialId: trial.id })
        : name === 'points' || name === 'pointImages'
          ? new ArtifactError('NO_EXPLORER_DATA', { trialId: trial.id })
          : new ArtifactError('ARTIFACT_MISSING', { file: ARTIFACT_FILES[name], folder });
  if (!trial.artifactDir) throw missing('(none: only COMPLETE trials keep files)');
  const a = trialArtifacts(storage, trial, artifactsRoot);
  if (!a.has(name)) throw missing(a.dir);
  return fs.readFileSync(a.file(name));
}
