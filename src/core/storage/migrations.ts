// Versioned schema migrations, applied in order inside one transaction each; PRAGMA user_version records
// the last one applied. Tables follow Optuna's shape so the search engine can extend them.
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'studies, trials, params, values, intermediate values, per-epoch metrics, attributes',
    sql: `
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        directions TEXT NOT NULL DEFAULT '["minimize"]',
        spec TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE study_attrs (
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (study_id, key)
      );
      CREATE TABLE trials (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('WAITING','RUNNING','COMPLETE','PRUNED','FAILED','CANCELLED')),
        fail_reason TEXT,
        seed INTEGER,
        backend TEXT,
        dataset_path TEXT,
        artifact_dir TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        heartbeat_at TEXT,
        UNIQUE (study_id, number)
      );
      CREATE INDEX trials_study_state ON trials(study_id, state);
      CREATE TABLE trial_params (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (trial_id, name)
      );
      CREATE TABLE trial_values (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        objective INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY (trial_id, objective)
      );
      CREATE TABLE trial_intermediate_values (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY (trial_id, step)
      );
      CREATE TABLE trial_metrics (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        name TEXT NOT NULL,
        value REAL,
        PRIMARY KEY (trial_id, step, name)
      );
      CREATE TABLE trial_attrs (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (trial_id, key)
      );
    `,
  },
  {
    version: 2,
    description: 'retries linked to their original trial; heartbeat lookups for stale-trial recovery',
    sql: `
      ALTER TABLE trials ADD COLUMN retry_of INTEGER REFERENCES trials(id);
      CREATE INDEX trials_state_heartbeat ON trials(study_id, state, heartbeat_at);
    `,
  },
  {
    version: 3,
    description: "the database's own random id (names its artifact folder); the owner (host, pid, start) of running trials",
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
      ALTER TABLE trials ADD COLUMN owner_host TEXT;
      ALTER TABLE trials ADD COLUMN owner_pid INTEGER;
      ALTER TABLE trials ADD COLUMN owner_start TEXT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
