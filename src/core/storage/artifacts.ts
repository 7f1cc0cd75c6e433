// The artifact layout: where a trial's stored files live and what they are called. Files belong to the database
// that wrote them: each database has its own folder (named by the random id in its meta table), every trial
// folder is created new (never reused) with an owner.json naming its database and trial, and files are read
// back only after that ownership is checked. Storage-agnostic: SQLite and PostgreSQL databases alike.
//
//   <data folder>/artifacts/db-<database id>/trial-<trial id>/   this layout (owner.json + the files below)
//   <data folder>/artifacts/trial-<trial id>/                     the old layout, shared by every database of
//                                                                 the data folder: read only, checked by manifest
//
// A shared study database (PostgreSQL) also keeps each finished trial's files, gzip-compressed, up to a size
// cap (shareTrialArtifacts). On another machine, the first read of such a trial materialises them into the
// same per-database folder of that machine's data folder, checked the same way: every reader (dashboard,
// explorer, export, report, CLI) goes through trialArtifacts() below and never knows where the files came from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError, type ParamsArg } from '../../shared/errors';
import { readConfig, ENV_NAMES } from '../config';
import { writeError } from '../export/atomic';
import { readTrialAttributes, writeTrialAttributes } from '../study/attributes';
import type { ArtifactBlob, Storage, TrialRecord } from './types';

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
 * ARTIFACTS_GONE: the trial's folder is missing; ARTIFACTS_ON_OTHER_MACHINE: a shared trial's files were over
 * the cap and stay where it was trained; ARTIFACT_BLOB_DAMAGED: a stored copy does not unpack; ARTIFACTS_NOT_OWNED: it belongs to another database or
 * trial; ARTIFACTS_EXIST: a new trial's folder is taken; NO_LATENTS / NO_RECONSTRUCTIONS / ARTIFACT_MISSING:
 * one file was never written.
 */
export type ArtifactErrorCode =
  | 'ARTIFACTS_GONE'
  | 'ARTIFACTS_NOT_OWNED'
  | 'ARTIFACTS_EXIST'
  | 'ARTIFACTS_ON_OTHER_MACHINE'
  | 'ARTIFACT_BLOB_DAMAGED'
  | 'NO_LATENTS'
  | 'NO_RECONSTRUCTIONS'
  | 'NO_EXPLORER_DATA'
  | 'ARTIFACT_MISSING';

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
 * folder's artifacts/) finds the folder again when the data folder was moved, and is where a shared
 * database's copy of a trial trained on another machine is unpacked. Throws ArtifactError.
 */
export async function trialArtifacts(storage: Storage, trial: TrialRecord, artifactsRoot?: string): Promise<TrialArtifacts> {
  const here = artifactsRoot ? trialArtifactsDir(artifactsRoot, storage.databaseId, trial.id) : null;
  const candidates = [trial.artifactDir, here].filter((d): d is string => d !== null);
  let dir: string | null | undefined = candidates.find((d) => fs.existsSync(d));
  if (!dir && here && storage.artifactBlobs && trial.artifactDir) dir = await materialise(storage, trial, here);
  if (!dir) throw new ArtifactError('ARTIFACTS_GONE', { folder: trial.artifactDir ?? candidates[0] ?? '(none)', ...who(trial) });
  const artifacts = artifactsIn(dir);
  const problem = ownershipProblem(storage, trial, artifacts);
  if (problem) throw new ArtifactError('ARTIFACTS_NOT_OWNED', { folder: dir, problem, ...who(trial) });
  return artifacts;
}

/** Reads one of a trial's stored files, checked for ownership; NOT_AVAILABLE when it was never written. */
export async function readTrialArtifact(storage: Storage, trial: TrialRecord, name: ArtifactName, artifactsRoot?: string): Promise<Buffer> {
  const missing = (folder: string): ArtifactError =>
    name === 'latents'
      ? new ArtifactError('NO_LATENTS', { trialId: trial.id })
      : name === 'reconstructions'
        ? new ArtifactError('NO_RECONSTRUCTIONS', { trialId: trial.id })
        : name === 'points' || name === 'pointImages'
          ? new ArtifactError('NO_EXPLORER_DATA', { trialId: trial.id })
          : new ArtifactError('ARTIFACT_MISSING', { file: ARTIFACT_FILES[name], folder });
  if (!trial.artifactDir) throw missing('(none: only COMPLETE trials keep files)');
  const a = await trialArtifacts(storage, trial, artifactsRoot);
  if (!a.has(name)) throw missing(a.dir);
  return fs.readFileSync(a.file(name));
}

// ---- A shared study database's copy of the files ----

/** The files a shared database keeps of a trial (the old layout's manifest is never written any more). */
const SHARED_FILES = (Object.keys(ARTIFACT_FILES) as ArtifactName[]).filter((n) => n !== 'legacyManifest');
const fileNames = new Set<string>(SHARED_FILES.map((n) => ARTIFACT_FILES[n]));

/** Default cap on one trial's compressed files in a shared database (a small conv encoder with its codes is ~1-5 MB). */
export const DEFAULT_SHARED_ARTIFACT_MB = 64;

/** The cap in bytes, from LATENT_LAB_SHARED_ARTIFACT_MB (a positive number of MB) or the default. */
export function sharedArtifactCap(env: NodeJS.ProcessEnv = process.env): number {
  const raw = readConfig(env).sharedArtifactMb;
  if (raw === undefined) return DEFAULT_SHARED_ARTIFACT_MB * 2 ** 20;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`${ENV_NAMES.sharedArtifactMb}="${raw}" is not a size: give the cap per trial in MB, a positive number such as 64.`);
  return Math.round(mb * 2 ** 20);
}

export const describeSize = (bytes: number): string => (bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

/** What happened to a finished trial's files in a shared database. */
export type ShareOutcome = { stored: true; bytes: number } | { stored: false; bytes: number; cap: number; message: string };

/**
 * After a trial wrote its files: a database that keeps files (PostgreSQL) stores them compressed, so other
 * machines can read them. Over the cap they stay here only: the trial keeps its result, an attribute says
 * where the files are, and the returned message says so (never silently). Null for a local database.
 */
export async function shareTrialArtifacts(storage: Storage, trial: TrialRecord, artifacts: TrialArtifacts, cap = sharedArtifactCap()): Promise<ShareOutcome | null> {
  if (!storage.artifactBlobs) return null;
  const blobs: ArtifactBlob[] = [];
  for (const name of SHARED_FILES) {
    if (!artifacts.has(name)) continue;
    const data = fs.readFileSync(artifacts.file(name));
    blobs.push({ name: ARTIFACT_FILES[name], size: data.length, gzip: gzipSync(data) });
  }
  const bytes = blobs.reduce((sum, b) => sum + b.gzip.length, 0);
  if (bytes > cap) {
    const host = os.hostname();
    await writeTrialAttributes(storage, trial.id, { artifactsKeptOn: { host, folder: artifacts.dir, bytes, cap } });
    return {
      stored: false,
      bytes,
      cap,
      message:
        `Trial #${trial.number} of "${trial.studyName}": its files are ${describeSize(bytes)} compressed, over the ${describeSize(cap)} cap of the shared study database ` +
        `(${ENV_NAMES.sharedArtifactMb}); they stay on this machine (${host}, ${artifacts.dir}), and other machines cannot show or export this trial.`,
    };
  }
  await storage.artifactBlobs.putTrialBlobs(trial.id, blobs);
  return { stored: true, bytes };
}

/**
 * Unpacks a shared database's copy of a trial's files into `dir` (written beside it, then renamed: a reader
 * never sees half a folder). Every file is checked (gzip's CRC, its size, owner.json naming this trial) before
 * anything is written. Null when the database has no copy and nothing says where the files are.
 */
async function materialise(storage: Storage, trial: TrialRecord, dir: string): Promise<string | null> {
  const blobs = await (storage.artifactBlobs as NonNullable<Storage['artifactBlobs']>).getTrialBlobs(trial.id);
  if (blobs.length === 0) {
    const kept = (await readTrialAttributes(storage, trial.id)).artifactsKeptOn;
    if (kept) throw new ArtifactError('ARTIFACTS_ON_OTHER_MACHINE', { ...who(trial), host: kept.host, folder: kept.folder, size: describeSize(kept.bytes), cap: describeSize(kept.cap) });
    return null;
  }
  const damaged = (file: string, reason: string): ArtifactError => new ArtifactError('ARTIFACT_BLOB_DAMAGED', { file, reason, url: storage.path, ...who(trial) });
  const files = blobs.map((b) => {
    if (!fileNames.has(b.name)) throw damaged(b.name, 'not a file a trial keeps');
    let data: Buffer;
    try {
      data = gunzipSync(b.gzip);
    } catch (err) {
      throw damaged(b.name, (err as Error).message);
    }
    if (data.length !== b.size) throw damaged(b.name, `${data.length} bytes where ${b.size} were stored`);
    return { name: b.name, data };
  });
  const owner = files.find((f) => f.name === ARTIFACT_FILES.owner);
  let ownerJson: Partial<ArtifactOwner> | null = null;
  try {
    ownerJson = owner ? (JSON.parse(owner.data.toString('utf8')) as Partial<ArtifactOwner>) : null;
  } catch {
    ownerJson = null;
  }
  if (!ownerJson || ownerJson.database !== storage.databaseId || ownerJson.trialId !== trial.id) throw damaged(ARTIFACT_FILES.owner, 'it does not name this database and trial');
  const tmp = `${dir}.part-${process.pid}-${Date.now()}`;
  try {
    fs.mkdirSync(tmp, { recursive: true });
    for (const f of files) fs.writeFileSync(path.join(tmp, f.name), f.data, { flag: 'wx' });
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Another reader unpacked it first: that copy is as good (it is checked like any folder).
    if (fs.existsSync(dir)) return dir;
    throw writeError(dir, err);
  }
  return dir;
}
