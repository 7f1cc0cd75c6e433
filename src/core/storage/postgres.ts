// Opening a shared study database on a PostgreSQL server, named by a URL (postgresql://user@host:port/db).
// The password never appears in a message, a log or Storage.path: it is taken out of the URL and handed to
// the driver (and to this process's trainers through PGPASSWORD); a password kept in ~/.pgpass works too.
import pg from 'pg';
import { maskDatabaseUrl } from '../../shared/databaseUrl';
import { pgMigrations, PG_LATEST_SCHEMA_VERSION } from './pgMigrations';
import { PgStorage } from './pgStorage';
import { StorageError, type Storage } from './types';

/** The URL without its password (for messages, logs and Storage.path), and the password apart. */
export function splitDatabaseUrl(url: string): { url: string; password: string | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StorageError('DB_URL_INVALID', { url: maskDatabaseUrl(url), example: 'postgresql://user@host:5432/database' });
  }
  const password = u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
  u.password = '';
  u.searchParams.delete('password');
  return { url: u.toString(), password };
}


const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', '57P03', '3D000', '28P01', '28000', '08006', '08001', '08004']);

/** Driver and server errors as the storage's own errors, naming the server (never the password). */
export function pgError(err: unknown, url: string): unknown {
  if (err instanceof StorageError || !(err instanceof Error)) return err;
  const code = (err as { code?: string }).code ?? '';
  const reason = err.message.replace(/password[^,;]*/gi, 'password ***').split('\n')[0];
  if (CONNECTION_CODES.has(code) || /connect|terminat|Connection/i.test(err.message)) return new StorageError('DB_SERVER_UNREACHABLE', { url, reason });
  if (code.startsWith('42501')) return new StorageError('DB_SERVER_REFUSED', { url, reason: `permission denied: ${reason}` });
  return new StorageError('DB_SERVER_REFUSED', { url, reason: code ? `${reason} (${code})` : reason });
}

/** Applies the forward migrations this build knows, one transaction each, while other workers wait. */
async function migrate(client: pg.PoolClient): Promise<number> {
  // Workers that start together: one migrates, the others wait for it and then find nothing to do.
  await client.query('SELECT pg_advisory_lock(4242001)');
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
    const current = rows[0]?.v ?? 0;
    if (current > PG_LATEST_SCHEMA_VERSION) throw new StorageError('DB_SERVER_NEWER', { found: current, known: PG_LATEST_SCHEMA_VERSION });
    for (const m of pgMigrations) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_version (version, description) VALUES ($1, $2)', [m.version, m.description]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }
    return Math.max(current, PG_LATEST_SCHEMA_VERSION);
  } finally {
    await client.query('SELECT pg_advisory_unlock(4242001)').catch(() => {});
  }
}

export interface OpenPgOptions {
  /** Connections kept open (a worker needs few; the bench raises it). */
  maxConnections?: number;
  /** Called with the masked URL when this open set up Latent Lab's tables in an empty database. */
  onCreate?: (url: string) => void;
}

/** Connects, migrates (or refuses a newer schema) and returns the storage; every error names the server. */
export async function openPostgresStorage(location: string, opts: OpenPgOptions = {}): Promise<Storage> {
  const { url, password } = splitDatabaseUrl(location);
  // Trainer processes started from here reconnect with the password-free URL: they inherit it this way.
  if (password !== null && process.env.PGPASSWORD === undefined) process.env.PGPASSWORD = password;
  const pool = new pg.Pool({ connectionString: url, password: password ?? undefined, max: opts.maxConnections ?? 4, connectionTimeoutMillis: 15_000 });
  // An idle connection the server drops (restart, network) must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  const mapError = (err: unknown): unknown => pgError(err, url);
  try {
    const client = await pool.connect();
    let databaseId: string;
    try {
      const before = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'schema_version' AND table_schema = current_schema()");
      await migrate(client);
      if (before.rows[0].n === 0) opts.onCreate?.(url);
      const { rows } = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'database_id'");
      databaseId = rows[0].value;
    } finally {
      client.release();
    }
    return new PgStorage(pool, pool, url, databaseId, mapError);
  } catch (err) {
    await pool.end().catch(() => {});
    throw mapError(err);
  }
}
