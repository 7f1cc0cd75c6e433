// The Storage contract over one better-sqlite3 connection (WAL): several trainer processes and the UI share
// the file. Opening, creating and checking the file is sqlite.ts's job.
import { isFinishedTrial } from '../../shared/trialStates';
import type Database from 'better-sqlite3';
import type { TrialState } from '../../shared/dto';
import type { FrozenTrial } from '../search/types';
import { isSqliteError, toStorageError } from './databaseFile';
import {
  LIVE_RECONSTRUCTIONS_KEY,
  StorageError,
  type JsonValue,
  type LiveViewStore,
  type MetricSeries,
  type NewTrial,
  type Storage,
  type StudyRecord,
  type TrialOwner,
  type TrialRecord,
  type TrialUpdate,
} from './types';


interface TrialRow {
  id: number;
  study_id: number;
  study_name: string;
  number: number;
  state: TrialState;
  fail_reason: string | null;
  seed: number | null;
  backend: string | null;
  dataset_path: string | null;
  artifact_dir: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
  retry_of: number | null;
  owner_host: string | null;
  owner_pid: number | null;
  owner_start: string | null;
}

interface StudyRow {
  id: number;
  name: string;
  kind: string;
  directions: string;
  spec: string | null;
  created_at: string;
}

const now = (): string => new Date().toISOString();

function toStudy(row: StudyRow): StudyRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    directions: JSON.parse(row.directions) as StudyRecord['directions'],
    spec: row.spec === null ? null : (JSON.parse(row.spec) as JsonValue),
    createdAt: row.created_at,
  };
}
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export class SqliteStorage implements Storage {
  private readonly stmts;
  /** The end of the last exclusive section of this process. */
  private queue: Promise<void> = Promise.resolve();
  /** What exclusive() hands to its callback: the error-translating wrapper (sqlite.ts) once it is set. */
  self: Storage = this;

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly databaseId: string,
  ) {
    const trialSelect = `SELECT t.*, s.name AS study_name FROM trials t JOIN studies s ON s.id = t.study_id`;
    this.stmts = {
      studyByName: db.prepare<[string], StudyRow>('SELECT * FROM studies WHERE name = ?'),
      insertStudy: db.prepare(
        'INSERT INTO studies (name, kind, directions, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING',
      ),
      nextNumber: db.prepare<[number], { n: number }>(
        'SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = ?',
      ),
      insertTrial: db.prepare(
        `INSERT INTO trials (study_id, number, state, seed, dataset_path, created_at, started_at, heartbeat_at, retry_of, owner_host, owner_pid, owner_start)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      studyById: db.prepare<[number], StudyRow>('SELECT * FROM studies WHERE id = ?'),
      allStudies: db.prepare<[], StudyRow>('SELECT * FROM studies ORDER BY id'),
      insertStudyStrict: db.prepare('INSERT INTO studies (name, kind, directions, spec, created_at) VALUES (?, ?, ?, ?, ?)'),
      setStudyAttr: db.prepare('INSERT OR REPLACE INTO study_attrs (study_id, key, value_json) VALUES (?, ?, ?)'),
      studyAttrs: db.prepare<[number], { key: string; value_json: string }>('SELECT key, value_json FROM study_attrs WHERE study_id = ?'),
      claimWaiting: db.prepare<[string, string, string, number, string, number], { id: number }>(
        `UPDATE trials SET state = 'RUNNING', started_at = ?, heartbeat_at = ?, owner_host = ?, owner_pid = ?, owner_start = ?
         WHERE id = (SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1)
         RETURNING id`,
      ),
      studyTrials: db.prepare<[number], TrialRow>(`${trialSelect} WHERE t.study_id = ? ORDER BY t.number`),
      studyParams: db.prepare<[number], { trial_id: number; name: string; value_json: string }>(
        'SELECT p.trial_id, p.name, p.value_json FROM trial_params p JOIN trials t ON t.id = p.trial_id WHERE t.study_id = ?',
      ),
      studyValues: db.prepare<[number], { trial_id: number; objective: number; value: number | null }>(
        'SELECT v.trial_id, v.objective, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id WHERE t.study_id = ? ORDER BY v.objective',
      ),
      studyIntermediate: db.prepare<[number], { trial_id: number; step: number; value: number | null }>(
        'SELECT i.trial_id, i.step, i.value FROM trial_intermediate_values i JOIN trials t ON t.id = i.trial_id WHERE t.study_id = ? ORDER BY i.step',
      ),
      insertParam: db.prepare('INSERT OR REPLACE INTO trial_params (trial_id, name, value_json) VALUES (?, ?, ?)'),
      trialById: db.prepare<[number], TrialRow>(`${trialSelect} WHERE t.id = ?`),
      allTrials: db.prepare<[], TrialRow>(`${trialSelect} ORDER BY t.id`),
      params: db.prepare<[number], { name: string; value_json: string }>(
        'SELECT name, value_json FROM trial_params WHERE trial_id = ?',
      ),
      values: db.prepare<[number], { objective: number; value: number | null }>(
        'SELECT objective, value FROM trial_values WHERE trial_id = ? ORDER BY objective',
      ),
      setState: db.prepare('UPDATE trials SET state = ?, fail_reason = ?, finished_at = ? WHERE id = ?'),
      heartbeat: db.prepare('UPDATE trials SET heartbeat_at = ? WHERE id = ?'),
      setAttr: db.prepare('INSERT OR REPLACE INTO trial_attrs (trial_id, key, value_json) VALUES (?, ?, ?)'),
      // One statement, so the check and the write are atomic: a late write cannot outlive the trial's run.
      putLive: db.prepare(
        `INSERT OR REPLACE INTO trial_attrs (trial_id, key, value_json) SELECT id, ?, ? FROM trials WHERE id = ? AND state = 'RUNNING'`,
      ),
      getLive: db.prepare<[number, string], { value_json: string }>('SELECT value_json FROM trial_attrs WHERE trial_id = ? AND key = ?'),
      dropLive: db.prepare('DELETE FROM trial_attrs WHERE trial_id = ? AND key = ?'),
      attrs: db.prepare<[number], { key: string; value_json: string }>(
        'SELECT key, value_json FROM trial_attrs WHERE trial_id = ?',
      ),
      insertMetric: db.prepare(
        'INSERT OR REPLACE INTO trial_metrics (trial_id, step, name, value) VALUES (?, ?, ?, ?)',
      ),
      insertIntermediate: db.prepare(
        'INSERT OR REPLACE INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)',
      ),
      metrics: db.prepare<[number], { step: number; name: string; value: number | null }>(
        'SELECT step, name, value FROM trial_metrics WHERE trial_id = ? ORDER BY step, name',
      ),
      deleteValues: db.prepare('DELETE FROM trial_values WHERE trial_id = ?'),
      insertValue: db.prepare('INSERT INTO trial_values (trial_id, objective, value) VALUES (?, ?, ?)'),
    };
  }

  async getOrCreateStudy(name: string, kind: string, directions: StudyRecord['directions'] = ['minimize']): Promise<StudyRecord> {
    this.write(() => this.stmts.insertStudy.run(name, kind, JSON.stringify(directions), now()));
    const study = await this.getStudy(name);
    if (!study) throw new Error(`Study "${name}" could not be read back after it was created.`);
    return study;
  }

  async createStudy(name: string, kind: string, directions: StudyRecord['directions'], spec: JsonValue): Promise<StudyRecord> {
    try {
      this.stmts.insertStudyStrict.run(name, kind, JSON.stringify(directions), JSON.stringify(spec), now());
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StorageError('STUDY_EXISTS', { name });
      }
      return this.write(() => {
        throw err;
      });
    }
    return (await this.getStudy(name)) as StudyRecord;
  }

  async getStudyById(id: number): Promise<StudyRecord | null> {
    const row = this.stmts.studyById.get(id);
    return row ? toStudy(row) : null;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return this.stmts.allStudies.all().map(toStudy);
  }

  async setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.write(() => this.stmts.setStudyAttr.run(studyId, key, JSON.stringify(value)));
  }

  async getStudyAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    const out: Record<string, JsonValue> = {};
    for (const r of this.stmts.studyAttrs.all(studyId)) out[r.key] = JSON.parse(r.value_json) as JsonValue;
    return out;
  }

  async claimWaitingTrial(studyId: number, owner: TrialOwner): Promise<TrialRecord | null> {
    const ts = now();
    const row = this.write(() => this.stmts.claimWaiting.get(ts, ts, owner.host, owner.pid, owner.start, studyId));
    return row ? this.getTrial(row.id) : null;
  }

  async getFrozenTrials(studyId: number): Promise<FrozenTrial[]> {
    const byId = new Map<number, FrozenTrial>();
    const rows = this.stmts.studyTrials.all(studyId);
    for (const r of rows) byId.set(r.id, { number: r.number, state: r.state, params: {}, values: null, intermediate: [] });
    for (const p of this.stmts.studyParams.all(studyId)) {
      const t = byId.get(p.trial_id);
      if (t) t.params[p.name] = JSON.parse(p.value_json) as JsonValue;
    }
    for (const v of this.stmts.studyValues.all(studyId)) {
      const t = byId.get(v.trial_id);
      if (t && t.state === 'COMPLETE') (t.values ??= []).push(v.value ?? Number.NaN);
    }
    for (const i of this.stmts.studyIntermediate.all(studyId)) {
      const t = byId.get(i.trial_id);
      if (t && i.value !== null) t.intermediate.push({ step: i.step, value: i.value });
    }
    return rows.map((r) => byId.get(r.id) as FrozenTrial);
  }

  /**
   * BEGIN IMMEDIATE ... COMMIT around fn: other processes wait (busy_timeout). Within this process exclusive
   * sections run one after another; fn must only await storage calls (settled at once here), so no other task
   * of this process writes into the open transaction meanwhile.
   */
  async exclusive<T>(fn: (tx: Storage) => Promise<T>, _lock?: { studyId: number }): Promise<T> {
    const previous = this.queue;
    let release = (): void => {};
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      this.write(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await fn(this.self);
        this.write(() => this.db.exec('COMMIT'));
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      release();
    }
  }

  async clock(): Promise<number> {
    return Date.now();
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const row = this.stmts.studyByName.get(name);
    return row ? toStudy(row) : null;
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    // Numbering and insert in one immediate transaction so parallel trainers never share a number.
    const id = this.write(() =>
      this.db
        .transaction(() => {
          const { n } = this.stmts.nextNumber.get(studyId) ?? { n: 0 };
          const ts = now();
          const started = trial.state === 'RUNNING' ? ts : null;
          const o = trial.owner ?? null;
          const info = this.stmts.insertTrial.run(studyId, n, trial.state, trial.seed, trial.datasetPath, ts, started, started, trial.retryOf ?? null, o?.host ?? null, o?.pid ?? null, o?.start ?? null);
          const trialId = Number(info.lastInsertRowid);
          for (const [name, value] of Object.entries(trial.params)) {
            this.stmts.insertParam.run(trialId, name, JSON.stringify(value));
          }
          return trialId;
        })
        .immediate(),
    );
    return this.mustGetTrial(id);
  }

  async getTrial(trialId: number): Promise<TrialRecord | null> {
    const row = this.stmts.trialById.get(trialId);
    return row ? this.toRecord(row) : null;
  }

  async listTrials(filter: { studyId?: number; states?: TrialState[] } = {}): Promise<TrialRecord[]> {
    return this.stmts.allTrials
      .all()
      .filter((r) => filter.studyId === undefined || r.study_id === filter.studyId)
      .filter((r) => !filter.states || filter.states.includes(r.state))
      .map((r) => this.toRecord(r));
  }

  async setTrialState(trialId: number, state: TrialState, failReason: string | null = null): Promise<void> {
    const finished = isFinishedTrial(state) ? now() : null;
    const info = this.write(() =>
      this.db.transaction(() => {
        // A trial's live view lasts while it runs; a finished one is shown from its stored files.
        if (state !== 'RUNNING') this.stmts.dropLive.run(trialId, LIVE_RECONSTRUCTIONS_KEY);
        return this.stmts.setState.run(state, failReason, finished, trialId);
      })(),
    );
    if (info.changes === 0) throw new StorageError('TRIAL_NOT_FOUND', { trialId });
  }

  /** Running trials' reconstructions for a window watching a `latent-lab search` in a terminal (types.ts LiveViewStore). */
  readonly liveViews: LiveViewStore = {
    putReconstructions: async (trialId: number, reconstructions: JsonValue) => {
      this.write(() => this.stmts.putLive.run(LIVE_RECONSTRUCTIONS_KEY, JSON.stringify(reconstructions), trialId));
    },
    getReconstructions: async (trialId: number) => {
      let row: { value_json: string } | undefined;
      try {
        row = this.stmts.getLive.get(trialId, LIVE_RECONSTRUCTIONS_KEY);
      } catch (err) {
        throw isSqliteError(err) ? toStorageError(err, this.path, 'read') : err;
      }
      return row ? (JSON.parse(row.value_json) as JsonValue) : null;
    },
  };

  async updateTrial(trialId: number, fields: TrialUpdate): Promise<void> {
    const values: Record<string, string | number> = {};
    if (fields.backend !== undefined) values.backend = fields.backend;
    if (fields.artifactDir !== undefined) values.artifact_dir = fields.artifactDir;
    if (fields.startedAt !== undefined) values.started_at = fields.startedAt;
    if (fields.owner !== undefined) Object.assign(values, { owner_host: fields.owner.host, owner_pid: fields.owner.pid, owner_start: fields.owner.start });
    const columns = Object.keys(values);
    if (columns.length === 0) return;
    const sql = `UPDATE trials SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;
    this.write(() => this.db.prepare(sql).run(...columns.map((c) => values[c]), trialId));
  }

  async heartbeat(trialId: number): Promise<void> {
    this.write(() => this.stmts.heartbeat.run(now(), trialId));
  }

  async setTrialAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.write(() => this.stmts.setAttr.run(trialId, key, JSON.stringify(value)));
  }

  async getTrialAttrs(trialId: number): Promise<Record<string, JsonValue>> {
    const out: Record<string, JsonValue> = {};
    for (const r of this.stmts.attrs.all(trialId)) out[r.key] = JSON.parse(r.value_json) as JsonValue;
    return out;
  }

  async reportStep(trialId: number, step: number, metrics: Record<string, number>, intermediate?: number): Promise<void> {
    this.write(() =>
      this.db.transaction(() => {
        for (const [name, value] of Object.entries(metrics)) {
          this.stmts.insertMetric.run(trialId, step, name, finiteOrNull(value));
        }
        if (intermediate !== undefined) this.stmts.insertIntermediate.run(trialId, step, finiteOrNull(intermediate));
        this.stmts.heartbeat.run(now(), trialId);
      })(),
    );
  }

  async getMetrics(trialId: number): Promise<MetricSeries> {
    const byStep = new Map<number, Record<string, number | null>>();
    for (const r of this.stmts.metrics.all(trialId)) {
      const values = byStep.get(r.step) ?? {};
      values[r.name] = r.value;
      byStep.set(r.step, values);
    }
    return [...byStep.entries()].map(([step, values]) => ({ step, values }));
  }

  async setTrialValues(trialId: number, values: Array<number | null>): Promise<void> {
    this.write(() =>
      this.db.transaction(() => {
        this.stmts.deleteValues.run(trialId);
        values.forEach((v, i) => this.stmts.insertValue.run(trialId, i, v === null ? null : finiteOrNull(v)));
      })(),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private mustGetTrial(id: number): TrialRecord {
    const row = this.stmts.trialById.get(id);
    const t = row ? this.toRecord(row) : null;
    if (!t) throw new StorageError('TRIAL_NOT_FOUND', { trialId: id });
    return t;
  }

  /** Turns low-level write failures (disk full, read-only, damaged file) into one actionable message. */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw isSqliteError(err) ? toStorageError(err, this.path, 'write') : err;
    }
  }

  private toRecord(row: TrialRow): TrialRecord {
    const params: Record<string, JsonValue> = {};
    for (const p of this.stmts.params.all(row.id)) params[p.name] = JSON.parse(p.value_json) as JsonValue;
    return {
      id: row.id,
      studyId: row.study_id,
      studyName: row.study_name,
      number: row.number,
      state: row.state,
      failReason: row.fail_reason,
      seed: row.seed,
      backend: row.backend,
      datasetPath: row.dataset_path,
      artifactDir: row.artifact_dir,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      heartbeatAt: row.heartbeat_at,
      retryOf: row.retry_of,
      owner: row.owner_host !== null && row.owner_pid !== null ? { host: row.owner_host, pid: row.owner_pid, start: row.owner_start ?? 'none' } : null,
      params,
      values: this.stmts.values.all(row.id).map((v) => v.value),
    };
  }
}
