// The PostgreSQL schema: the same tables as SQLite's (migrations.ts), with the database's own types and clock.
// schema_version records each migration applied; a newer version than this build knows is refused.
import type { Migration } from './migrations';

export const pgMigrations: Migration[] = [
  {
    version: 1,
    description: 'studies, trials (owner, retry, heartbeat), params, values, intermediate values, metrics, attributes, artifacts',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      INSERT INTO meta (key, value) VALUES ('database_id', md5(random()::text || clock_timestamp()::text));
      CREATE TABLE studies (
        id SERIAL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        directions TEXT NOT NULL DEFAULT '["minimize"]',
        spec TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE study_attrs (
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (study_id, key)
      );
      CREATE TABLE trials (
        id SERIAL PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('WAITING','RUNNING','COMPLETE','PRUNED','FAILED','CANCELLED')),
        fail_reason TEXT,
        seed BIGINT,
        backend TEXT,
        dataset_path TEXT,
        artifact_dir TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        heartbeat_at TIMESTAMPTZ,
        retry_of INTEGER REFERENCES trials(id),
        owner_host TEXT,
        owner_pid INTEGER,
        owner_start TEXT,
        UNIQUE (study_id, number)
      );
      CREATE INDEX trials_study_state ON trials(study_id, state, number);
      CREATE TABLE trial_params (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (trial_id, name)
      );
      CREATE TABLE trial_values (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        objective INTEGER NOT NULL,
        value DOUBLE PRECISION,
        PRIMARY KEY (trial_id, objective)
      );
      CREATE TABLE trial_intermediate_values (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        value DOUBLE PRECISION,
        PRIMARY KEY (trial_id, step)
      );
      CREATE TABLE trial_metrics (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        name TEXT NOT NULL,
        value DOUBLE PRECISION,
        PRIMARY KEY (trial_id, step, name)
      );
      CREATE TABLE trial_attrs (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (trial_id, key)
      );
      CREATE TABLE trial_artifacts (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        size BIGINT NOT NULL,
        gzip BYTEA NOT NULL,
        PRIMARY KEY (trial_id, name)
      );
    `,
  },
];

export const PG_LATEST_SCHEMA_VERSION = pgMigrations[pgMigrations.length - 1].version;
