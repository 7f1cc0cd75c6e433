import type { TrialState } from '../../shared/dto';
import { AppError, type ParamsArg } from '../../shared/errors';
import type { JsonValue } from '../../shared/json';
import type { Direction } from '../../shared/study/objectives';
import type { FrozenTrial } from '../search/types';

export type { JsonValue };

export interface StudyRecord {
  id: number;
  name: string;
  kind: string;
  directions: Direction[];
  spec: JsonValue | null;
  createdAt: string;
}

/**
 * The process that runs a trial: host name, process id and a stamp of the process's start time (see
 * study/trialOwner.ts), so a process on the same host can tell whether the owner is still alive.
 */
export interface TrialOwner {
  host: string;
  pid: number;
  start: string;
}

export interface TrialRecord {
  id: number;
  studyId: number;
  studyName: string;
  number: number;
  state: TrialState;
  failReason: string | null;
  seed: number | null;
  backend: string | null;
  datasetPath: string | null;
  artifactDir: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  /** The trial this one retries (after a stale or crashed run), if any. */
  retryOf: number | null;
  /** Who runs (or last ran) it; null for WAITING trials and trials stored before owners were recorded. */
  owner: TrialOwner | null;
  params: Record<string, JsonValue>;
  values: Array<number | null>;
}

export interface NewTrial {
  state: TrialState;
  params: Record<string, JsonValue>;
  seed: number | null;
  datasetPath: string | null;
  retryOf?: number | null;
  /** The process that runs it, for a trial created RUNNING. */
  owner?: TrialOwner | null;
}

export interface TrialUpdate {
  backend?: string;
  artifactDir?: string;
  startedAt?: string;
  owner?: TrialOwner;
}

/** Per-step metrics of one trial: step -> metric name -> value. */
export type MetricSeries = Array<{ step: number; values: Record<string, number | null> }>;

/** One of a trial's stored files as a database keeps it: gzip-compressed, with its uncompressed size. */
export interface ArtifactBlob {
  name: string;
  size: number;
  gzip: Buffer;
}

/**
 * A database that keeps finished trials' files itself (PostgreSQL), so machines other than the one that
 * trained a trial can show and export it. storage/artifacts.ts is its only user.
 */
export interface ArtifactBlobStore {
  /** Stores a trial's files in one transaction; a trial's files are stored once (a second time is an error). */
  putTrialBlobs(trialId: number, blobs: ArtifactBlob[]): Promise<void>;
  getTrialBlobs(trialId: number): Promise<ArtifactBlob[]>;
  /** Of the given trials, those that have stored files. */
  trialsWithBlobs(trialIds: number[]): Promise<Set<number>>;
}

/** The trial attribute a running trial's live reconstructions are kept under (no named attribute has a dot). */
export const LIVE_RECONSTRUCTIONS_KEY = 'live.reconstructions';

/**
 * What a window watching a trial that another process runs sees of it beyond its epochs: its newest
 * reconstructions, replaced as they come and dropped when the trial leaves RUNNING. Kept as one trial attribute
 * under LIVE_RECONSTRUCTIONS_KEY (study/attributes.ts reads only its named ones), so no schema change locks
 * out older workers. The app's own trainers tell it directly; this is for a worker on another machine
 * (PostgreSQL) or a `latent-lab search` in a terminal on the same file (SQLite).
 */
export interface LiveViewStore {
  /** Replaces the running trial's reconstructions (PNG data URLs) and tells the watchers; ignored once the trial has left RUNNING. */
  putReconstructions(trialId: number, reconstructions: JsonValue): Promise<void>;
  /** The newest ones stored, or null (not yet, or the trial is no longer running). */
  getReconstructions(trialId: number): Promise<JsonValue | null>;
}

/**
 * The trial database. Only the runner (trainer) and the supervisor write; samplers and the UI read.
 * Asynchronous because a database server (PostgreSQL) answers over the network; SQLite and memory answer at
 * once underneath (their promises are already settled), so they keep their speed.
 */
export interface Storage {
  /** Where the database is: a file path, ':memory:', or a URL with its password masked. */
  readonly path: string;
  /** A random id given to the database when it was created; artifact folders are named by it. */
  readonly databaseId: string;
  /** Present when the database itself keeps trials' files (a shared study database); absent for local ones. */
  readonly artifactBlobs?: ArtifactBlobStore;
  /** The live view of running trials for windows other than their trainers' (absent in a memory database). */
  readonly liveViews?: LiveViewStore;
  getOrCreateStudy(name: string, kind: string, directions?: StudyRecord['directions']): Promise<StudyRecord>;
  /** Creates a study; a StorageError('STUDY_EXISTS') if the name is taken, so a study is never duplicated. */
  createStudy(name: string, kind: string, directions: StudyRecord['directions'], spec: JsonValue): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | null>;
  getStudyById(id: number): Promise<StudyRecord | null>;
  listStudies(): Promise<StudyRecord[]>;
  setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  getStudyAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord>;
  /** Atomically takes the oldest WAITING trial of a study and marks it RUNNING, owned by `owner`. */
  claimWaitingTrial(studyId: number, owner: TrialOwner): Promise<TrialRecord | null>;
  /** A study's trials as samplers and pruners see them, in number order. */
  getFrozenTrials(studyId: number): Promise<FrozenTrial[]>;
  /**
   * Runs fn in one write transaction that other processes (and other machines) wait for: ask = read history +
   * insert. fn must do its reads and writes through `tx` (the transaction's own view of the database). With a
   * `studyId`, only that study is locked (its row); without, the whole database.
   */
  exclusive<T>(fn: (tx: Storage) => Promise<T>, lock?: { studyId: number }): Promise<T>;
  /** The database's clock, in ms since 1970: heartbeats are compared with it, never with a worker's clock. */
  clock(): Promise<number>;
  getTrial(trialId: number): Promise<TrialRecord | null>;
  listTrials(filter?: { studyId?: number; states?: TrialState[] }): Promise<TrialRecord[]>;
  /** Changes state; finished states record finished_at, a failure records its reason. */
  setTrialState(trialId: number, state: TrialState, failReason?: string | null): Promise<void>;
  updateTrial(trialId: number, fields: TrialUpdate): Promise<void>;
  heartbeat(trialId: number): Promise<void>;
  setTrialAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  getTrialAttrs(trialId: number): Promise<Record<string, JsonValue>>;
  /** Stores the metrics of one step (epoch) atomically; `intermediate` is the value a pruner sees. */
  reportStep(trialId: number, step: number, metrics: Record<string, number>, intermediate?: number): Promise<void>;
  getMetrics(trialId: number): Promise<MetricSeries>;
  setTrialValues(trialId: number, values: Array<number | null>): Promise<void>;
  close(): Promise<void>;
}

/**
 * DB_MISSING: no database where one must exist; DB_EMPTY / DB_NOT_SQLITE / DB_TRUNCATED / DB_DAMAGED: a file
 * that is not (or no longer) a usable database; DB_IS_FOLDER / DB_READONLY: the wrong kind of path; DB_NEWER:
 * a newer schema; DB_OPEN / DB_WRITE: other failures; BACKUP_*: `db backup`.
 */
export type StorageErrorCode =
  | 'DB_OPEN'
  | 'DB_MISSING'
  | 'DB_EMPTY'
  | 'DB_NOT_SQLITE'
  | 'DB_TRUNCATED'
  | 'DB_DAMAGED'
  | 'DB_IS_FOLDER'
  | 'DB_READONLY'
  | 'DB_NEWER'
  | 'DB_WRITE'
  | 'DB_URL_INVALID'
  | 'DB_SERVER_UNREACHABLE'
  | 'DB_SERVER_REFUSED'
  | 'DB_SERVER_NEWER'
  | 'TRIAL_NOT_FOUND'
  | 'STUDY_EXISTS'
  | 'BACKUP_EXISTS'
  | 'BACKUP_FOLDER_MISSING'
  | 'BACKUP_CHECK_FAILED';

export class StorageError<C extends StorageErrorCode = StorageErrorCode> extends AppError<C> {
  constructor(code: C, ...params: ParamsArg<C>) {
    super(code, ...params);
    this.name = 'StorageError';
  }
}
