// `latent-lab db check | backup`: look after the trial database itself.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLocations } from '../core/paths';
import { ArtifactError, trialArtifacts } from '../core/storage/artifacts';
import { backupDatabase, checkDatabaseFile, openStorage } from '../core/storage/sqlite';
import { isDatabaseUrl } from '../shared/databaseUrl';
import type { Storage } from '../core/storage/types';
import { UsageError } from './args';
import { EXIT } from './exitCodes';

const out = (line: string): void => void process.stdout.write(line + '\n');

export const DB_HELP = `Usage: latent-lab db <check | backup <file>> [--db <file> | --storage <url>] [--data-dir <folder>]

  check          Checks the trial database: SQLite's integrity and foreign-key checks, and that every
                 COMPLETE trial's stored files are there and belong to this database. One line per
                 problem; exits 4 when there is any, 0 when all is well. Never writes.
                 With --storage postgresql://...: the schema version, orphaned rows, RUNNING trials whose
                 heartbeat is stale (by the database's clock), and every COMPLETE trial's stored files.
  backup <file>  Copies the database into a new file with SQLite's online backup (consistent even while a
                 study runs). Refuses to overwrite an existing file.
                 With --storage: a consistent snapshot by pg_dump (custom format, restore with pg_restore)
                 when it is on PATH, else a JSON document of every table (--format pg_dump | json).
`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { db: { type: 'string' }, storage: { type: 'string' }, format: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see latent-lab db --help)`);
  }
}

/** COMPLETE trials whose stored files are missing or belong to something else, one line each. */
async function artifactProblems(storage: Storage, artifactsRoot: string): Promise<string[]> {
  const problems: string[] = [];
  for (const t of await storage.listTrials({ states: ['COMPLETE'] })) {
    try {
      await trialArtifacts(storage, t, artifactsRoot);
    } catch (err) {
      if (!(err instanceof ArtifactError)) throw err;
      problems.push(`artifacts: trial id ${t.id}: ${err.message}`);
    }
  }
  return problems;
}

async function check(dbPath: string, artifactsRoot: string): Promise<number> {
  const problems = checkDatabaseFile(dbPath);
  if (problems.length === 0) {
    const storage = openStorage(dbPath, { readonly: true });
    try {
      problems.push(...(await artifactProblems(storage, artifactsRoot)));
      if (problems.length === 0) {
        const trials = await storage.listTrials();
        out(`ok: ${dbPath}: integrity ok, ${(await storage.listStudies()).length} studies, ${trials.length} trials, every COMPLETE trial's files present and its own.`);
        return EXIT.ok;
      }
    } finally {
      await storage.close();
    }
  }
  for (const p of problems) out(p);
  out(`${problems.length} problem(s) in ${dbPath}.`);
  return EXIT.database;
}

async function checkShared(url: string, artifactsRoot: string): Promise<number> {
  const { checkPostgres } = await import('../core/storage/pgMaintenance');
  const r = await checkPostgres(url, artifactsRoot);
  for (const n of r.notes) out(n);
  if (r.problems.length === 0) {
    out(r.summary);
    return EXIT.ok;
  }
  for (const p of r.problems) out(p);
  out(`${r.problems.length} problem(s) in ${r.url}.`);
  return EXIT.database;
}

async function backupShared(url: string, dest: string | undefined, format: 'pg_dump' | 'json' | undefined): Promise<number> {
  if (!dest) throw new UsageError('Give the backup file: latent-lab db backup <file> --storage <url> (a new file; it is never overwritten).');
  const target = path.resolve(dest);
  const { backupPostgres } = await import('../core/storage/pgMaintenance');
  const r = await backupPostgres(url, target, { format });
  const how = r.format === 'pg_dump' ? 'pg_dump, custom format: restore with pg_restore' : 'JSON, every table in one snapshot';
  out(`Backed up ${r.url} to ${target} (${(r.bytes / 1024).toFixed(0)} KB, ${how}).`);
  return EXIT.ok;
}

async function backup(dbPath: string, dest: string | undefined): Promise<number> {
  if (!dest) throw new UsageError('Give the backup file: latent-lab db backup <file> (a new file; it is never overwritten).');
  const target = path.resolve(dest);
  const { bytes } = await backupDatabase(dbPath, target);
  out(`Backed up ${dbPath} to ${target} (${(bytes / 1024).toFixed(0)} KB).`);
  return EXIT.ok;
}

export async function dbCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [action, file, ...extra] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(DB_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const locations = resolveLocations({ dataDir: values['data-dir'], dbPath: values.db });
  if (values.storage !== undefined) {
    if (!isDatabaseUrl(values.storage)) throw new UsageError(`--storage expects a database address such as postgresql://user@host/database, got "${values.storage}" (a SQLite file is given with --db).`);
    if (values.db !== undefined) throw new UsageError('Give either --db <file> or --storage <url>, not both.');
    const format = values.format;
    if (format !== undefined && format !== 'pg_dump' && format !== 'json') throw new UsageError(`--format expects pg_dump or json, got "${format}".`);
    if (action === 'check' && file === undefined) return checkShared(values.storage, locations.artifactsDir);
    if (action === 'backup' && extra.length === 0) return backupShared(values.storage, file, format);
  } else if (values.format !== undefined) {
    throw new UsageError('--format applies to a shared study database (--storage); a SQLite backup is always a SQLite file.');
  }
  if (action === 'check' && file === undefined) return check(locations.dbPath, locations.artifactsDir);
  if (action === 'backup' && extra.length === 0) return backup(locations.dbPath, file);
  throw new UsageError(`Unknown db command "${positionals.join(' ')}": use latent-lab db check, or latent-lab db backup <file>.`);
}
