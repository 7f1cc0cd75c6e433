// In-memory Storage: the same contract as SQLite, for tests and throwaway runs. Passes the shared suite.
import { randomUUID } from 'node:crypto';
import { isFinishedTrial } from '../../shared/trialStates';
import type { FrozenTrial } from '../search/types';
import { StorageError, type JsonValue, type MetricSeries, type NewTrial, type Storage, type StudyRecord, type TrialRecord } from './types';

const now = (): string => new Date().toISOString();
const clone = <T>(v: T): T => structuredClone(v);
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

interface TrialData {
  record: Omit<TrialRecord, 'studyName'>;
  attrs: Map<string, JsonValue>;
  metrics: Map<number, Record<string, number | null>>;
  intermediate: Map<number, number | null>;
}

export function createMemoryStorage(): Storage {
  const studies = new Map<number, StudyRecord>();
  const studyAttrs = new Map<number, Map<string, JsonValue>>();
  const trials = new Map<number, TrialData>();
  let nextStudy = 1;
  let nextTrial = 1;
  let queue: Promise<void> = Promise.resolve();

  const mustTrial = (id: number): TrialData => {
    const t = trials.get(id);
    if (!t) throw new StorageError('TRIAL_NOT_FOUND', { trialId: id });
    return t;
  };
  const toRecord = (t: TrialData): TrialRecord => ({ ...clone(t.record), studyName: studies.get(t.record.studyId)?.name ?? '' });
  const studyTrials = (studyId: number): TrialData[] =>
    [...trials.values()].filter((t) => t.record.studyId === studyId).sort((a, b) => a.record.number - b.record.number);
  const findStudy = (name: string): StudyRecord | undefined => [...studies.values()].find((s) => s.name === name);

  const storage: Storage = {
    path: ':memory:',
    databaseId: randomUUID().replace(/-/g, ''),
    async getOrCreateStudy(name, kind, directions = ['minimize']) {
      return clone(findStudy(name) ?? (await storage.createStudy(name, kind, directions, null)));
    },
    async createStudy(name, kind, directions, spec) {
      if (findStudy(name)) throw new StorageError('STUDY_EXISTS', { name });
      const study: StudyRecord = { id: nextStudy++, name, kind, directions: [...directions], spec: clone(spec), createdAt: now() };
      studies.set(study.id, study);
      return clone(study);
    },
    getStudy: async (name) => clone(findStudy(name) ?? null),
    getStudyById: async (id) => clone(studies.get(id) ?? null),
    listStudies: async () => [...studies.values()].map(clone),
    async setStudyAttr(studyId, key, value) {
      if (!studyAttrs.has(studyId)) studyAttrs.set(studyId, new Map());
      studyAttrs.get(studyId)?.set(key, clone(value));
    },
    getStudyAttrs: async (studyId) => Object.fromEntries([...(studyAttrs.get(studyId) ?? new Map<string, JsonValue>())].map(([k, v]) => [k, clone(v)])),
    async createTrial(studyId, trial: NewTrial) {
      const number = studyTrials(studyId).reduce((m, t) => Math.max(m, t.record.number + 1), 0);
      const ts = now();
      const started = trial.state === 'RUNNING' ? ts : null;
      const data: TrialData = {
        record: {
          id: nextTrial++, studyId, number, state: trial.state, failReason: null, seed: trial.seed, backend: null,
          datasetPath: trial.datasetPath, artifactDir: null, createdAt: ts, startedAt: started, finishedAt: null,
          heartbeatAt: started, retryOf: trial.retryOf ?? null, owner: trial.owner ? { ...trial.owner } : null, params: clone(trial.params), values: [],
        },
        attrs: new Map(),
        metrics: new Map(),
        intermediate: new Map(),
      };
      trials.set(data.record.id, data);
      return toRecord(data);
    },
    async claimWaitingTrial(studyId, owner) {
      const t = studyTrials(studyId).find((x) => x.record.state === 'WAITING');
      if (!t) return null;
      const ts = now();
      Object.assign(t.record, { state: 'RUNNING', startedAt: ts, heartbeatAt: ts, owner: { ...owner } });
      return toRecord(t);
    },
    getTrial: async (id) => {
      const t = trials.get(id);
      return t ? toRecord(t) : null;
    },
    async listTrials(filter = {}) {
      return [...trials.values()]
        .filter((t) => filter.studyId === undefined || t.record.studyId === filter.studyId)
        .filter((t) => !filter.states || filter.states.includes(t.record.state))
        .sort((a, b) => a.record.id - b.record.id)
        .map(toRecord);
    },
    async setTrialState(id, state, failReason = null) {
      const t = mustTrial(id);
      Object.assign(t.record, { state, failReason, finishedAt: isFinishedTrial(state) ? now() : null });
    },
    async updateTrial(id, fields) {
      const t = mustTrial(id);
      if (fields.backend !== undefined) t.record.backend = fields.backend;
      if (fields.artifactDir !== undefined) t.record.artifactDir = fields.artifactDir;
      if (fields.startedAt !== undefined) t.record.startedAt = fields.startedAt;
      if (fields.owner !== undefined) t.record.owner = { ...fields.owner };
    },
    async heartbeat(id) {
      mustTrial(id).record.heartbeatAt = now();
    },
    async setTrialAttr(id, key, value) {
      mustTrial(id).attrs.set(key, clone(value));
    },
    getTrialAttrs: async (id) => Object.fromEntries([...mustTrial(id).attrs].map(([k, v]) => [k, clone(v)])),
    async reportStep(id, step, metrics, intermediate) {
      const t = mustTrial(id);
      t.metrics.set(step, Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, finiteOrNull(v)])));
      if (intermediate !== undefined) t.intermediate.set(step, finiteOrNull(intermediate));
      t.record.heartbeatAt = now();
    },
    async getMetrics(id): Promise<MetricSeries> {
      return [...mustTrial(id).metrics].sort((a, b) => a[0] - b[0]).map(([step, values]) => ({ step, values: { ...values } }));
    },
    async setTrialValues(id, values) {
      mustTrial(id).record.values = values.map((v) => (v === null ? null : finiteOrNull(v)));
    },
    async getFrozenTrials(studyId): Promise<FrozenTrial[]> {
      return studyTrials(studyId).map((t) => ({
        number: t.record.number,
        state: t.record.state,
        params: clone(t.record.params),
        values: t.record.state === 'COMPLETE' && t.record.values.length > 0 ? t.record.values.map((v) => v ?? Number.NaN) : null,
        intermediate: [...t.intermediate]
          .filter((e): e is [number, number] => e[1] !== null)
          .sort((a, b) => a[0] - b[0])
          .map(([step, value]) => ({ step, value })),
      }));
    },
    // One exclusive section at a time, as a database's write lock would give.
    async exclusive(fn) {
      const previous = queue;
      let release = (): void => {};
      queue = new Promise<void>((resolve) => (release = resolve));
      await previous;
      try {
        return await fn(storage);
      } finally {
        release();
      }
    },
    clock: async () => Date.now(),
    async close() {},
  };
  return storage;
}
