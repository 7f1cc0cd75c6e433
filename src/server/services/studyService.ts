// Studies behind the contract: validate, start, resume, cancel, list and inspect. Runs use the same
// trainer processes (N per study) and trial database as the CLI.
import type { Handlers } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { isDatabaseUrl, sameDatabase } from '../../shared/databaseUrl';
import type { StudyProgress, StudyState, StudySummary, TrialSummary } from '../../shared/dto';
import { isFinishedTrial } from '../../shared/trialStates';
import { ensureSampleDataset, isSampleRef } from '../../core/data/sample';
import type { DataLocations } from '../../core/paths';
import { objectiveLabel } from '../../shared/study/objectives';
import { pruneViewOf } from '../../shared/study/pruneView';
import { StorageError, type Storage, type TrialRecord } from '../../core/storage/types';
import { planTrainers } from '../../core/study/trainerMemory';
import { checkStudySpec } from '../../core/study/specCheck';
import { Study, StudyError } from '../../core/study/study';
import type { FromTrainer, SpawnTrainer } from '../../core/trainer/protocol';
import { superviseStudy, type SupervisedStudy } from '../../core/trainer/studySupervisor';
import { toTrialSummary, trialEpochs } from '../../core/study/trialDto';
import { liveReconstructions } from '../../core/trainer/storedReconstructions';
import { featureQuality } from '../../core/evaluation/featureQuality';
import { studyRefits } from '../../core/trainer/refit';
import { flattenSplitMetrics } from '../../core/evaluation/storedMetrics';
import { readTrialAttributes } from '../../core/study/attributes';
import type { AnyEvent } from './types';
import type { PathPolicy } from '../pathPolicy';
import { createStaleWatch } from './staleWatch';
import { createLocalChangeWatch } from './localChangeWatch';

type StudyHandlers = Pick<Handlers, 'studies.list' | 'studies.get' | 'study.validate' | 'study.start' | 'study.resume' | 'study.cancel'>;

interface ActiveRun {
  study: Study;
  run: SupervisedStudy;
  running: Set<number>;
  cancelled: boolean;
  pausing: boolean;
}

export interface StudyService {
  handlers: StudyHandlers;
  /** A study this window runs now (a shared database must not be switched away from under it), or null. */
  runningHere(): string | null;
  /**
   * A trial of a shared database changed, perhaps on another machine (LISTEN): the events a local run sends,
   * at most one refresh per study and REMOTE_REFRESH_MS. Trials this window runs report themselves.
   */
  remoteChange(change: { studyId: number; trialId: number; what: string }): void;
  dispose(): void;
}

const REMOTE_REFRESH_MS = 500;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The spec with its dataset folder and targets CSV passed through the path policy (absolute, and chosen in
 * the desktop app): the trainers must not resolve them against their working folder. A spec of the wrong
 * shape is left as it is for the parser to refuse with its own message.
 */
async function withCheckedPaths(spec: unknown, paths: PathPolicy): Promise<unknown> {
  if (!isRecord(spec) || !isRecord(spec.dataset)) return spec;
  const dataset = { ...spec.dataset };
  if (typeof dataset.path === 'string' && dataset.path && !isSampleRef(dataset.path)) dataset.path = await paths.fromPage(dataset.path, 'dataset');
  if (typeof dataset.targetsCsv === 'string' && dataset.targetsCsv) dataset.targetsCsv = await paths.fromPage(dataset.targetsCsv, 'dataset');
  return { ...spec, dataset };
}

export function createStudyService(o: {
  storage: Storage;
  locations: DataLocations;
  spawnTrainer: SpawnTrainer;
  emit: (e: AnyEvent) => void;
  paths: PathPolicy;
  /** Problems the user should hear of that no request of theirs is waiting for (the log). */
  warn?: (line: string) => void;
}): StudyService {
  const { storage } = o;
  const active = new Map<string, ActiveRun>();
  // Trials other processes run in a shared database, checked for a worker that is gone (staleWatch.ts).
  const staleWatch = createStaleWatch({ storage, runsHere: (name) => active.has(name), warn: o.warn ?? (() => {}) });
  // Trials another process runs in this window's own database file, looked at while they run (localChangeWatch.ts).
  const localWatch = createLocalChangeWatch({
    storage,
    onChange: (change) => service.remoteChange(change),
    othersRunning: async (studyId, trials) => {
      const record = await storage.getStudyById(studyId);
      return record !== null && (await (await Study.load(storage, record.name)).liveRunningTrials(trials)).length > 0;
    },
  });

  /** `trials`: the study's trials. A study whose last trial was cancelled was stopped by the user, whatever its count. */
  const stateOf = async (study: Study, trials: readonly TrialRecord[]): Promise<StudyState> => {
    if (active.has(study.record.name)) return 'running';
    // Trials of another process or machine (a trainer that is gone does not count: resume recovers its trial).
    if ((await study.liveRunningTrials(trials)).length > 0) return 'elsewhere';
    const last = trials.reduce<TrialRecord | null>((m, t) => (!m || t.number > m.number ? t : m), null);
    if (last?.state === 'CANCELLED') return 'cancelled';
    // A queued trial (a stale trial's retry) or a RUNNING one whose trainer is gone is work a resume still does.
    const unfinished = trials.some((t) => t.state === 'WAITING' || t.state === 'RUNNING');
    const budget = study.spec.budget.trials;
    return budget !== undefined && !unfinished && study.countedOf(trials).length >= budget ? 'finished' : 'idle';
  };

  /**
   * `listed`: the study's trials when the caller has read them. Counts, state and best all come from one
   * listing: on a shared database a trial may finish between two reads (counted, but not yet the best).
   */
  const summary = async (study: Study, listed?: readonly TrialRecord[]): Promise<StudySummary> => {
    const trials = listed ?? (await storage.listTrials({ studyId: study.id }));
    const counts: Record<string, number> = {};
    for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
    const b = study.bestOf(trials);
    return {
      id: study.id,
      name: study.record.name,
      createdAt: study.record.createdAt,
      state: await stateOf(study, trials),
      trials: trials.length,
      counts,
      budgetTrials: study.spec.budget.trials ?? null,
      budgetSeconds: study.spec.budget.seconds ?? null,
      sampler: study.spec.sampler.type,
      pruner: study.spec.pruner.type,
      prune: pruneViewOf(study.spec),
      directions: study.directions,
      objectives: study.spec.objectives.map((x) => objectiveLabel(x)),
      bestValue: b?.values[study.spec.primaryObjective] ?? null,
      bestTrialId: b?.id ?? null,
    };
  };

  /** The summary and the count against the budget, from the same one listing (see summary). */
  const progressSnapshot = async (study: Study): Promise<{ s: StudySummary; counted: number }> => {
    const trials = await storage.listTrials({ studyId: study.id });
    return { s: await summary(study, trials), counted: study.countedOf(trials).length };
  };

  let disposed = false;
  // Progress events go out in the order they happened, each after its reads of the database.
  let progressChain: Promise<void> = Promise.resolve();
  const progress = (study: Study, state: StudyState, message: string | null = null): Promise<void> => {
    progressChain = progressChain.then(() =>
      sendProgress(study, state, message).catch(() => {
        // The database went away (closed, damaged): the next call that needs it reports that to the user.
      }),
    );
    return progressChain;
  };
  const sendProgress = async (study: Study, state: StudyState, message: string | null): Promise<void> => {
    // Workers may report after the app closed the database; nobody is listening then.
    if (disposed) return;
    const { s, counted } = await progressSnapshot(study);
    if (disposed) return;
    const run = active.get(study.record.name);
    // This window's trainers, and any other machine's trials of a shared study ("Train here too").
    const running = Math.max(run?.running.size ?? 0, s.counts.RUNNING ?? 0);
    const payload: StudyProgress = {
      studyName: study.record.name,
      state,
      done: counted - running,
      running,
      budgetTrials: s.budgetTrials,
      bestValue: s.bestValue,
      bestTrialId: s.bestTrialId,
      message,
    };
    o.emit({ event: 'study.progress', payload });
  };

  const pausingMessage = (entry: ActiveRun): string =>
    `Pausing: ${entry.running.size} running trial(s) will finish; no new trial starts.`;

  const launch = async (study: Study): Promise<void> => {
    const name = study.record.name;
    if (active.has(name)) throw new AppError('STUDY_RUNNING', { name });
    if (isSampleRef(study.spec.dataset.path)) await ensureSampleDataset(o.locations.sampleDir);
    // Refused here, before any trainer starts, when not even one trainer (or the explicit count) fits in memory.
    const { trainers } = planTrainers(study.spec);
    const entry: ActiveRun = { study, run: null as unknown as SupervisedStudy, running: new Set(), cancelled: false, pausing: false };
    const onEvent = (m: FromTrainer): void => {
      if (m.type === 'study.trialStarted') {
        entry.running.add(m.payload.trialId);
        void progress(study, 'running');
      } else if (m.type === 'study.trialFinished') {
        entry.running.delete(m.payload.trialId);
        void progress(study, 'running', entry.pausing && !entry.cancelled ? pausingMessage(entry) : null);
      } else if (m.type === 'log') {
        // Baselines being computed, or why they were not: the dashboard shows the study's last message.
        void progress(study, 'running', m.message);
      } else if (
        m.type === 'dataset.progress' ||
        m.type === 'trial.progress' ||
        m.type === 'trial.epoch' ||
        m.type === 'trial.state' ||
        m.type === 'trial.reconstructions' ||
        m.type === 'trial.latents'
      ) {
        o.emit({ event: m.type, payload: m.payload } as AnyEvent);
      }
    };
    entry.run = superviseStudy({
      spawn: o.spawnTrainer,
      storage,
      locations: o.locations,
      studyName: name,
      workers: trainers,
      seconds: study.spec.budget.seconds,
      onEvent,
    });
    active.set(name, entry);
    void progress(study, 'running');
    void entry.run.done.then((results) => {
      active.delete(name);
      const errors = results.filter((r) => r.error).map((r) => r.error);
      const stopped = entry.cancelled ? 'cancelled' : entry.pausing ? 'paused: the running trials finished' : null;
      void progress(study, stopped ? 'cancelled' : 'finished', errors.length ? errors.join('; ') : stopped && `Study ${stopped}.`);
    });
  };

  const handlers: StudyHandlers = {
    'studies.list': async () => {
      const out: StudySummary[] = [];
      for (const s of (await storage.listStudies()).filter((x) => x.kind === 'search')) {
        let study: Study;
        try {
          study = await Study.load(storage, s.name);
        } catch (err) {
          // A damaged database is an error for the user to see, not a shorter list.
          if (err instanceof StorageError) throw err;
          continue; // a spec this version cannot read; the CLI's `show` explains it
        }
        out.push(await summary(study));
      }
      return out.reverse();
    },
    'studies.get': async ({ name }) => {
      const study = await Study.load(storage, name);
      // One listing for the counts, the best and the table: the page's "done" and its "Export best" agree.
      const records = await storage.listTrials({ studyId: study.id });
      const s = await summary(study, records);
      const best = records.find((t) => t.id === s.bestTrialId) ?? null;
      const bestAttrs = best ? await readTrialAttributes(storage, best.id) : {};
      const bestTest = bestAttrs.testMetrics;
      const trials: TrialSummary[] = [];
      for (const t of records) trials.push(await toTrialSummary(storage, t));
      // Opened after its worker died (no change will ever be heard of that trial): watched all the same.
      if (!active.has(name) && trials.some((t) => t.state === 'RUNNING')) {
        if (isDatabaseUrl(storage.path)) staleWatch.note(study.id, true);
        else if (s.state === 'elsewhere') localWatch.note(study.id, trials);
      }
      return {
        ...s,
        spec: study.spec,
        trials,
        bestTestMetrics: bestTest ? flattenSplitMetrics('test', bestTest) : null,
        ...featureQuality(best, bestAttrs, await storage.getStudyAttrs(study.id)),
        refits: await studyRefits(storage, study.id),
      };
    },
    // The same checks as the CLI's search (checkStudySpec); a relative dataset path counts from the
    // working folder the app was started in.
    'study.validate': async ({ spec }) => {
      const check = checkStudySpec(spec, { baseDir: process.cwd() });
      return check.ok ? { ok: true, errors: [], gridSize: check.gridSize } : { ok: false, errors: check.errors, gridSize: null };
    },
    'study.start': async ({ spec }) => {
      const checked = await withCheckedPaths(spec, o.paths);
      const check = checkStudySpec(checked, { baseDir: process.cwd() });
      if (!check.ok) throw new StudyError('INVALID_SPEC', { details: check.errors.join('\n') });
      // A spec naming another database is refused, not started where the window happens to be connected.
      if (check.spec.storage !== undefined && !sameDatabase(check.spec.storage, storage.path)) {
        throw new AppError('SPEC_STORAGE_ELSEWHERE', { storage: check.spec.storage, current: storage.path });
      }
      // A study that cannot fit in memory is refused before it is stored (launch checks again on resume).
      planTrainers(check.spec);
      const study = await Study.create(storage, check.spec);
      await launch(study);
      return { name: study.record.name };
    },
    'study.resume': async ({ name }) => {
      const study = await Study.load(storage, name);
      if (!active.has(name)) await study.recoverStale();
      await launch(study);
      return { name };
    },
    'study.cancel': async ({ name, when }) => {
      const entry = active.get(name);
      if (!entry) return { cancelled: false };
      if (when === 'afterRunning') {
        entry.pausing = true;
        entry.run.pause();
        await progress(entry.study, 'running', pausingMessage(entry));
      } else {
        entry.cancelled = true;
        entry.run.cancel();
      }
      return { cancelled: true };
    },
  };

  // Changes heard from the database, gathered per study until its refresh (trial id -> what changed).
  const pending = new Map<number, Map<number, Set<string>>>();
  // The newest epoch sent per trial ("<database>:<trial id>"): a refresh sends every epoch stored since, in
  // order, as a local run does (many may arrive within one refresh), so the live curves have no gaps.
  const sentEpoch = new Map<string, number>();
  const refreshRemote = async (studyId: number, trials: Map<number, Set<string>>): Promise<void> => {
    const record = await storage.getStudyById(studyId);
    if (disposed || !record || record.kind !== 'search') return;
    const study = await Study.load(storage, record.name);
    // Trials this window's own trainers run report themselves; those of other machines (beside ours, after
    // "Train here too") are relayed like any other.
    const here = active.get(record.name);
    const runsHere = here?.running;
    for (const [trialId, what] of trials) {
      if (runsHere?.has(trialId)) continue;
      const t = await storage.getTrial(trialId);
      if (!t) continue;
      const key = `${storage.databaseId}:${trialId}`;
      if (what.has('epoch')) {
        const after = sentEpoch.get(key) ?? Number.NEGATIVE_INFINITY;
        const epochs = (await trialEpochs(storage, trialId)).filter((m) => m.epoch > after);
        for (const metrics of epochs) o.emit({ event: 'trial.epoch', payload: { trialId, metrics } });
        if (epochs.length) sentEpoch.set(key, epochs[epochs.length - 1].epoch);
      }
      if (what.has('reconstructions') && t.state === 'RUNNING') {
        const r = await liveReconstructions(storage, trialId);
        if (r) o.emit({ event: 'trial.reconstructions', payload: r });
      }
      if (what.has('state')) o.emit({ event: 'trial.state', payload: { trialId, state: t.state, reason: t.failReason, backend: t.backend } });
      if (isFinishedTrial(t.state)) sentEpoch.delete(key);
    }
    // A study this window runs too: its own progress (the count of running trials includes the others').
    if (here) return sendProgress(study, 'running', here.pausing && !here.cancelled ? pausingMessage(here) : null);
    const { s, counted } = await progressSnapshot(study);
    const running = s.counts.RUNNING ?? 0;
    // A local file's trials whose process is gone wait for a resume, as the studies list says (not failed here).
    if (isDatabaseUrl(storage.path)) staleWatch.note(studyId, running > 0);
    o.emit({
      event: 'study.progress',
      payload: {
        studyName: s.name,
        state: s.state,
        done: counted - running,
        running,
        budgetTrials: s.budgetTrials,
        bestValue: s.bestValue,
        bestTrialId: s.bestTrialId,
        message: null,
      },
    });
  };

  const service: StudyService = {
    handlers,
    runningHere: () => active.keys().next().value ?? null,
    remoteChange({ studyId, trialId, what }) {
      if (disposed) return;
      let trials = pending.get(studyId);
      if (!trials) {
        trials = new Map();
        pending.set(studyId, trials);
        setTimeout(() => {
          const batch = pending.get(studyId);
          pending.delete(studyId);
          if (batch) progressChain = progressChain.then(() => refreshRemote(studyId, batch).catch(() => {
            // The database went away: the next call that needs it tells the user (as for local progress).
          }));
        }, REMOTE_REFRESH_MS);
      }
      const whats = trials.get(trialId) ?? new Set<string>();
      whats.add(what);
      trials.set(trialId, whats);
    },
    dispose() {
      disposed = true;
      staleWatch.dispose();
      localWatch.dispose();
      for (const entry of active.values()) entry.run.cancel();
    },
  };
  return service;
}
