// The Storage contract over PostgreSQL (node-postgres): several machines share one study. Every timestamp is
// the database's (now()), never a worker's clock. Opening, migrating and error messages are postgres.ts's job.
import type pg from 'pg';
import type { TrialState } from '../../shared/dto';
import { isFinishedTrial } from '../../shared/trialStates';
import type { FrozenTrial } from '../search/types';
import {
  LIVE_RECONSTRUCTIONS_KEY,
  StorageError,
  type ArtifactBlob,
  type ArtifactBlobStore,
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
  seed: string | null;
  backend: string | null;
  dataset_path: string | null;
  artifact_dir: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
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
  created_at: Date;
}

type Queryable = pg.Pool | pg.PoolClient;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
const TRIAL_SELECT = 'SELECT t.*, s.name AS study_name FROM trials t JOIN studies s ON s.id = t.study_id';

function toStudy(row: StudyRow): StudyRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    directions: JSON.parse(row.directions) as StudyRecord['directions'],
    spec: row.spec === null ? null : (JSON.parse(row.spec) as JsonValue),
    createdAt: row.created_at.toISOString(),
  };
}

/** Turns a driver error into the storage's error (postgres.ts names the server and what to do). */
export type PgErrorMapper = (err: unknown) => unknown;

export class PgStorage implements Storage {
  constructor(
    private readonly pool: pg.Pool,
    private readonly q: Queryable,
    readonly path: string,
    readonly databaseId: string,
    private readonly mapError: PgErrorMapper,
    /** Inside exclusive(): statements run in that transaction, which already holds the lock. */
    private readonly inTransaction = false,
  ) {}

  private async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.q.query<R>(sql, params)).rows;
    } catch (err) {
      throw this.mapError(err);
    }
  }

  /** Independent reads: at once over the pool, one after another on a transaction's single connection. */
  private async all<T extends unknown[]>(reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
    if (!this.inTransaction) return (await Promise.all(reads.map((r) => r()))) as T;
    const out: unknown[] = [];
    for (const r of reads) out.push(await r());
    return out as T;
  }

  /** fn in one transaction (the open one inside exclusive()); `lockStudy` first locks that study's row. */
  private async transaction<T>(fn: (s: PgStorage) => Promise<T>, lockStudy?: number | null): Promise<T> {
    if (this.inTransaction) {
      if (lockStudy != null) await this.rows('SELECT id FROM studies WHERE id = $1 FOR UPDATE', [lockStudy]);
      return fn(this);
    }
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.mapError(err);
    }
    const tx = new PgStorage(this.pool, client, this.path, this.databaseId, this.mapError, true);
    try {
      await tx.rows('BEGIN');
      // The study's row is the lock two machines queue on: numbering, the sampler's view and the insert
      // happen while it is held. Without a study, one database-wide advisory lock plays that part.
      if (lockStudy != null) await tx.rows('SELECT id FROM studies WHERE id = $1 FOR UPDATE', [lockStudy]);
      else if (lockStudy === null) await tx.rows('SELECT pg_advisory_xact_lock(4242017)');
      const result = await fn(tx);
      await tx.rows('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Finished trials' files (trial_artifacts), so machines other than the trainer's can read them. */
  readonly artifactBlobs: ArtifactBlobStore = {
    putTrialBlobs: (trialId: number, blobs: ArtifactBlob[]) =>
      this.transaction(async (tx) => {
        for (const b of blobs) await tx.rows('INSERT INTO trial_artifacts (trial_id, name, size, gzip) VALUES ($1, $2, $3, $4)', [trialId, b.name, b.size, b.gzip]);
      }),
    getTrialBlobs: async (trialId: number) =>
      (await this.rows<{ name: string; size: string; gzip: Buffer }>('SELECT name, size, gzip FROM trial_artifacts WHERE trial_id = $1 ORDER BY name', [trialId])).map((r) => ({
        name: r.name,
        size: Number(r.size),
        gzip: r.gzip,
      })),
    trialsWithBlobs: async (trialIds: number[]) =>
      new Set((await this.rows<{ trial_id: number }>('SELECT DISTINCT trial_id FROM trial_artifacts WHERE trial_id = ANY($1)', [trialIds])).map((r) => r.trial_id)),
  };

  /** Running trials' reconstructions for the machines watching (types.ts LiveViewStore), notified (pgListen.ts). */
  readonly liveViews: LiveViewStore = {
    putReconstructions: (trialId: number, reconstructions: JsonValue) =>
      this.transaction(async (tx) => {
        // Only while RUNNING, with the trial's row locked: a late write cannot bring back what setTrialState dropped.
        const [row] = await tx.rows<{ study_id: number }>("SELECT study_id FROM trials WHERE id = $1 AND state = 'RUNNING' FOR UPDATE", [trialId]);
        if (!row) return;
        await tx.rows(
          'INSERT INTO trial_attrs (trial_id, key, value_json) VALUES ($1, $2, $3) ON CONFLICT (trial_id, key) DO UPDATE SET value_json = EXCLUDED.value_json',
          [trialId, LIVE_RECONSTRUCTIONS_KEY, JSON.stringify(reconstructions)],
        );
        await tx.notify(row.study_id, trialId, 'reconstructions');
      }),
    getReconstructions: async (trialId: number) => {
      const [row] = await this.rows<{ value_json: string }>('SELECT value_json FROM trial_attrs WHERE trial_id = $1 AND key = $2', [trialId, LIVE_RECONSTRUCTIONS_KEY]);
      return row ? (JSON.parse(row.value_json) as JsonValue) : null;
    },
  };

  exclusive<T>(fn: (tx: Storage) => Promise<T>, lock?: { studyId: number }): Promise<T> {
    return this.transaction(fn, lock ? lock.studyId : null);
  }

  async clock(): Promise<number> {
    const [r] = await this.rows<{ ms: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms');
    return r.ms;
  }

  async getOrCreateStudy(name: string, kind: string, directions: StudyRecord['directions'] = ['minimize']): Promise<StudyRecord> {
    await this.rows('INSERT INTO studies (name, kind, directions) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, kind, JSON.stringify(directions)]);
    const study = await this.getStudy(name);
    if (!study) throw new Error(`Study "${name}" could not be read back after it was created.`);
    return study;
  }

  async createStudy(name: string, kind: string, directions: StudyRecord['directions'], spec: JsonValue): Promise<StudyRecord> {
    const rows = await this.rows<StudyRow>(
      'INSERT INTO studies (name, kind, directions, spec) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING *',
      [name, kind, JSON.stringify(directions), JSON.stringify(spec)],
    );
    if (rows.length === 0) throw new StorageError('STUDY_EXISTS', { name });
    return toStudy(rows[0]);
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const [row] = await this.rows<StudyRow>('SELECT * FROM studies WHERE name = $1', [name]);
    return row ? toStudy(row) : null;
  }

  async getStudyById(id: number): Promise<StudyRecord | null> {
    const [row] = await this.rows<StudyRow>('SELECT * FROM studies WHERE id = $1', [id]);
    return row ? toStudy(row) : null;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return (await this.rows<StudyRow>('SELECT * FROM studies ORDER BY id')).map(toStudy);
  }

  async setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    await this.rows(
      'INSERT INTO study_attrs (study_id, key, value_json) VALUES ($1, $2, $3) ON CONFLICT (study_id, key) DO UPDATE SET value_json = EXCLUDED.value_json',
      [studyId, key, JSON.stringify(value)],
    );
  }

  async getStudyAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    const out: Record<string, JsonValue> = {};
    for (const r of await this.rows<{ key: string; value_json: string }>('SELECT key, value_json FROM study_attrs WHERE study_id = $1', [studyId])) {
      out[r.key] = JSON.parse(r.value_json) as JsonValue;
    }
    return out;
  }

  createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    // Numbering and insert under the study's row lock: two machines never share a number, none is skipped.
    return this.transaction(async (tx) => {
      const o = trial.owner ?? null;
      const running = trial.state === 'RUNNING';
      const [{ id }] = await tx.rows<{ id: number }>(
        `INSERT INTO trials (study_id, number, state, seed, dataset_path, started_at, heartbeat_at, retry_of, owner_host, owner_pid, owner_start)
         VALUES ($1, (SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = $1), $2, $3, $4,
                 CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN now() END, $6, $7, $8, $9)
         RETURNING id`,
        [studyId, trial.state, trial.seed, trial.datasetPath, running, trial.retryOf ?? null, o?.host ?? null, o?.pid ?? null, o?.start ?? null],
      );
      const names = Object.keys(trial.params);
      if (names.length > 0) {
        await tx.rows('INSERT INTO trial_params (trial_id, name, value_json) SELECT $1, * FROM unnest($2::text[], $3::text[])', [
          id,
          names,
          names.map((n) => JSON.stringify(trial.params[n])),
        ]);
      }
      return tx.mustGetTrial(id);
    }, studyId);
  }

  async claimWaitingTrial(studyId: number, owner: TrialOwner): Promise<TrialRecord | null> {
    // SKIP LOCKED: a queued trial another machine is taking right now is left to it, not waited for.
    const [row] = await this.rows<{ id: number }>(
      `UPDATE trials SET state = 'RUNNING', started_at = now(), heartbeat_at = now(), owner_host = $2, owner_pid = $3, owner_start = $4
       WHERE id = (SELECT id FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [studyId, owner.host, owner.pid, owner.start],
    );
    return row ? this.getTrial(row.id) : null;
  }

  async getFrozenTrials(studyId: number): Promise<FrozenTrial[]> {
    const rows = await this.rows<{ id: number; number: number; state: TrialState }>('SELECT id, number, state FROM trials WHERE study_id = $1 ORDER BY number', [studyId]);
    const byId = new Map<number, FrozenTrial>();
    for (const r of rows) byId.set(r.id, { number: r.number, state: r.state, params: {}, values: null, intermediate: [] });
    const [params, values, inter] = await this.all([
      () => this.rows<{ trial_id: number; name: string; value_json: string }>('SELECT p.trial_id, p.name, p.value_json FROM trial_params p JOIN trials t ON t.id = p.trial_id WHERE t.study_id = $1', [studyId]),
      () => this.rows<{ trial_id: number; value: number | null }>('SELECT v.trial_id, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id WHERE t.study_id = $1 ORDER BY v.trial_id, v.objective', [studyId]),
      () => this.rows<{ trial_id: number; step: number; value: number | null }>('SELECT i.trial_id, i.step, i.value FROM trial_intermediate_values i JOIN trials t ON t.id = i.trial_id WHERE t.study_id = $1 ORDER BY i.trial_id, i.step', [studyId]),
    ]);
    for (const p of params) {
      const t = byId.get(p.trial_id);
      if (t) t.params[p.name] = JSON.parse(p.value_json) as JsonValue;
    }
    for (const v of values) {
      const t = byId.get(v.trial_id);
      if (t && t.state === 'COMPLETE') (t.values ??= []).push(v.value ?? Number.NaN);
    }
    for (const i of inter) {
      const t = byId.get(i.trial_id);
      if (t && i.value !== null) t.intermediate.push({ step: i.step, value: i.value });
    }
    return rows.map((r) => byId.get(r.id) as FrozenTrial);
  }

  async getTrial(trialId: number): Promise<TrialRecord | null> {
    const rows = await this.rows<TrialRow>(`${TRIAL_SELECT} WHERE t.id = $1`, [trialId]);
    return rows.length ? (await this.toRecords(rows))[0] : null;
  }

  async listTrials(filter: { studyId?: number; states?: TrialState[] } = {}): Promise<TrialRecord[]> {
    const rows = await this.rows<TrialRow>(
      `${TRIAL_SELECT} WHERE ($1::int IS NULL OR t.study_id = $1) AND ($2::text[] IS NULL OR t.state = ANY($2)) ORDER BY t.id`,
      [filter.studyId ?? null, filter.states ?? null],
    );
    return this.toRecords(rows);
  }

  async setTrialState(trialId: number, state: TrialState, failReason: string | null = null): Promise<void> {
    const rows = await this.rows<{ id: number; study_id: number }>(
      'UPDATE trials SET state = $2, fail_reason = $3, finished_at = CASE WHEN $4 THEN now() END WHERE id = $1 RETURNING id, study_id',
      [trialId, state, failReason, isFinishedTrial(state)],
    );
    if (rows.length === 0) throw new StorageError('TRIAL_NOT_FOUND', { trialId });
    // A trial's live view lasts while it runs; a finished one is shown from its stored files.
    if (state !== 'RUNNING') await this.rows('DELETE FROM trial_attrs WHERE trial_id = $1 AND key = $2', [trialId, LIVE_RECONSTRUCTIONS_KEY]);
    await this.notify(rows[0].study_id, trialId, 'state');
  }

  async updateTrial(trialId: number, fields: TrialUpdate): Promise<void> {
    const values: Record<string, string | number> = {};
    if (fields.backend !== undefined) values.backend = fields.backend;
    if (fields.artifactDir !== undefined) values.artifact_dir = fields.artifactDir;
    if (fields.startedAt !== undefined) values.started_at = fields.startedAt;
    if (fields.owner !== undefined) Object.assign(values, { owner_host: fields.owner.host, owner_pid: fields.owner.pid, owner_start: fields.owner.start });
    const columns = Object.keys(values);
    if (columns.length === 0) return;
    // started_at is the database's clock too (the worker's stamp is only a sign that it started now).
    const given = columns.filter((c) => c !== 'started_at');
    const sets = given.map((c, i) => `${c} = $${i + 2}`);
    if (given.length < columns.length) sets.push('started_at = now()', 'heartbeat_at = now()');
    await this.rows(`UPDATE trials SET ${sets.join(', ')} WHERE id = $1`, [trialId, ...given.map((c) => values[c])]);
  }

  async heartbeat(trialId: number): Promise<void> {
    await this.rows('UPDATE trials SET heartbeat_at = now() WHERE id = $1', [trialId]);
  }

  async setTrialAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    await this.rows(
      'INSERT INTO trial_attrs (trial_id, key, value_json) VALUES ($1, $2, $3) ON CONFLICT (trial_id, key) DO UPDATE SET value_json = EXCLUDED.value_json',
      [trialId, key, JSON.stringify(value)],
    );
  }

  async getTrialAttrs(trialId: number): Promise<Record<string, JsonValue>> {
    const out: Record<string, JsonValue> = {};
    for (const r of await this.rows<{ key: string; value_json: string }>('SELECT key, value_json FROM trial_attrs WHERE trial_id = $1', [trialId])) {
      out[r.key] = JSON.parse(r.value_json) as JsonValue;
    }
    return out;
  }

  reportStep(trialId: number, step: number, metrics: Record<string, number>, intermediate?: number): Promise<void> {
    return this.transaction(async (tx) => {
      const names = Object.keys(metrics);
      await tx.rows(
        `INSERT INTO trial_metrics (trial_id, step, name, value) SELECT $1, $2, * FROM unnest($3::text[], $4::float8[])
         ON CONFLICT (trial_id, step, name) DO UPDATE SET value = EXCLUDED.value`,
        [trialId, step, names, names.map((n) => finiteOrNull(metrics[n]))],
      );
      if (intermediate !== undefined) {
        await tx.rows(
          'INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES ($1, $2, $3) ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value',
          [trialId, step, finiteOrNull(intermediate)],
        );
      }
      const [row] = await tx.rows<{ study_id: number }>('UPDATE trials SET heartbeat_at = now() WHERE id = $1 RETURNING study_id', [trialId]);
      if (row) await tx.notify(row.study_id, trialId, 'epoch');
    });
  }

  async getMetrics(trialId: number): Promise<MetricSeries> {
    const byStep = new Map<number, Record<string, number | null>>();
    for (const r of await this.rows<{ step: number; name: string; value: number | null }>('SELECT step, name, value FROM trial_metrics WHERE trial_id = $1 ORDER BY step, name', [trialId])) {
      const values = byStep.get(r.step) ?? {};
      values[r.name] = r.value;
      byStep.set(r.step, values);
    }
    return [...byStep.entries()].map(([step, values]) => ({ step, values }));
  }

  setTrialValues(trialId: number, values: Array<number | null>): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.rows('DELETE FROM trial_values WHERE trial_id = $1', [trialId]);
      if (values.length > 0) {
        await tx.rows('INSERT INTO trial_values (trial_id, objective, value) SELECT $1, o - 1, v FROM unnest($2::float8[]) WITH ORDINALITY AS x(v, o)', [
          trialId,
          values.map((v) => (v === null ? null : finiteOrNull(v))),
        ]);
      }
    });
  }

  async close(): Promise<void> {
    if (!this.inTransaction) await this.pool.end().catch(() => {});
  }

  /** A trial changed: listeners (the app's dashboard, LISTEN latent_lab) hear it when the change commits. */
  private async notify(studyId: number, trialId: number, what: string): Promise<void> {
    await this.rows("SELECT pg_notify('latent_lab', $1)", [JSON.stringify({ studyId, trialId, what })]);
  }

  private async mustGetTrial(id: number): Promise<TrialRecord> {
    const t = await this.getTrial(id);
    if (!t) throw new StorageError('TRIAL_NOT_FOUND', { trialId: id });
    return t;
  }

  private async toRecords(rows: TrialRow[]): Promise<TrialRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [params, values] = await this.all([
      () => this.rows<{ trial_id: number; name: string; value_json: string }>('SELECT trial_id, name, value_json FROM trial_params WHERE trial_id = ANY($1)', [ids]),
      () => this.rows<{ trial_id: number; value: number | null }>('SELECT trial_id, value FROM trial_values WHERE trial_id = ANY($1) ORDER BY trial_id, objective', [ids]),
    ]);
    const paramsOf = new Map<number, Record<string, JsonValue>>();
    for (const p of params) {
      const m = paramsOf.get(p.trial_id) ?? {};
      m[p.name] = JSON.parse(p.value_json) as JsonValue;
      paramsOf.set(p.trial_id, m);
    }
    const valuesOf = new Map<number, Array<number | null>>();
    for (const v of values) valuesOf.set(v.trial_id, [...(valuesOf.get(v.trial_id) ?? []), v.value]);
    return rows.map((row) => ({
      id: row.id,
      studyId: row.study_id,
      studyName: row.study_name,
      number: row.number,
      state: row.state,
      failReason: row.fail_reason,
      seed: row.seed === null ? null : Number(row.seed),
      backend: row.backend,
      datasetPath: row.dataset_path,
      artifactDir: row.artifact_dir,
      createdAt: row.created_at.toISOString(),
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      heartbeatAt: iso(row.heartbeat_at),
      retryOf: row.retry_of,
      owner: row.owner_host !== null && row.owner_pid !== null ? { host: row.owner_host, pid: row.owner_pid, start: row.owner_start ?? 'none' } : null,
      params: paramsOf.get(row.id) ?? {},
      values: valuesOf.get(row.id) ?? [],
    }));
  }
}
