// One storage test suite, run against every Storage implementation (SQLite and in-memory).
import { describe, expect, it } from 'vitest';
import { StorageError, type Storage, type TrialOwner } from '../../src/core/storage';

const owner: TrialOwner = { host: 'laptop', pid: 4242, start: 'linux:boot:123' };

export function storageSuite(name: string, make: () => Storage): void {
  describe(`Storage contract: ${name}`, () => {
    it('creates studies once, lists them, keeps their spec and attributes', () => {
      const s = make();
      const a = s.createStudy('alpha', 'search', ['minimize'], { sampler: { type: 'tpe' } });
      expect(a).toMatchObject({ name: 'alpha', kind: 'search', directions: ['minimize'], spec: { sampler: { type: 'tpe' } } });
      expect(() => s.createStudy('alpha', 'search', ['minimize'], {})).toThrow(StorageError);
      expect(() => s.createStudy('alpha', 'search', ['minimize'], {})).toThrow(/already exists/);
      s.createStudy('beta', 'search', ['minimize', 'maximize'], null);
      expect(s.listStudies().map((x) => x.name)).toEqual(['alpha', 'beta']);
      expect(s.getStudyById(a.id)?.name).toBe('alpha');
      expect(s.getOrCreateStudy('alpha', 'search').id).toBe(a.id);
      s.setStudyAttr(a.id, 'startedAt', '2026-01-01');
      expect(s.getStudyAttrs(a.id)).toEqual({ startedAt: '2026-01-01' });
      s.close();
    });

    it('numbers trials per study and links retries to their original', () => {
      const s = make();
      const a = s.createStudy('a', 'search', ['minimize'], null);
      const b = s.createStudy('b', 'search', ['minimize'], null);
      const t0 = s.createTrial(a.id, { state: 'RUNNING', params: { x: 1 }, seed: 1, datasetPath: null });
      const t1 = s.createTrial(a.id, { state: 'RUNNING', params: { x: 2 }, seed: 1, datasetPath: null });
      const u0 = s.createTrial(b.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null });
      expect([t0.number, t1.number, u0.number]).toEqual([0, 1, 0]);
      const retry = s.createTrial(a.id, { state: 'WAITING', params: { x: 1 }, seed: 1, datasetPath: null, retryOf: t0.id });
      expect(retry).toMatchObject({ number: 2, retryOf: t0.id, state: 'WAITING' });
      expect(s.listTrials({ studyId: a.id }).map((t) => t.number)).toEqual([0, 1, 2]);
      expect(s.listTrials({ states: ['WAITING'] }).map((t) => t.id)).toEqual([retry.id]);
      s.close();
    });

    it('claims WAITING trials oldest first, each once', () => {
      const s = make();
      const st = s.createStudy('a', 'search', ['minimize'], null);
      const w0 = s.createTrial(st.id, { state: 'WAITING', params: { x: 0 }, seed: 1, datasetPath: null });
      const w1 = s.createTrial(st.id, { state: 'WAITING', params: { x: 1 }, seed: 1, datasetPath: null });
      expect(w0.owner).toBeNull();
      const c0 = s.claimWaitingTrial(st.id, owner);
      expect(c0).toMatchObject({ id: w0.id, state: 'RUNNING', owner });
      expect(c0?.startedAt).not.toBeNull();
      expect(s.claimWaitingTrial(st.id, owner)?.id).toBe(w1.id);
      expect(s.claimWaitingTrial(st.id, owner)).toBeNull();
      s.close();
    });

    it('gives samplers frozen trials with params, values of COMPLETE trials and intermediate values', () => {
      const s = make();
      const st = s.createStudy('a', 'search', ['minimize'], null);
      const t0 = s.createTrial(st.id, { state: 'RUNNING', params: { lr: 0.01, arch: 'dense' }, seed: 1, datasetPath: null });
      s.reportStep(t0.id, 1, { valLoss: 0.5 }, 0.5);
      s.reportStep(t0.id, 2, { valLoss: 0.4 }, 0.4);
      s.setTrialValues(t0.id, [0.4]);
      s.setTrialState(t0.id, 'COMPLETE');
      const t1 = s.createTrial(st.id, { state: 'RUNNING', params: { lr: 0.1, arch: 'sparse' }, seed: 1, datasetPath: null });
      s.reportStep(t1.id, 1, { valLoss: Number.NaN }, Number.NaN);
      s.setTrialState(t1.id, 'PRUNED');
      const frozen = s.getFrozenTrials(st.id);
      expect(frozen).toEqual([
        { number: 0, state: 'COMPLETE', params: { lr: 0.01, arch: 'dense' }, values: [0.4], intermediate: [{ step: 1, value: 0.5 }, { step: 2, value: 0.4 }] },
        { number: 1, state: 'PRUNED', params: { lr: 0.1, arch: 'sparse' }, values: null, intermediate: [] },
      ]);
      s.close();
    });

    it('records who runs a trial, and has an id of its own', () => {
      const s = make();
      expect(s.databaseId).toMatch(/^[0-9a-f]{32}$/);
      const st = s.createStudy('a', 'search', ['minimize'], null);
      const t = s.createTrial(st.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null, owner });
      expect(s.getTrial(t.id)?.owner).toEqual(owner);
      const other = { host: 'desk', pid: 7, start: 'none' };
      s.updateTrial(t.id, { owner: other });
      expect(s.getTrial(t.id)?.owner).toEqual(other);
      expect(s.listTrials({ studyId: st.id, states: ['RUNNING'] }).map((x) => x.id)).toEqual([t.id]);
      s.close();
    });

    it('stores per-epoch metrics, attributes and states with reasons', () => {
      const s = make();
      const st = s.getOrCreateStudy('m', 'manual');
      const t = s.createTrial(st.id, { state: 'WAITING', params: { a: [1, 2] }, seed: 3, datasetPath: '/d' });
      s.setTrialState(t.id, 'RUNNING');
      s.updateTrial(t.id, { backend: 'wasm', artifactDir: '/x' });
      s.reportStep(t.id, 1, { trainLoss: 1, valLoss: 2 }, 2);
      s.setTrialAttr(t.id, 'versions', { app: '1' });
      s.setTrialState(t.id, 'FAILED', 'non-finite loss');
      expect(s.getTrial(t.id)).toMatchObject({ state: 'FAILED', failReason: 'non-finite loss', backend: 'wasm', artifactDir: '/x', params: { a: [1, 2] }, seed: 3 });
      expect(s.getTrial(t.id)?.finishedAt).not.toBeNull();
      expect(s.getMetrics(t.id)).toEqual([{ step: 1, values: { trainLoss: 1, valLoss: 2 } }]);
      expect(s.getTrialAttrs(t.id)).toEqual({ versions: { app: '1' } });
      expect(() => s.setTrialState(12345, 'FAILED')).toThrow(StorageError);
      expect(s.exclusive(() => 42)).toBe(42);
      s.close();
    });
  });
}
