// A trial's stored files belong to the database that wrote them: two databases in one data folder, and a
// database re-created in place, never touch each other's files; a folder that exists is never written into;
// files are read back only through their own database; the old shared layout is still read, when its manifest
// shows the files are the trial's own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTrial } from '../../src/core/export/exportBundle';
import { ArtifactError, readTrialArtifact, trialArtifacts, trialArtifactsDir } from '../../src/core/storage/artifacts';
import { migrations } from '../../src/core/storage/migrations';
import { openStorage } from '../../src/core/storage/sqlite';
import type { Storage } from '../../src/core/storage/types';
import { createManualTrial } from '../../src/core/trainer/manualTrial';
import { runTrial } from '../../src/core/trainer/runTrial';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { folderHashes } from '../helpers/crash';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let images: string;
let dataDir: string;
let artifactsRoot: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-artifacts-'));
  images = await makeImageFolder(path.join(tmp, 'images'), ['a', 'b'], 10, 8);
  dataDir = path.join(tmp, 'home');
  artifactsRoot = path.join(dataDir, 'artifacts');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Trains one hand-configured trial with the given latent size (1 epoch on 8x8 images). */
async function train(storage: Storage, latentSize: number) {
  const request = { datasetPath: images, params: { ...DEFAULT_PARAMS, imageSize: 8, latentSize, hiddenUnits: [8], epochs: 1, batchSize: 8 } };
  const trialId = await createManualTrial(storage, request);
  const out = await runTrial({ storage, trialId, request, cacheDir: path.join(dataDir, 'cache'), artifactsDir: artifactsRoot });
  return { trialId, out, trial: await storage.getTrial(trialId) ?? (null as never) };
}

const recordedLatent = async (storage: Storage, trialId: number): Promise<number> =>
  (JSON.parse((await readTrialArtifact(storage, (await storage.getTrial(trialId)) ?? (null as never), 'training')).toString('utf8')) as { latentSize: number }).latentSize;

describe('artifacts that belong to their database', () => {
  it('two databases in one data folder keep their own files for the same trial id', async () => {
    const a = openStorage(path.join(dataDir, 'a.sqlite'), { create: true });
    const b = openStorage(path.join(dataDir, 'b.sqlite'), { create: true });
    expect(a.databaseId).not.toBe(b.databaseId);
    const ta = await train(a, 3);
    const aFiles = folderHashes(ta.out.artifactDir as string);
    const tb = await train(b, 7);
    expect([ta.out.state, tb.out.state]).toEqual(['COMPLETE', 'COMPLETE']);
    expect(ta.trialId).toBe(tb.trialId); // the same row id in both databases...
    expect(ta.out.artifactDir).toBe(trialArtifactsDir(artifactsRoot, a.databaseId, ta.trialId));
    expect(tb.out.artifactDir).not.toBe(ta.out.artifactDir); // ...but folders of their own
    expect(folderHashes(ta.out.artifactDir as string)).toEqual(aFiles);
    expect(await recordedLatent(a, ta.trialId)).toBe(3);
    expect(await recordedLatent(b, tb.trialId)).toBe(7);
    // Exporting the first database's trial gives its own encoder.
    const exported = path.join(tmp, 'export-a');
    const locations = { artifactsDir: artifactsRoot, cacheDir: path.join(dataDir, 'cache'), sampleDir: path.join(dataDir, 'sample'), dbPath: path.join(dataDir, 'a.sqlite') };
    await exportTrial({ storage: a, trialId: ta.trialId, folder: exported, locations });
    expect((JSON.parse(fs.readFileSync(path.join(exported, 'manifest.json'), 'utf8')) as { output: { codeSize: number } }).output.codeSize).toBe(3);
    // The second database's trial with the same id exports its own encoder, not the first's.
    const exportedB = path.join(tmp, 'export-b');
    await exportTrial({ storage: b, trialId: tb.trialId, folder: exportedB, locations: { ...locations, dbPath: path.join(dataDir, 'b.sqlite') } });
    expect((JSON.parse(fs.readFileSync(path.join(exportedB, 'manifest.json'), 'utf8')) as { output: { codeSize: number } }).output.codeSize).toBe(7);
    // A trial's files are read only through their own database.
    await expect(trialArtifacts(b, ta.trial)).rejects.toThrow(ArtifactError);
    await expect(trialArtifacts(b, ta.trial)).rejects.toThrow(/belongs to another trial database/);
    await a.close();
    await b.close();
  });

  it('a database re-created in place gets a new id and never touches the old files', async () => {
    const file = path.join(dataDir, 'again.sqlite');
    const first = openStorage(file, { create: true });
    const old = await train(first, 3);
    const oldFiles = folderHashes(old.out.artifactDir as string);
    const oldId = first.databaseId;
    await first.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    const second = openStorage(file, { create: true });
    expect(second.databaseId).not.toBe(oldId);
    const fresh = await train(second, 5);
    expect(fresh.trialId).toBe(old.trialId);
    expect(fresh.out.artifactDir).not.toBe(old.out.artifactDir);
    expect(folderHashes(old.out.artifactDir as string)).toEqual(oldFiles);
    expect(await recordedLatent(second, fresh.trialId)).toBe(5);
    await second.close();
  });

  it('never writes a new trial into a folder that exists', async () => {
    const s = openStorage(path.join(dataDir, 'taken.sqlite'), { create: true });
    const next = trialArtifactsDir(artifactsRoot, s.databaseId, 1);
    fs.mkdirSync(next, { recursive: true });
    fs.writeFileSync(path.join(next, 'model.json'), 'someone else');
    const t = await train(s, 3);
    expect(t.out.state).toBe('FAILED');
    expect(t.trial.failReason).toMatch(/exists already, so trial 0 of "Manual trials" does not write into it/);
    expect(fs.readdirSync(next)).toEqual(['model.json']);
    expect(fs.readFileSync(path.join(next, 'model.json'), 'utf8')).toBe('someone else');
    await s.close();
  });
});

describe('the old layout (artifacts/trial-<id>, shared by every database of the data folder)', () => {
  /** A schema-2 database with one COMPLETE trial whose files are in the old folder. */
  function legacyDatabase(file: string, study: string, window: { started: string; finished: string }): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    for (const m of migrations.slice(0, 2)) db.exec(m.sql);
    db.pragma('user_version = 2');
    db.prepare("INSERT INTO studies (name, kind, created_at) VALUES (?, 'manual', 'x')").run(study);
    db.prepare("INSERT INTO trials (study_id, number, state, artifact_dir, created_at, started_at, finished_at) VALUES (1, 0, 'COMPLETE', ?, 'x', ?, ?)").run(
      path.join(artifactsRoot, 'trial-1'),
      window.started,
      window.finished,
    );
    db.close();
  }

  it('reads a trial whose manifest names it, and refuses one written by another database', async () => {
    const legacyDir = path.join(artifactsRoot, 'trial-1');
    fs.mkdirSync(legacyDir, { recursive: true });
    const manifest = { trial: { id: 1, study: 'Manual trials', number: 0 }, createdAt: '2026-01-01T10:00:05.000Z', latentSize: 4 };
    fs.writeFileSync(path.join(legacyDir, 'manifest.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(legacyDir, 'latents.json'), '{"latentSize":4,"codes":[],"labels":[]}');
    const before = folderHashes(legacyDir);

    const ownFile = path.join(tmp, 'legacy', 'own.sqlite');
    legacyDatabase(ownFile, 'Manual trials', { started: '2026-01-01T10:00:00.000Z', finished: '2026-01-01T10:00:06.000Z' });
    const own = openStorage(ownFile); // migrates: the old database gets an id of its own
    expect(own.databaseId).toMatch(/^[0-9a-f]{32}$/);
    const trial = (await own.getTrial(1)) ?? (null as never);
    expect((await trialArtifacts(own, trial)).dir).toBe(legacyDir);
    expect((await readTrialArtifact(own, trial, 'latents')).toString('utf8')).toContain('"latentSize":4');

    // Another old database of the same data folder, whose trial 1 was overwritten by the one above.
    const otherFile = path.join(tmp, 'legacy', 'other.sqlite');
    legacyDatabase(otherFile, 'Manual trials', { started: '2025-12-01T09:00:00.000Z', finished: '2025-12-01T09:05:00.000Z' });
    const other = openStorage(otherFile);
    const theirs = await other.getTrial(1) ?? (null as never);
    await expect(trialArtifacts(other, theirs)).rejects.toThrow(/outside the time this trial ran: another database's trial overwrote it/);
    const renamed = { ...theirs, studyName: 'another study' };
    await expect(trialArtifacts(other, renamed)).rejects.toThrow(/its manifest names trial 1 \(Manual trials #0\), written by another database/);
    expect(folderHashes(legacyDir)).toEqual(before);
    await own.close();
    await other.close();
  });
});
