// A trial database file that is empty, truncated, foreign, damaged, a folder or read-only is an error naming the
// file and what to do; it is never replaced by a new empty database, and it is left byte for byte as it was.
// The same cases through the CLI (one line, exit 4, no stack) and the app services (an error, not "no studies").
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { backupDatabase, checkDatabaseFile, openStorage } from '../../src/core/storage/sqlite';
import { StorageError } from '../../src/core/storage/types';
import type { TrainerChannel } from '../../src/core/trainer/protocol';
import { createAppServices } from '../../src/server/services/appServices';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-dbfile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
const fresh = (): string => path.join(tmp, `case-${++counter}`, 'trials.sqlite');

/** A real database with a study, trials and enough metrics to span many pages; closed (WAL checkpointed). */
async function makeDatabase(file: string): Promise<void> {
  const s = openStorage(file, { create: true });
  const study = await s.createStudy('kept', 'search', ['minimize'], { name: 'kept' });
  for (let i = 0; i < 30; i++) {
    const t = await s.createTrial(study.id, { state: 'RUNNING', params: { latentSize: i }, seed: 1, datasetPath: '/d' });
    for (let e = 1; e <= 20; e++) await s.reportStep(t.id, e, { trainLoss: 1 / e, valLoss: 1 / e + i, seconds: 0.5 }, 1 / e);
    await s.setTrialValues(t.id, [i]);
    await s.setTrialState(t.id, 'COMPLETE');
  }
  await s.close();
}

const hash = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

interface Case {
  name: string;
  code: StorageError['code'];
  message: RegExp;
  make(file: string): void | Promise<void>;
}

const cases: Case[] = [
  { name: 'zero-byte', code: 'DB_EMPTY', message: /is empty \(0 bytes\).*Restore it from a backup/, make: (f) => fs.writeFileSync(f, '') },
  {
    name: 'truncated',
    code: 'DB_TRUNCATED',
    message: /is truncated: \d+ bytes where its header says \d+ pages/,
    make: async (f) => {
      await makeDatabase(f);
      fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2));
    },
  },
  {
    name: 'corrupt-page',
    code: 'DB_DAMAGED',
    message: /is damaged \(Tree \d+ page \d+: .+\): run latent-lab db check/,
    make: async (f) => {
      await makeDatabase(f);
      // The last page's b-tree header gets an impossible page type: SQLite's check finds it.
      const size = fs.statSync(f).size;
      const pageSize = fs.readFileSync(f).readUInt16BE(16);
      const fd = fs.openSync(f, 'r+');
      fs.writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, size - pageSize);
      fs.closeSync(fd);
    },
  },
  { name: 'foreign', code: 'DB_NOT_SQLITE', message: /is not a SQLite database/, make: (f) => fs.writeFileSync(f, 'name,value\n'.repeat(40)) },
  { name: 'directory', code: 'DB_IS_FOLDER', message: /is a folder, not a trial database file/, make: (f) => fs.mkdirSync(f) },
  {
    name: 'read-only',
    code: 'DB_READONLY',
    message: /is read-only: make it writable/,
    make: async (f) => {
      await makeDatabase(f);
      fs.chmodSync(f, 0o444);
    },
  },
];

/** What is at the path: a file's hash, or a folder's listing; plus what else is in its folder. */
function snapshot(file: string): string {
  const st = fs.statSync(file);
  const here = st.isDirectory() ? `dir:${fs.readdirSync(file).join(',')}` : `file:${hash(file)}`;
  return `${here} siblings:${fs.readdirSync(path.dirname(file)).sort().join(',')}`;
}

describe('a trial database that cannot be used', () => {
  it.each(cases)('$name: an error naming the file, and the file left as it was', async (c) => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await c.make(file);
    const before = snapshot(file);
    let error: unknown;
    try {
      await openStorage(file, { create: true, check: true }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe(c.code);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(c.message);
    expect(snapshot(file)).toBe(before);
  });

  it('is reported by db check, one line per problem, without writing', async () => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await cases[2].make(file);
    const before = hash(file);
    const problems = checkDatabaseFile(file);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
    expect(problems.join('\n')).toMatch(/integrity: /);
    expect(hash(file)).toBe(before);
    const good = fresh();
    await makeDatabase(good);
    expect(checkDatabaseFile(good)).toEqual([]);
  });

  it('is created only where no file exists, atomically, and the caller learns where', async () => {
    const file = fresh();
    const created: string[] = [];
    expect(() => openStorage(file)).toThrow(/No trial database at .*trials\.sqlite/);
    expect(fs.existsSync(file)).toBe(false);
    await openStorage(file, { create: true, onCreate: (p) => created.push(p) }).close();
    expect(created).toEqual([file]);
    // Opening it again creates nothing, and no temporary file is left behind.
    await openStorage(file, { create: true, onCreate: (p) => created.push(p) }).close();
    expect(created).toHaveLength(1);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('creating'))).toEqual([]);
  });
});

describe('db backup', () => {
  it('copies a database that is being written to, and never overwrites a file', async () => {
    const file = fresh();
    await makeDatabase(file);
    const writer = openStorage(file);
    const study = await writer.getStudy('kept');
    const open = await writer.createTrial(study?.id ?? 0, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null });
    await writer.reportStep(open.id, 1, { valLoss: 0.5 }, 0.5); // uncheckpointed WAL content must be in the copy
    const dest = path.join(path.dirname(file), 'backup.sqlite');
    await backupDatabase(file, dest);
    await writer.close();
    const copy = openStorage(dest, { readonly: true });
    expect(await copy.listTrials()).toHaveLength(31);
    expect(await copy.getMetrics(open.id)).toEqual([{ step: 1, values: { valLoss: 0.5 } }]);
    await copy.close();
    const before = hash(dest);
    await expect(backupDatabase(file, dest)).rejects.toThrow(/exists already: a backup never overwrites/);
    expect(hash(dest)).toBe(before);
  });
});

describe('through the CLI and the app', () => {
  it('the CLI prints one line naming the file and exits 4, with no stack trace', async () => {
    for (const c of cases) {
      const file = fresh();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await c.make(file);
      const before = snapshot(file);
      const r = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), 'studies', '--db', file], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${c.name}: ${r.stderr}`).toBe(4);
      const lines = r.stderr.trim().split('\n');
      expect(lines, c.name).toHaveLength(1);
      expect(lines[0]).toContain(file);
      expect(lines[0]).not.toMatch(/\n\s+at /);
      expect(snapshot(file), c.name).toBe(before);
    }
    // Seven CLI starts one after another: tens of seconds on a loaded machine.
  }, 240_000);

  it('the app shows a damaged database as an error, never as an empty list of studies', async () => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await cases[2].make(file);
    const ready: TrainerChannel = {
      send: () => {},
      onMessage: (l) => queueMicrotask(() => l({ type: 'ready', backend: 'cpu', backendNote: 'cpu', backendNotes: [], tfjsVersion: 'x' })),
      onExit: () => {},
      kill: () => {},
    };
    const services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.dirname(file), dbPath: file }), spawnTrainer: () => ready });
    try {
      await expect(services.handlers['studies.list']({})).rejects.toMatchObject({ code: 'DB_DAMAGED', message: expect.stringContaining(file) });
      await expect(services.handlers['trials.list']({})).rejects.toMatchObject({ code: 'DB_DAMAGED' });
      expect((await services.handlers['app.info']({})).dbPath).toBe(file);
    } finally {
      await services.dispose();
    }
  });
});
