// Looks at a trial database file before SQLite opens it. SQLite would happily turn an empty, truncated or
// foreign file into a fresh empty database (or fail later with a bare "file is not a database"); a user's
// studies must never vanish that way, so each case is an error that names the file and what to do.
import fs from 'node:fs';
import path from 'node:path';
import { StorageError } from './types';

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** 'missing' when there is no file yet; throws a StorageError for anything that is not a usable database file. */
export function inspectDatabaseFile(file: string, opts: { allowReadOnly?: boolean } = {}): 'missing' | 'present' {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new StorageError('DB_OPEN', { path: file, reason: (err as Error).message });
  }
  if (st.isDirectory()) throw new StorageError('DB_IS_FOLDER', { path: file, example: path.join(file, 'trials.sqlite') });
  if (!st.isFile()) throw new StorageError('DB_OPEN', { path: file, reason: 'it is not a regular file' });
  if (st.size === 0) throw new StorageError('DB_EMPTY', { path: file });
  const head = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || !head.subarray(0, 16).equals(HEADER)) {
    const what = read < 100 ? `only ${st.size} bytes long` : 'it does not start with "SQLite format 3"';
    throw new StorageError('DB_NOT_SQLITE', { path: file, what });
  }
  // Header: page size at offset 16 (1 means 65536), page count at 28, valid when the "version-valid-for"
  // number at 92 equals the change counter at 24. With a WAL file present the main file may legitimately lag.
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = head.readUInt32BE(28);
  const countValid = head.readUInt32BE(92) === head.readUInt32BE(24);
  const walSize = fileSize(`${file}-wal`);
  if (countValid && pages > 0 && walSize === 0 && st.size < pages * pageSize) {
    throw new StorageError('DB_TRUNCATED', { path: file, size: st.size, pages, pageSize });
  }
  if (!opts.allowReadOnly && !isWritable(file, st)) {
    throw new StorageError('DB_READONLY', { path: file });
  }
  return 'present';
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Writable for this user, and not marked read-only (a user's chmod a-w counts even for root). */
function isWritable(file: string, st: fs.Stats): boolean {
  if ((st.mode & 0o222) === 0) return false;
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** SQLite's check results on one line ("*** in database main ***" is a heading of its multi-line report). */
export const oneLine = (text: string): string => text.replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s*\n\s*/g, ' ').trim();

export const damaged = (file: string, detail: string): StorageError => new StorageError('DB_DAMAGED', { path: file, detail: oneLine(detail) });

export const isSqliteError = (err: unknown): boolean => /^SQLITE_/.test(String((err as { code?: unknown } | null)?.code ?? ''));

const SQLITE_DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/;

/** A low-level SQLite error as the StorageError a user can act on (names the file and what to do). */
export function toStorageError(err: unknown, dbPath: string, doing: 'open' | 'write' | 'read'): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  if (SQLITE_DAMAGED.test(code)) return damaged(dbPath, msg);
  if (code.startsWith('SQLITE_READONLY')) return new StorageError('DB_READONLY', { path: dbPath });
  if (doing !== 'write') return new StorageError('DB_OPEN', { path: dbPath, reason: msg });
  const hint = code === 'SQLITE_FULL' ? 'The disk is full: free some space; stored trials are kept.' : 'Stored trials are kept; retry, or choose another database with --db.';
  return new StorageError('DB_WRITE', { path: dbPath, reason: msg, hint });
}
