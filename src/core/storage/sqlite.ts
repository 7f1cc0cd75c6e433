// Opening the SQLite trial database (better-sqlite3, WAL). A database is created only where no file exists,
// and atomically (built under a temporary name, then linked into place), so a file that is there but empty,
// truncated, foreign or damaged is an error that names it: never silently replaced by a new empty database.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readConfig } from '../config';
import { damaged, inspectDatabaseFile, isSqliteError, oneLine, toStorageError } from './databaseFile';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import { SqliteStorage } from './sqliteStorage';
import { StorageError, type Storage } from './types';

export interface OpenStorageOptions {
  /** Path to a better_sqlite3.node built for another ABI (Electron); default from LATENT_LAB_SQLITE_BINDING. */
  nativeBinding?: string;
  /** Read only: no migration, no writes; a read-only file is accepted. */
  readonly?: boolean;
  /** Create a new database when no file exists at the path (otherwise that is a DB_MISSING error). */
  create?: boolean;
  /** Called with the path when a new database was created, so the caller can say where. */
  onCreate?: (dbPath: string) => void;
  /** Run SQLite's quick_check first (reads every page once): for user-facing opens, not for every trainer. */
  check?: boolean;
}

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new StorageError('DB_NEWER', { found: current, known: LATEST_SCHEMA_VERSION });
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

function connect(file: string, opts: { readonly: boolean; nativeBinding: string | undefined }): Database.Database {
  const db = new Database(file, { readonly: opts.readonly, fileMustExist: true, nativeBinding: opts.nativeBinding });
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * Builds a new database under a temporary name and links it into place; returns false when another process
 * created one there first (then that one is used). A crash leaves only the temporary file, never an empty
 * database at the real path.
 */
function createDatabaseFile(dbPath: string, nativeBinding: string | undefined): boolean {
  const dir = path.dirname(dbPath);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(dbPath)}.${process.pid}.creating`);
  fs.rmSync(tmp, { force: true });
  try {
    const db = new Database(tmp, { nativeBinding });
    try {
      db.pragma('journal_mode = WAL');
      migrate(db);
    } finally {
      db.close();
    }
    try {
      fs.linkSync(tmp, dbPath);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
}

/** The first problem SQLite's quick_check finds, or null. */
function quickCheck(db: Database.Database): string | null {
  const rows = db.pragma('quick_check(1)') as Array<{ quick_check: string }>;
  const first = rows[0]?.quick_check ?? 'ok';
  return first === 'ok' ? null : first;
}

function readDatabaseId(db: Database.Database): string {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  const row = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string } | undefined) : undefined;
  // A read-only open of a database from before schema 3: it has no id yet (it gets one when opened to write).
  return row?.value ?? 'unassigned';
}

export function openStorage(dbPath: string, opts: OpenStorageOptions = {}): Storage {
  const nativeBinding = opts.nativeBinding ?? readConfig().sqliteBinding;
  const readonly = opts.readonly ?? false;
  let db: Database.Database;
  try {
    if (dbPath === ':memory:') {
      db = new Database(':memory:', { nativeBinding });
      migrate(db);
    } else {
      if (inspectDatabaseFile(dbPath, { allowReadOnly: readonly }) === 'missing') {
        if (!opts.create) {
          throw new StorageError('DB_MISSING', { path: dbPath });
        }
        if (createDatabaseFile(dbPath, nativeBinding)) opts.onCreate?.(dbPath);
      }
      db = connect(dbPath, { readonly, nativeBinding });
      if (opts.check) {
        const problem = quickCheck(db);
        if (problem) {
          db.close();
          throw damaged(dbPath, problem);
        }
      }
      if (!readonly) migrate(db);
    }
  } catch (err) {
    throw toStorageError(err, dbPath, 'open');
  }
  return guarded(new SqliteStorage(db, dbPath, readDatabaseId(db)), dbPath);
}

/** Every Storage call turns SQLite's errors into StorageErrors (damaged page, read-only, full disk). */
function guarded(storage: SqliteStorage, dbPath: string): Storage {
  const translate = (err: unknown): unknown => (isSqliteError(err) ? toStorageError(err, dbPath, 'read') : err);
  const proxy = new Proxy(storage, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          // Only SQLite's own errors: what a callback (exclusive(fn)) throws passes through unchanged.
          return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(translate(err))) : result;
        } catch (err) {
          throw translate(err);
        }
      };
    },
  });
  storage.self = proxy;
  return proxy;
}

/**
 * SQLite's integrity check, one problem per line. When the damage is bad enough that the full check itself
 * stops with "malformed", fewer checks (quick_check, up to the first errors) still say where.
 */
function integrityProblems(db: Database.Database): string[] {
  let last: unknown;
  for (const pragma of ['integrity_check', 'quick_check(20)', 'quick_check(1)']) {
    try {
      const rows = db.pragma(pragma) as Array<Record<string, string>>;
      return rows.flatMap((r) => Object.values(r)[0].split('\n')).map(oneLine).filter((l) => l && l !== 'ok');
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/**
 * Every problem SQLite's integrity check and foreign-key check find in the file, one line each (empty when
 * none). File-level damage (empty, truncated, foreign) is one line too. Never writes to the database.
 */
export function checkDatabaseFile(dbPath: string, opts: { nativeBinding?: string } = {}): string[] {
  try {
    if (inspectDatabaseFile(dbPath, { allowReadOnly: true }) === 'missing') return [`No trial database at ${dbPath}.`];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
  let db: Database.Database;
  try {
    db = connect(dbPath, { readonly: true, nativeBinding: opts.nativeBinding ?? readConfig().sqliteBinding });
  } catch (err) {
    return [toStorageError(err, dbPath, 'open').message];
  }
  const problems: string[] = [];
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) problems.push(`schema version ${version} is newer than this Latent Lab knows (${LATEST_SCHEMA_VERSION}): update Latent Lab`);
    problems.push(...integrityProblems(db).map((p) => `integrity: ${p}`));
    if (problems.length === 0) {
      for (const r of db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>) {
        problems.push(`foreign key: row ${r.rowid} of ${r.table} points at a missing ${r.parent} row`);
      }
    }
  } catch (err) {
    problems.push(toStorageError(err, dbPath, 'read').message);
  } finally {
    db.close();
  }
  return problems;
}

/**
 * Copies the database with SQLite's online backup (consistent even while a study writes to it) into `dest`,
 * which must not exist: written under a temporary name, checked, then linked into place.
 */
export async function backupDatabase(dbPath: string, dest: string, opts: { nativeBinding?: string } = {}): Promise<{ bytes: number }> {
  if (fs.existsSync(dest)) throw new StorageError('BACKUP_EXISTS', { path: dest });
  const dir = path.dirname(dest);
  if (!fs.existsSync(dir)) throw new StorageError('BACKUP_FOLDER_MISSING', { path: dir });
  const nativeBinding = opts.nativeBinding ?? readConfig().sqliteBinding;
  const source = openStorage(dbPath, { readonly: true, check: true, nativeBinding });
  await source.close();
  const tmp = path.join(dir, `.${path.basename(dest)}.${process.pid}.partial`);
  const db = connect(dbPath, { readonly: true, nativeBinding });
  try {
    // All pages in one step: a study writing meanwhile cannot make the copy start over again and again.
    await db.backup(tmp, { progress: () => 0x7fffffff });
    const copy = new Database(tmp, { readonly: true, fileMustExist: true, nativeBinding });
    try {
      const problem = quickCheck(copy);
      if (problem) throw new StorageError('BACKUP_CHECK_FAILED', { path: dbPath, detail: oneLine(problem), dest });
    } finally {
      copy.close();
    }
    fs.linkSync(tmp, dest);
    return { bytes: fs.statSync(dest).size };
  } catch (err) {
    // The destination appeared while the backup ran: it is left untouched.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new StorageError('BACKUP_EXISTS', { path: dest });
    throw err;
  } finally {
    db.close();
    fs.rmSync(tmp, { force: true });
  }
}
