// `latent-lab db check | backup` on a shared study database (PostgreSQL), beside sqlite.ts's for a file.
// check never writes: it reads the schema version itself (opening the storage would migrate an older schema).
// backup writes a consistent snapshot to a new file: pg_dump's custom format when pg_dump is on PATH, otherwise
// (or with format 'json') one JSON document read in a single REPEATABLE READ transaction (README "Sharing a
// study across machines" describes it). An existing file is never replaced.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { STALE_HEARTBEAT_MS } from '../study/study';
import { ARTIFACT_FILES, trialArtifactsDir } from './artifacts';
import { PG_LATEST_SCHEMA_VERSION } from './pgMigrations';
import { pgError, splitDatabaseUrl } from './postgres';
import { StorageError } from './types';

/** Every table of the schema, parents before children (the JSON backup's order). */
const TABLES = ['schema_version', 'meta', 'studies', 'study_attrs', 'trials', 'trial_params', 'trial_values', 'trial_intermediate_values', 'trial_metrics', 'trial_attrs', 'trial_artifacts'] as const;

/** The files without which a stored trial cannot be shown or exported. */
const REQUIRED_FILES: string[] = [ARTIFACT_FILES.model, ARTIFACT_FILES.weights, ARTIFACT_FILES.training, ARTIFACT_FILES.features, ARTIFACT_FILES.owner];

async function connect(location: string): Promise<{ client: pg.Client; url: string }> {
  const { url, password } = splitDatabaseUrl(location);
  const client = new pg.Client({ connectionString: url, password: password ?? undefined, connectionTimeoutMillis: 15_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    throw pgError(err, url);
  }
  return { client, url };
}

export interface PgCheckResult {
  url: string;
  problems: string[];
  /** What is fine but worth knowing (trials whose files stay on their machine). */
  notes: string[];
  summary: string;
}

const count = async (c: pg.Client, sql: string): Promise<number> => Number((await c.query<{ n: string }>(sql)).rows[0].n);

/** Schema version, orphaned rows, stale RUNNING trials (by the database's clock), and every COMPLETE trial's files. */
export async function checkPostgres(location: string, artifactsRoot: string): Promise<PgCheckResult> {
  const { client: c, url } = await connect(location);
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if ((await c.query("SELECT to_regclass('schema_version') AS t")).rows[0].t === null) {
      problems.push(`schema: ${url} holds no Latent Lab tables (no schema_version); latent-lab search or worker --storage sets them up.`);
      return { url, problems, notes, summary: '' };
    }
    const version = await count(c, 'SELECT COALESCE(MAX(version), 0) AS n FROM schema_version');
    if (version > PG_LATEST_SCHEMA_VERSION) {
      problems.push(`schema: version ${version} was set up by a newer Latent Lab (this build knows ${PG_LATEST_SCHEMA_VERSION}); update Latent Lab here before checking it.`);
      return { url, problems, notes, summary: '' };
    }
    if (version < PG_LATEST_SCHEMA_VERSION) notes.push(`schema: version ${version}; the next worker or search of this build migrates it to ${PG_LATEST_SCHEMA_VERSION}.`);

    const orphans: Array<[string, string]> = [
      ['trials without their study', 'SELECT count(*) AS n FROM trials t WHERE NOT EXISTS (SELECT 1 FROM studies s WHERE s.id = t.study_id)'],
      ['study attributes without their study', 'SELECT count(*) AS n FROM study_attrs a WHERE NOT EXISTS (SELECT 1 FROM studies s WHERE s.id = a.study_id)'],
      ['retries of a missing trial', 'SELECT count(*) AS n FROM trials t WHERE t.retry_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM trials r WHERE r.id = t.retry_of)'],
      ...(['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_metrics', 'trial_attrs', 'trial_artifacts'] as const).map(
        (table): [string, string] => [`${table} rows without their trial`, `SELECT count(*) AS n FROM ${table} x WHERE NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = x.trial_id)`],
      ),
      ['stored files of trials that are not COMPLETE', "SELECT count(DISTINCT a.trial_id) AS n FROM trial_artifacts a JOIN trials t ON t.id = a.trial_id WHERE t.state <> 'COMPLETE'"],
    ];
    for (const [what, sql] of orphans) {
      const n = await count(c, sql);
      if (n > 0) problems.push(`orphaned rows: ${n} ${what}.`);
    }

    const stale = await c.query<{ name: string; number: number; host: string | null; pid: number | null; ago: number | null }>(
      `SELECT s.name, t.number, t.owner_host AS host, t.owner_pid AS pid, extract(epoch FROM now() - t.heartbeat_at)::float8 AS ago
       FROM trials t JOIN studies s ON s.id = t.study_id
       WHERE t.state = 'RUNNING' AND (t.heartbeat_at IS NULL OR t.heartbeat_at < now() - make_interval(secs => $1))
       ORDER BY s.name, t.number`,
      [STALE_HEARTBEAT_MS / 1000],
    );
    for (const r of stale.rows) {
      const owner = r.host ? `${r.host}:${r.pid ?? '?'}` : 'an unknown process';
      const beat = r.ago === null ? 'no heartbeat' : `last heartbeat ${Math.round(r.ago)} s ago`;
      problems.push(`stale: trial #${r.number} of "${r.name}" is RUNNING on ${owner} with ${beat} (database clock); the next worker or latent-lab resume "${r.name}" --storage ... fails it as stale and retries it.`);
    }

    const complete = await c.query<{ id: number; name: string; number: number; artifact_dir: string | null; files: string[] | null; kept: string | null }>(
      `SELECT t.id, s.name, t.number, t.artifact_dir,
              (SELECT array_agg(a.name) FROM trial_artifacts a WHERE a.trial_id = t.id) AS files,
              (SELECT value_json FROM trial_attrs k WHERE k.trial_id = t.id AND k.key = 'artifactsKeptOn') AS kept
       FROM trials t JOIN studies s ON s.id = t.study_id WHERE t.state = 'COMPLETE' ORDER BY s.name, t.number`,
    );
    const databaseId = String((await c.query("SELECT value FROM meta WHERE key = 'database_id'")).rows[0]?.value ?? '');
    let kept = 0;
    for (const t of complete.rows) {
      const who = `trial #${t.number} of "${t.name}" (id ${t.id})`;
      if (t.files) {
        const missing = REQUIRED_FILES.filter((f) => !t.files?.includes(f));
        if (missing.length) problems.push(`artifacts: ${who}: the database's copy lacks ${missing.join(', ')}.`);
        continue;
      }
      if (t.kept) {
        kept++;
        const k = JSON.parse(t.kept) as { host?: string; folder?: string };
        notes.push(`note: ${who} keeps its files on ${k.host ?? '?'} (${k.folder ?? '?'}): they were over the size cap.`);
        continue;
      }
      const here = [t.artifact_dir, trialArtifactsDir(artifactsRoot, databaseId, t.id)].filter((d): d is string => d !== null);
      if (!here.some((d) => fs.existsSync(d))) problems.push(`artifacts: ${who}: no copy in the database and no folder on this machine (${here[0] ?? 'none recorded'}).`);
    }
    const studies = await count(c, 'SELECT count(*) AS n FROM studies');
    const trials = await count(c, 'SELECT count(*) AS n FROM trials');
    const summary =
      `ok: ${url}: schema ${version}, ${studies} studies, ${trials} trials, no orphaned rows, no stale RUNNING trial, ` +
      `every COMPLETE trial's files stored${kept ? ` (${kept} kept on the machine that trained it, over the size cap)` : ''}.`;
    return { url, problems, notes, summary };
  } catch (err) {
    throw pgError(err, url);
  } finally {
    await c.query('ROLLBACK').catch(() => {});
    await c.end().catch(() => {});
  }
}

/** The first executable `name` on PATH, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // Not here.
    }
  }
  return null;
}

export type PgBackupFormat = 'pg_dump' | 'json';

/**
 * A consistent snapshot of the database into `dest`, a new file (BACKUP_EXISTS otherwise). `format`: pg_dump's
 * custom format (restore with pg_restore), or JSON; by default pg_dump when it is on PATH.
 */
export async function backupPostgres(location: string, dest: string, opts: { format?: PgBackupFormat; env?: NodeJS.ProcessEnv } = {}): Promise<{ bytes: number; format: PgBackupFormat; url: string }> {
  if (fs.existsSync(dest)) throw new StorageError('BACKUP_EXISTS', { path: dest });
  const dir = path.dirname(dest);
  if (!fs.existsSync(dir)) throw new StorageError('BACKUP_FOLDER_MISSING', { path: dir });
  const env = opts.env ?? process.env;
  const pgDump = onPath('pg_dump', env);
  const format: PgBackupFormat = opts.format ?? (pgDump ? 'pg_dump' : 'json');
  const { url, password } = splitDatabaseUrl(location);
  const tmp = path.join(dir, `.${path.basename(dest)}.${process.pid}.partial`);
  try {
    if (format === 'pg_dump') {
      if (!pgDump) throw new StorageError('BACKUP_CHECK_FAILED', { path: url, detail: 'pg_dump is not on PATH; install the PostgreSQL client or use --format json', dest });
      const childEnv = { ...env, ...(password !== null ? { PGPASSWORD: password } : {}) };
      const r = spawnSync(pgDump, ['--format=custom', '--no-owner', `--file=${tmp}`, `--dbname=${url}`], { env: childEnv, encoding: 'utf8', timeout: 3_600_000 });
      if (r.status !== 0) throw new StorageError('BACKUP_CHECK_FAILED', { path: url, detail: `pg_dump failed: ${(r.stderr || String(r.error ?? r.signal)).trim().split('\n')[0]}`, dest });
      const restore = onPath('pg_restore', env);
      if (restore) {
        const listed = spawnSync(restore, ['--list', tmp], { encoding: 'utf8' });
        if (listed.status !== 0 || !/TABLE DATA .*trials/.test(listed.stdout)) throw new StorageError('BACKUP_CHECK_FAILED', { path: url, detail: 'pg_restore --list does not read it back', dest });
      }
    } else {
      await jsonSnapshot(location, url, tmp);
    }
    fs.linkSync(tmp, dest);
    return { bytes: fs.statSync(dest).size, format, url };
  } catch (err) {
    // The destination appeared while the backup ran: it is left untouched.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new StorageError('BACKUP_EXISTS', { path: dest });
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The JSON backup: {"format":"latent-lab-postgres-backup","formatVersion":1,"source":<url without password>,
 * "takenAt":<database clock>,"tables":{<table>:[<row>...]}} with every table of the schema, rows as PostgreSQL's
 * json_agg writes them (timestamps ISO 8601, bytea as "\\x<hex>"), all read in one snapshot.
 */
async function jsonSnapshot(location: string, url: string, file: string): Promise<void> {
  const { client: c } = await connect(location);
  const fd = fs.openSync(file, 'wx');
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const takenAt = (await c.query<{ t: Date }>('SELECT now() AS t')).rows[0].t.toISOString();
    fs.writeSync(fd, `{"format":"latent-lab-postgres-backup","formatVersion":1,"source":${JSON.stringify(url)},"takenAt":"${takenAt}","tables":{`);
    for (const [i, table] of TABLES.entries()) {
      const { rows } = await c.query<{ j: string }>(`SELECT COALESCE(json_agg(x ORDER BY x), '[]')::text AS j FROM ${table} x`);
      fs.writeSync(fd, `${i ? ',' : ''}${JSON.stringify(table)}:${rows[0].j}`);
    }
    fs.writeSync(fd, '}}\n');
    fs.fsyncSync(fd);
  } catch (err) {
    throw pgError(err, url);
  } finally {
    fs.closeSync(fd);
    await c.query('ROLLBACK').catch(() => {});
    await c.end().catch(() => {});
  }
  // Read back: the file is whole JSON with every table.
  const back = JSON.parse(fs.readFileSync(file, 'utf8')) as { tables?: Record<string, unknown[]> };
  const missing = TABLES.filter((t) => !Array.isArray(back.tables?.[t]));
  if (missing.length) throw new StorageError('BACKUP_CHECK_FAILED', { path: url, detail: `tables missing from the copy: ${missing.join(', ')}`, dest: file });
}
