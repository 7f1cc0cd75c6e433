// A trial trained by a worker is exported on "another machine": a worker process trains a study kept in a
// throw-away PostgreSQL cluster from data folder X, and `latent-lab export --storage` from data folder Y (no
// copy of X's files) produces a bundle whose features are the worker's. A damaged stored copy and a trial whose
// files were over the size cap give clear errors and change nothing stored. Runs from folders outside the
// repository; one cluster for the file. Also: a spec's `storage` key, the flag that overrides it, and
// db check / db backup on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorageAt } from '../../src/core/storage/open';
import { readTrialAttributes } from '../../src/core/study/attributes';
import { Study } from '../../src/core/study/study';
import { makeCrashWorld, runCli } from '../helpers/crash';
import { startPgCluster } from '../helpers/pgCluster';

const cluster = await startPgCluster();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-shared-artifacts-'));
afterAll(() => {
  cluster?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** What is stored of the trials and their files, to compare before and after a failed read. */
async function storedState(url: string): Promise<unknown> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const trials = (await c.query('SELECT id, number, state, artifact_dir, finished_at FROM trials ORDER BY id')).rows;
    const files = (await c.query('SELECT trial_id, name, size, md5(gzip) AS md5 FROM trial_artifacts ORDER BY trial_id, name')).rows;
    const attrs = (await c.query('SELECT trial_id, key, value_json FROM trial_attrs ORDER BY trial_id, key')).rows;
    return { trials, files, attrs };
  } finally {
    await c.end();
  }
}

/** Folders under Y's artifacts (the unpacked copies, and any half-written one). */
const foldersUnder = (root: string): string[] =>
  fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name)) : [];

if (!cluster) {
  describe.skip('trial files in a shared study database (PostgreSQL is not installed: apt-get install postgresql)', () => it('export on another machine', () => {}));
} else {
  describe('trial files in a shared study database', () => {
    it('a worker in folder X trains, export from folder Y has its features; damaged and over-cap copies are refused', { timeout: 600_000 }, async () => {
      const x = path.join(tmp, 'machine-x');
      const y = path.join(tmp, 'machine-y');
      fs.mkdirSync(y, { recursive: true });
      const world = await makeCrashWorld(x);
      const url = await cluster.createDatabase();
      const storage = await openStorageAt(url);
      for (const [name, trials] of [['shared', 2], ['big', 1]] as const) {
        const spec = JSON.parse(fs.readFileSync(path.join(x, world.spec(name, trials, 1)), 'utf8')) as { dataset: { path: string } };
        await Study.create(storage, { ...spec, dataset: { ...spec.dataset, path: path.join(x, 'images') } } as Parameters<typeof Study.create>[1]);
      }

      const worker = runCli(x, ['worker', '--storage', url, '--study', 'shared', '--data-dir', 'home-x']);
      expect(worker.code, worker.stdout + worker.stderr).toBe(0);
      const trials = await storage.listTrials({ studyId: (await storage.getStudy('shared'))!.id, states: ['COMPLETE'] });
      expect(trials).toHaveLength(2);
      const [t0, t1] = trials;
      expect(t0.artifactDir?.startsWith(path.join(x, 'home-x'))).toBe(true);

      // Machine Y: the same database, its own data folder, none of X's files (moved out of sight here, as
      // another machine would not see them).
      const workerFeatures = fs.readFileSync(path.join(t0.artifactDir!, 'features.csv'), 'utf8');
      fs.renameSync(path.join(x, 'home-x'), path.join(x, 'home-x-away'));
      const exported = runCli(y, ['export', '--storage', url, '--study', 'shared', '--trial', String(t0.number), '--out', 'bundle', '--data-dir', 'home-y']);
      expect(exported.code, exported.stdout + exported.stderr).toBe(0);
      expect(fs.readFileSync(path.join(y, 'bundle', 'features.csv'), 'utf8')).toBe(workerFeatures);
      const unpacked = path.join(y, 'home-y', 'artifacts', `db-${storage.databaseId}`, `trial-${t0.id}`);
      expect(JSON.parse(fs.readFileSync(path.join(unpacked, 'owner.json'), 'utf8'))).toMatchObject({ database: storage.databaseId, trialId: t0.id });
      // show reads the shared study from Y as well.
      expect(runCli(y, ['show', 'shared', '--storage', url, '--data-dir', 'home-y']).stdout).toMatch(/states: .*2 COMPLETE/);

      // A damaged copy of trial 1's features.csv: a clear error, nothing written on Y, nothing changed in the database.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const good = gzipSync(Buffer.from('file,label,z_0\n'));
      await c.query("UPDATE trial_artifacts SET gzip = $2 WHERE trial_id = $1 AND name = 'features.csv'", [t1.id, Buffer.concat([good.subarray(0, 12), Buffer.from('damage'), good.subarray(18)])]);
      await c.end();
      const before = await storedState(url);
      const foldersBefore = foldersUnder(path.join(y, 'home-y', 'artifacts'));
      const damaged = runCli(y, ['export', '--storage', url, '--study', 'shared', '--trial', String(t1.number), '--out', 'bundle1', '--data-dir', 'home-y']);
      expect(damaged.code).not.toBe(0);
      expect(damaged.stderr).toMatch(new RegExp(`The stored features.csv of trial ${t1.number} of "shared" in the study database postgresql://.* is damaged \\(.+\\); nothing was written`));
      expect(await storedState(url)).toEqual(before);
      expect(foldersUnder(path.join(y, 'home-y', 'artifacts'))).toEqual(foldersBefore);
      expect(fs.existsSync(path.join(y, 'bundle1'))).toBe(false);

      fs.renameSync(path.join(x, 'home-x-away'), path.join(x, 'home-x'));
      // Over the cap: the trial stays COMPLETE, the worker says so, its files stay on X, Y is told where.
      const capped = runCli(x, ['worker', '--storage', url, '--study', 'big', '--data-dir', 'home-x', '--artifact-cap', '0.001']);
      expect(capped.code, capped.stdout + capped.stderr).toBe(0);
      expect(capped.stdout).toMatch(/Trial #0 of "big": its files are .+ compressed, over the 1\.0 KB cap of the shared study database .*they stay on this machine/);
      const [big] = await storage.listTrials({ studyId: (await storage.getStudy('big'))!.id });
      expect(big.state).toBe('COMPLETE');
      expect((await readTrialAttributes(storage, big.id)).artifactsKeptOn).toMatchObject({ folder: big.artifactDir, cap: 1049 });
      expect(await storage.artifactBlobs!.trialsWithBlobs([big.id, t0.id])).toEqual(new Set([t0.id]));
      fs.renameSync(path.join(x, 'home-x'), path.join(x, 'home-x-away'));
      const beforeBig = await storedState(url);
      const elsewhere = runCli(y, ['export', '--storage', url, '--study', 'big', '--trial', '0', '--out', 'bundle2', '--data-dir', 'home-y']);
      expect(elsewhere.code).not.toBe(0);
      expect(elsewhere.stderr).toMatch(/Trial 0 of "big" keeps its files on the machine that trained it \(.+, folder .+\): they were .+ compressed, over the 1\.0 KB a shared study database stores per trial/);
      expect(await storedState(url)).toEqual(beforeBig);
      await storage.close();
    });

    it('a spec names its storage; --db or --storage wins with a note; a password in a spec is refused unseen', { timeout: 300_000 }, async () => {
      const dir = path.join(tmp, 'spec-storage');
      const world = await makeCrashWorld(dir);
      const url = await cluster.createDatabase();
      const withStorage = (name: string, storage: string): string => {
        const file = world.spec(name, 1, 1);
        const spec = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
        fs.writeFileSync(path.join(dir, file), JSON.stringify({ ...spec, storage }));
        return file;
      };
      const run = runCli(dir, ['search', '--spec', withStorage('remote', url), '--data-dir', 'home']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain(`Storage: ${url} (the spec's storage key)`);
      const storage = await openStorageAt(url);
      expect((await storage.listTrials({ studyId: (await storage.getStudy('remote'))!.id })).map((t) => t.state)).toEqual(['COMPLETE']);
      await storage.close();
      expect(fs.existsSync(path.join(dir, 'home', 'trials.sqlite'))).toBe(false);

      const overridden = runCli(dir, ['search', '--spec', withStorage('local', url), '--dry-run', '--db', 'local.sqlite']);
      expect(overridden.code, overridden.stderr).toBe(0);
      expect(overridden.stdout).toContain(`Note: --db local.sqlite overrides the spec's storage ${url}: the study is stored in the former.`);

      const secret = url.replace('postgres@', 'postgres:hunter2@');
      const refused = runCli(dir, ['search', '--spec', withStorage('secret', secret), '--dry-run']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/storage must not hold a password .*PGPASSWORD/);
      expect(refused.stdout + refused.stderr).not.toContain('hunter2');
    });

    it('db check and db backup on a shared study database', { timeout: 300_000 }, async () => {
      const dir = path.join(tmp, 'db-maintenance');
      fs.mkdirSync(dir, { recursive: true });
      const url = await cluster.createDatabase();
      const storage = await openStorageAt(url);
      const study = await storage.createStudy('kept', 'search', ['minimize'], {});
      const owner = { host: 'far-away', pid: 4242, start: 'x' };
      const stored = await storage.createTrial(study.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null, owner });
      const files = ['model.json', 'weights.bin', 'training.json', 'features.csv', 'owner.json'].map((name) => ({ name, size: 2, gzip: gzipSync(Buffer.from('{}')) }));
      await storage.artifactBlobs!.putTrialBlobs(stored.id, files);
      await storage.updateTrial(stored.id, { artifactDir: '/elsewhere/trial' });
      await storage.setTrialState(stored.id, 'COMPLETE');
      const lost = await storage.createTrial(study.id, { state: 'RUNNING', params: {}, seed: 2, datasetPath: null, owner });
      await storage.updateTrial(lost.id, { artifactDir: '/elsewhere/lost' });
      await storage.setTrialState(lost.id, 'COMPLETE');
      const stale = await storage.createTrial(study.id, { state: 'RUNNING', params: {}, seed: 3, datasetPath: null, owner });
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query("UPDATE trials SET heartbeat_at = now() - interval '5 minutes' WHERE id = $1", [stale.id]);
      const before = await storedState(url);

      const bad = runCli(dir, ['db', 'check', '--storage', url, '--data-dir', 'home']);
      expect(bad.code).toBe(4);
      expect(bad.stdout).toMatch(/^artifacts: trial #1 of "kept" \(id \d+\): no copy in the database and no folder on this machine \(\/elsewhere\/lost\)\.$/m);
      expect(bad.stdout).toMatch(/^stale: trial #2 of "kept" is RUNNING on far-away:4242 with last heartbeat 3\d\d s ago \(database clock\)/m);
      expect(bad.stdout).toContain('2 problem(s) in postgresql://');
      expect(await storedState(url)).toEqual(before);

      await storage.setTrialState(stale.id, 'FAILED', 'stale');
      await c.query('DELETE FROM trials WHERE id = $1', [lost.id]);
      await c.end();
      const good = runCli(dir, ['db', 'check', '--storage', url, '--data-dir', 'home']);
      expect(good.code, good.stdout).toBe(0);
      expect(good.stdout).toMatch(/^ok: postgresql:\/\/.+: schema 1, 1 studies, 2 trials, no orphaned rows, no stale RUNNING trial, every COMPLETE trial's files stored\.$/m);

      // pg_dump's custom format; the same file again is refused and left as it was.
      const dumped = runCli(dir, ['db', 'backup', 'shared.dump', '--storage', url]);
      expect(dumped.code, dumped.stdout + dumped.stderr).toBe(0);
      expect(dumped.stdout).toMatch(/Backed up postgresql:\/\/.+ to .*shared\.dump \(\d+ KB, pg_dump, custom format/);
      const bytes = fs.readFileSync(path.join(dir, 'shared.dump'));
      const again = runCli(dir, ['db', 'backup', 'shared.dump', '--storage', url]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/shared\.dump exists already: a backup never overwrites a file/);
      expect(fs.readFileSync(path.join(dir, 'shared.dump')).equals(bytes)).toBe(true);
      // Without pg_dump on PATH: the JSON snapshot, every table.
      fs.mkdirSync(path.join(dir, 'no-tools'));
      const json = runCli(dir, ['db', 'backup', 'shared.json', '--storage', url], { PATH: path.join(dir, 'no-tools') });
      expect(json.code, json.stdout + json.stderr).toBe(0);
      expect(json.stdout).toContain('JSON, every table in one snapshot');
      const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'shared.json'), 'utf8')) as { format: string; tables: Record<string, unknown[]> };
      expect(snapshot.format).toBe('latent-lab-postgres-backup');
      expect(snapshot.tables.trials).toHaveLength(2);
      expect(snapshot.tables.trial_artifacts).toHaveLength(5);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
      await storage.close();
    });
  });
}
