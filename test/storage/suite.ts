// One storage test suite, run against every Storage implementation (SQLite, in-memory and PostgreSQL).
import { describe, expect, it } from 'vitest';
import { StorageError, type Storage, type TrialOwner } from '../../src/core/storage';

const owner: TrialOwner = { host: 'laptop', pid: 4242, start: 'linux:boot:123' };

export function storageSuite(name: string, make: () => Storage | Promise<Storage>): void {
  describe(`Storage contract: ${name}`, () => {
    it('creates studies once, lists them, keeps their spec and attributes', async () => {
      const s = await make();
      const a = await s.createStudy('alpha', 'search', ['minimize'], { sampler: { type: 'tpe' } });
      expect(a).toMatchObject({ name: 'alpha', kind: 'search', directions: ['minimize'], spec: { sampler: { type: 'tpe' } } });
      await expect(s.createStudy('alpha', 'search', ['minimize'], {})).rejects.toThrow(StorageError);
      await expect(s.createStudy('alpha', 'search', ['minimize'], {})).rejects.toThrow(/already exists/);
      await s.createStudy('beta', 'search', ['minimize', 'maximize'], null);
      expect((await s.listStudies()).map((x) => x.name)).toEqual(['alpha', 'beta']);
      expect((await s.getStudyById(a.id))?.name).toBe('alpha');
      expect((await s.getOrCreateStudy('alpha', 'search')).id).toBe(a.id);
      await s.setStudyAttr(a.id, 'startedAt', '2026-01-01');
      expect(await s.getStudyAttrs(a.id)).toEqual({ startedAt: '2026-01-01' });
      await s.close();
    });

    it('numbers trials per study and links retries to their original', async () => {
      const s = await make();
      const a = await s.createStudy('a', 'search', ['minimize'], null);
      const b = await s.createStudy('b', 'search', ['minimize'], null);
      const t0 = await s.createTrial(a.id, { state: 'RUNNING', params: { x: 1 }, seed: 1, datasetPath: null });
      const t1 = await s.createTrial(a.id, { state: 'RUNNING', params: { x: 2 }, seed: 1, datasetPath: null });
      const u0 = await s.createTrial(b.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null });
      expect([t0.number, t1.number, u0.number]).toEqual([0, 1, 0]);
      const retry = await s.createTrial(a.id, { state: 'WAITING', params: { x: 1 }, seed: 1, datasetPath: null, retryOf: t0.id });
      expect(retry).toMatchObject({ number: 2, retryOf: t0.id, state: 'WAITING' });
      expect((await s.listTrials({ studyId: a.id })).map((t) => t.number)).toEqual([0, 1, 2]);
      expect((await s.listTrials({ states: ['WAITING'] })).map((t) => t.id)).toEqual([retry.id]);
      await s.close();
    });

    it('claims WAITING trials oldest first, each once', async () => {
      const s = await make();
      const st = await s.createStudy('a', 'search', ['minimize'], null);
      const w0 = await s.createTrial(st.id, { state: 'WAITING', params: { x: 0 }, seed: 1, datasetPath: null });
      const w1 = await s.createTrial(st.id, { state: 'WAITING', params: { x: 1 }, seed: 1, datasetPath: null });
      expect(w0.owner).toBeNull();
      const c0 = await s.claimWaitingTrial(st.id, owner);
      expect(c0).toMatchObject({ id: w0.id, state: 'RUNNING', owner });
      expect(c0?.startedAt).not.toBeNull();
      expect((await s.claimWaitingTrial(st.id, owner))?.id).toBe(w1.id);
      expect(await s.claimWaitingTrial(st.id, owner)).toBeNull();
      await s.close();
    });

    it('gives samplers frozen trials with params, values of COMPLETE trials and intermediate values', async () => {
      const s = await make();
      const st = await s.createStudy('a', 'search', ['minimize'], null);
      const t0 = await s.createTrial(st.id, { state: 'RUNNING', params: { lr: 0.01, arch: 'dense' }, seed: 1, datasetPath: null });
      await s.reportStep(t0.id, 1, { valLoss: 0.5 }, 0.5);
      await s.reportStep(t0.id, 2, { valLoss: 0.4 }, 0.4);
      await s.setTrialValues(t0.id, [0.4]);
      await s.setTrialState(t0.id, 'COMPLETE');
      const t1 = await s.createTrial(st.id, { state: 'RUNNING', params: { lr: 0.1, arch: 'sparse' }, seed: 1, datasetPath: null });
      await s.reportStep(t1.id, 1, { valLoss: Number.NaN }, Number.NaN);
      await s.setTrialState(t1.id, 'PRUNED');
      const frozen = await s.getFrozenTrials(st.id);
      expect(frozen).toEqual([
        { number: 0, state: 'COMPLETE', params: { lr: 0.01, arch: 'dense' }, values: [0.4], intermediate: [{ step: 1, value: 0.5 }, { step: 2, value: 0.4 }] },
        { number: 1, state: 'PRUNED', params: { lr: 0.1, arch: 'sparse' }, values: null, intermediate: [] },
      ]);
      await s.close();
    });

    it('records who runs a trial, and has an id of its own', async () => {
      const s = await make();
      expect(s.databaseId).toMatch(/^[0-9a-f]{32}$/);
      const st = await s.createStudy('a', 'search', ['minimize'], null);
      const t = await s.createTrial(st.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null, owner });
      expect((await s.getTrial(t.id))?.owner).toEqual(owner);
      const other = { host: 'desk', pid: 7, start: 'none' };
      await s.updateTrial(t.id, { owner: other });
      expect((await s.getTrial(t.id))?.owner).toEqual(other);
      expect((await s.listTrials({ studyId: st.id, states: ['RUNNING'] })).map((x) => x.id)).toEqual([t.id]);
      await s.close();
    });

    it('stores per-epoch metrics, attributes and states with reasons', async () => {
      const s = await make();
      const st = await s.getOrCreateStudy('m', 'manual');
      const t = await s.createTrial(st.id, { state: 'WAITING', params: { a: [1, 2] }, seed: 3, datasetPath: '/d' });
      await s.setTrialState(t.id, 'RUNNING');
      await s.updateTrial(t.id, { backend: 'wasm', artifactDir: '/x' });
      await s.reportStep(t.id, 1, { trainLoss: 1, valLoss: 2 }, 2);
      await s.setTrialAttr(t.id, 'versions', { app: '1' });
      await s.setTrialState(t.id, 'FAILED', 'non-finite loss');
      expect(await s.getTrial(t.id)).toMatchObject({ state: 'FAILED', failReason: 'non-finite loss', backend: 'wasm', artifactDir: '/x', params: { a: [1, 2] }, seed: 3 });
      expect((await s.getTrial(t.id))?.finishedAt).not.toBeNull();
      expect(await s.getMetrics(t.id)).toEqual([{ step: 1, values: { trainLoss: 1, valLoss: 2 } }]);
      expect(await s.getTrialAttrs(t.id)).toEqual({ versions: { app: '1' } });
      await expect(s.setTrialState(12345, 'FAILED')).rejects.toThrow(StorageError);
      expect(await s.exclusive(async () => 42)).toBe(42);
      await s.close();
    });

    it('runs exclusive sections one after another, and answers with its clock', async () => {
      const s = await make();
      const st = await s.createStudy('x', 'search', ['minimize'], null);
      // Each section reads the count, waits, then writes what it saw: overlapping sections would both see 0.
      const section = (): Promise<number> =>
        s.exclusive(async (tx) => {
          const seen = (await tx.listTrials({ studyId: st.id })).length;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return (await tx.createTrial(st.id, { state: 'WAITING', params: { seen }, seed: 1, datasetPath: null })).number;
        }, { studyId: st.id });
      const numbers = await Promise.all([section(), section(), section()]);
      expect(numbers.sort()).toEqual([0, 1, 2]);
      expect((await s.listTrials({ studyId: st.id })).map((t) => t.params.seen).sort()).toEqual([0, 1, 2]);
      expect(Math.abs((await s.clock()) - Date.now())).toBeLessThan(60_000);
      await s.close();
    });
  });
}
