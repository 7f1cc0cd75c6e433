// The PostgreSQL storage: the shared suite, its schema versions, messages that never show a password, and
// two connections (two "machines") asking for trials of one study at once.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { StorageError, type Storage } from '../../src/core/storage';
import { openStorageAt } from '../../src/core/storage/open';
import { splitDatabaseUrl } from '../../src/core/storage/postgres';
import { databaseHost, databaseUrlHasPassword, maskDatabaseUrl } from '../../src/shared/databaseUrl';
import { PG_LATEST_SCHEMA_VERSION } from '../../src/core/storage/pgMigrations';
import { Study } from '../../src/core/study/study';
import { startPgCluster } from '../helpers/pgCluster';
import { storageSuite } from './suite';
import { listenForChanges } from '../../src/core/storage/pgListen';
import { checkLiveViews } from './liveViewChecks';

const cluster = await startPgCluster();
afterAll(() => cluster?.stop());

describe('database URLs', () => {
  it('keep the password out of what is shown', () => {
    expect(splitDatabaseUrl('postgresql://ann:s3cr%40t@db.lab:5433/studies')).toEqual({ url: 'postgresql://ann@db.lab:5433/studies', password: 's3cr@t' });
    expect(maskDatabaseUrl('postgresql://ann:s3cret@db.lab/studies')).toBe('postgresql://ann:***@db.lab/studies');
    expect(() => splitDatabaseUrl('postgresql://ann:pw@[bad')).toThrow(/postgresql:\/\/ann:\*\*\*@\[bad is not a database address/);
    expect(splitDatabaseUrl('postgresql://ann@db.lab/studies?sslmode=require&password=pw')).toEqual({ url: 'postgresql://ann@db.lab/studies?sslmode=require', password: 'pw' });
    expect(maskDatabaseUrl('postgresql://ann@db.lab/studies?password=pw&x=1')).toBe('postgresql://ann@db.lab/studies?password=***&x=1');
    expect(databaseUrlHasPassword('postgresql://ann@db.lab/studies')).toBe(false);
    expect(databaseUrlHasPassword('postgres://ann:pw@db.lab/studies')).toBe(true);
    expect(databaseHost('postgresql://ann:pw@db.lab:5433/studies')).toBe('db.lab:5433');
  });

  it('a server that does not answer is one message naming it, without the password', async () => {
    const err = await openStorageAt('postgresql://ann:topsecret@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('DB_SERVER_UNREACHABLE');
    expect((err as Error).message).toContain('postgresql://ann@127.0.0.1:1/none');
    expect((err as Error).message).not.toContain('topsecret');
  });
});

if (!cluster) {
  describe.skip('PostgreSQL storage (PostgreSQL is not installed: apt-get install postgresql)', () => it('runs the shared suite and the coordination tests', () => {}));
} else {
  storageSuite('postgresql', async () => openStorageAt(await cluster.createDatabase()));

  describe('PostgreSQL schema and coordination', () => {
    it('records its schema version, and an older build refuses a newer schema', async () => {
      const url = await cluster.createDatabase();
      const created: string[] = [];
      const s = await openStorageAt(url, { onCreate: (u) => created.push(u) });
      expect(created).toEqual([url]);
      expect(s.path).toBe(url);
      await s.close();
      const again = await openStorageAt(url, { onCreate: (u) => created.push(u) });
      await again.close();
      expect(created).toHaveLength(1);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      expect((await admin.query('SELECT MAX(version) AS v FROM schema_version')).rows[0].v).toBe(PG_LATEST_SCHEMA_VERSION);
      await admin.query("INSERT INTO schema_version (version, description) VALUES ($1, 'from the future')", [PG_LATEST_SCHEMA_VERSION + 1]);
      await admin.end();
      const err = await openStorageAt(url).catch((e: unknown) => e);
      expect((err as StorageError).code).toBe('DB_SERVER_NEWER');
      expect((err as Error).message).toMatch(/newer Latent Lab \(schema \d+, this build knows \d+\)/);
    });

    it('two machines asking at once: contiguous numbers, a grid run exactly once', async () => {
      const url = await cluster.createDatabase();
      const machines: Storage[] = await Promise.all([openStorageAt(url), openStorageAt(url), openStorageAt(url)]);
      const spec = {
        name: 'grid',
        dataset: { path: '/data' },
        searchSpace: { params: [{ name: 'x', type: 'int', low: 0, high: 5 }, { name: 'y', type: 'categorical', choices: ['a', 'b'] }] },
        sampler: { type: 'grid' },
        pruner: { type: 'nop' },
        budget: { trials: 100 },
        seed: 1,
      };
      await Study.create(machines[0], spec);
      const studies = await Promise.all(machines.map((m) => Study.load(m, 'grid')));
      // Each "machine" asks and finishes trials as fast as it can, all at once, until the grid is used up.
      const work = async (study: Study, i: number): Promise<void> => {
        for (;;) {
          const t = await study.ask({ host: `machine-${i}`, pid: 100 + i, start: 'none' });
          if (t === 'exhausted' || t === 'budget') return;
          if (t === 'wait') {
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          await study.tell(t.trialId, 'COMPLETE', [Number(t.params.x)]);
        }
      };
      await Promise.all(studies.map(work));
      const trials = await machines[0].listTrials({ studyId: studies[0].id });
      expect(trials.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(12);
      expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      expect(new Set(trials.map((t) => t.owner?.host)).size).toBeGreaterThan(0);
      await Promise.all(machines.map((m) => m.close()));
    });

    it("keeps a running trial's live reconstructions for the machines watching, tells them, and drops them when it ends", async () => {
      const url = await cluster.createDatabase();
      const s = await openStorageAt(url);
      const other = await openStorageAt(url);
      const heard: Array<{ trialId: number; what: string }> = [];
      const listener = await listenForChanges(url, (c) => heard.push({ trialId: c.trialId, what: c.what }));
      try {
        const trialId = await checkLiveViews(s, other);
        // Told of the two writes while it ran, of neither the one before nor the one after.
        await expect.poll(() => heard.filter((h) => h.what === 'reconstructions').length).toBe(2);
        await new Promise((r) => setTimeout(r, 200));
        expect(heard.filter((h) => h.what === 'reconstructions')).toEqual([
          { trialId, what: 'reconstructions' },
          { trialId, what: 'reconstructions' },
        ]);
      } finally {
        await listener.close();
        await other.close();
        await s.close();
      }
    });

    it("judges another host's trial by heartbeat age on the database's clock", async () => {
      const url = await cluster.createDatabase();
      const s = await openStorageAt(url);
      const study = await Study.create(s, { name: 'hb', dataset: { path: '/data' }, searchSpace: { params: [{ name: 'x', type: 'float', low: 0, high: 1 }] }, sampler: { type: 'random' }, pruner: { type: 'nop' }, budget: { trials: 3 }, seed: 1 });
      const asked = await study.ask({ host: 'far-away', pid: 1, start: 'none' });
      if (typeof asked === 'string') throw new Error('expected a trial');
      // A fresh heartbeat from another host: alive.
      expect(await study.recoverStale(60_000)).toEqual([]);
      // Its heartbeat made old on the server itself (not on this machine's clock): stale, retried once.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query("UPDATE trials SET heartbeat_at = now() - interval '5 minutes' WHERE id = $1", [asked.trialId]);
      await admin.end();
      const recovered = await study.recoverStale(60_000);
      expect(recovered).toHaveLength(1);
      expect(recovered[0].why).toMatch(/no heartbeat since .* from pid 1 on far-away/);
      expect((await s.getTrial(asked.trialId))?.state).toBe('FAILED');
      expect(recovered[0].retry).toMatchObject({ state: 'WAITING', retryOf: asked.trialId, number: 1 });
      await s.close();
    });
  });
}
