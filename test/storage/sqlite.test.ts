import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, migrations, openStorage, StorageError } from '../../src/core/storage';
import { storageSuite } from './suite';
import { checkLiveViews } from './liveViewChecks';

const dirs: string[] = [];
const tmpDb = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-storage-'));
  dirs.push(dir);
  return path.join(dir, 'sub', 'trials.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

storageSuite('sqlite', () => openStorage(tmpDb(), { create: true }));

describe('sqlite storage', () => {
  it('creates the schema, in WAL mode, at the latest version', async () => {
    const file = tmpDb();
    await openStorage(file, { create: true }).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['studies', 'trials', 'trial_params', 'trial_values', 'trial_intermediate_values', 'trial_metrics', 'trial_attrs']));
    db.close();
  });

  it('stores a trial with params, metrics, state and attrs that survive a reopen', async () => {
    const file = tmpDb();
    const s = openStorage(file, { create: true });
    const study = await s.getOrCreateStudy('Manual trials', 'manual');
    const t = await s.createTrial(study.id, { state: 'WAITING', params: { latentSize: 8, hiddenUnits: [32] }, seed: 7, datasetPath: '/data/x' });
    expect(t.number).toBe(0);
    await s.setTrialState(t.id, 'RUNNING');
    await s.updateTrial(t.id, { backend: 'wasm' });
    await s.reportStep(t.id, 1, { trainLoss: 0.5, valLoss: 0.6 }, 0.6);
    await s.reportStep(t.id, 2, { trainLoss: 0.4, valLoss: Number.NaN }, Number.NaN);
    await s.setTrialAttr(t.id, 'versions', { app: '0.1.0' });
    await s.setTrialValues(t.id, [0.6]);
    await s.setTrialState(t.id, 'COMPLETE');
    await s.close();

    const r = openStorage(file);
    const got = await r.getTrial(t.id);
    expect(got).toMatchObject({ state: 'COMPLETE', seed: 7, backend: 'wasm', datasetPath: '/data/x', studyName: 'Manual trials', values: [0.6] });
    expect(got?.finishedAt).not.toBeNull();
    expect(got?.params).toEqual({ latentSize: 8, hiddenUnits: [32] });
    expect(await r.getMetrics(t.id)).toEqual([
      { step: 1, values: { trainLoss: 0.5, valLoss: 0.6 } },
      { step: 2, values: { trainLoss: 0.4, valLoss: null } },
    ]);
    expect(await r.getTrialAttrs(t.id)).toEqual({ versions: { app: '0.1.0' } });
    // The same study is found again, not duplicated; numbering continues.
    const again = await r.getOrCreateStudy('Manual trials', 'manual');
    expect(again.id).toBe(study.id);
    expect((await r.createTrial(again.id, { state: 'WAITING', params: {}, seed: null, datasetPath: null })).number).toBe(1);
    await r.close();
  });

  it("keeps a running trial's live reconstructions for another process's window, and drops them when it ends", async () => {
    const file = tmpDb();
    const s = openStorage(file, { create: true });
    // The app watching a terminal's search: a connection of its own to the same file.
    const other = openStorage(file);
    await checkLiveViews(s, other);
    await other.close();
    await s.close();
  });

  it('records FAILED with its reason', async () => {
    const s = openStorage(tmpDb(), { create: true });
    const study = await s.getOrCreateStudy('s', 'manual');
    const t = await s.createTrial(study.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null });
    await s.setTrialState(t.id, 'FAILED', 'non-finite loss');
    expect(await s.getTrial(t.id)).toMatchObject({ state: 'FAILED', failReason: 'non-finite loss' });
    await expect(s.setTrialState(9999, 'FAILED')).rejects.toThrow(StorageError);
    await s.close();
  });

  it('migrates an older database forward and refuses a newer one', async () => {
    const file = tmpDb();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION); // idempotent
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStorage(file)).toThrow(/newer Latent Lab/);
  });

  it('upgrades a version-1 database in place and keeps its trials', async () => {
    const file = tmpDb();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec(migrations[0].sql);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO studies (name, kind, created_at) VALUES ('Manual trials', 'manual', 'x')").run();
    db.prepare("INSERT INTO trials (study_id, number, state, created_at) VALUES (1, 0, 'COMPLETE', 'x')").run();
    db.close();
    const s = openStorage(file);
    expect(await s.listTrials()).toHaveLength(1);
    expect(await s.getTrial(1)).toMatchObject({ state: 'COMPLETE', retryOf: null });
    await s.close();
  });

  it('explains an unopenable database path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-storage-'));
    dirs.push(dir);
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'x');
    expect(() => openStorage(path.join(blocker, 'trials.sqlite'), { create: true })).toThrow(/Cannot open the trial database/);
  });
});
