// The trainer process: receives train/cancel messages, runs one trial at a time, streams events back.
// Runs as an Electron utilityProcess (process.parentPort) or a Node child_process.fork child (process.send).
import { openStorageAt } from '../storage/open';
import type { Storage } from '../storage/types';
import { selectBackend, setTrainingThreads } from '../training/backend';
import { resolveLocations } from '../paths';
import type { CalibrateOutcome, EncodeOutcome, FromTrainer, ToTrainer } from './protocol';
import { measureThroughput } from '../training/calibrate';
import { applyEncoder } from '../export/applyEncoder';
import { isAppError } from '../../shared/errors';
import { refitRunOptions } from './refit';
import { runTrial, type TrialEvents } from './runTrial';
import { Study } from '../study/study';
import { runWorkerLoop } from '../study/workerLoop';
import { autoencoderTrialRunner } from './autoencoderTrialRunner';
import { baselinesPlan, computeStudyBaselines, type BaselinesOutcome } from './studyBaselines';
import { faultPoint } from '../faultPoints';
import { reconstructionsAsPngs } from './storedReconstructions';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: FromTrainer): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

const HEARTBEAT_MS = 5_000;
let storage: Promise<Storage> | null = null;
let storagePath = '';
let running: { trialId: number; abort: AbortController } | null = null;
let studyAbort: AbortController | null = null;
let studyPause: AbortController | null = null;

const forwardEvents: TrialEvents = {
  datasetProgress: (payload) => post({ type: 'dataset.progress', payload }),
  progress: (payload) => post({ type: 'trial.progress', payload }),
  epoch: (payload) => post({ type: 'trial.epoch', payload }),
  state: (payload) => post({ type: 'trial.state', payload }),
  log: (level, message) => post({ type: 'log', level, message }),
  reconstructions: (r) => post({ type: 'trial.reconstructions', payload: reconstructionsAsPngs(r) }),
  latents: (l) =>
    post({
      type: 'trial.latents',
      payload: { trialId: l.trialId, latentSize: l.dims, codes: l.codes, labels: l.labels.map((i) => (i >= 0 ? l.classes[i] : null)) },
    }),
};

/** A SQLite file or a database server's URL (password-free: PGPASSWORD comes from the supervisor's environment). */
function storageFor(dbPath: string): Promise<Storage> {
  if (!storage || storagePath !== dbPath) {
    void storage?.then((s) => s.close()).catch(() => {});
    // The supervisor opened (or created) it already: a trainer never creates a database.
    storage = openStorageAt(dbPath);
    storagePath = dbPath;
  }
  return storage;
}

async function train(msg: Extract<ToTrainer, { type: 'train' }>): Promise<void> {
  if (running) {
    post({ type: 'log', level: 'error', message: `Trial ${running.trialId} is still running; trial ${msg.trialId} was not started.` });
    return;
  }
  const abort = new AbortController();
  running = { trialId: msg.trialId, abort };
  let db: Storage;
  try {
    db = await storageFor(msg.dbPath);
  } catch (err) {
    running = null;
    post({ type: 'log', level: 'error', message: err instanceof Error ? err.message : String(err) });
    post({ type: 'trial.state', payload: { trialId: msg.trialId, state: 'FAILED', reason: String(err), backend: null } });
    return;
  }
  const beat = setInterval(() => void db.heartbeat(msg.trialId).catch(() => {}), HEARTBEAT_MS);
  const locations = resolveLocations({ dataDir: msg.dataDir, dbPath: msg.dbPath });
  try {
    // A refit (refit.ts) learns from training + validation images and is judged like its study.
    let refit;
    try {
      refit = await refitRunOptions(db, msg.trialId);
    } catch (err) {
      await db.setTrialState(msg.trialId, 'FAILED', `refit: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    await runTrial({
      storage: db,
      trialId: msg.trialId,
      request: msg.request,
      cacheDir: locations.cacheDir,
      artifactsDir: locations.artifactsDir,
      signal: abort.signal,
      events: forwardEvents,
      ...refit,
    });
  } catch (err) {
    // runTrial records its own failures; this is a storage failure while recording one.
    post({ type: 'log', level: 'error', message: err instanceof Error ? err.message : String(err) });
    post({ type: 'trial.state', payload: { trialId: msg.trialId, state: 'FAILED', reason: String(err), backend: null } });
  } finally {
    clearInterval(beat);
    running = null;
  }
}

/** Runs this process's share of a study until the budget, the grid or the deadline ends it. */
async function study(msg: Extract<ToTrainer, { type: 'study' }>): Promise<void> {
  studyAbort = new AbortController();
  studyPause = new AbortController();
  let stop = 'error';
  let error: string | null = null;
  try {
    const db = await storageFor(msg.dbPath);
    const s = await Study.load(db, msg.studyName, { datasetPath: msg.datasetPath });
    const locations = resolveLocations({ dataDir: msg.dataDir, dbPath: msg.dbPath });
    if (msg.worker === 0) await firstWorkerBaselines(s, locations);
    stop = await runWorkerLoop({
      study: s,
      runTrial: autoencoderTrialRunner(s, locations, forwardEvents),
      signal: studyAbort.signal,
      pause: studyPause.signal,
      deadline: msg.deadline,
      onTrialStart: (t) => post({ type: 'study.trialStarted', payload: { studyName: msg.studyName, trialId: t.trialId, number: t.number, worker: msg.worker } }),
      onWait: () => post({ type: 'study.workerWaiting', payload: { studyName: msg.studyName, worker: msg.worker } }),
      onTrialFinished: (t) => post({ type: 'study.trialFinished', payload: { studyName: msg.studyName, trialId: t.id, number: t.number, state: t.state, worker: msg.worker } }),
    });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  post({ type: 'study.workerDone', payload: { studyName: msg.studyName, worker: msg.worker, stop, error } });
}

/**
 * Before the first worker's first trial: a quick raw-pixel baseline (or another study's to reuse) is made here;
 * a larger one is asked of the supervisor, which computes it in a process of its own beside the trials.
 */
async function firstWorkerBaselines(s: Study, locations: ReturnType<typeof resolveLocations>): Promise<void> {
  const started = performance.now();
  try {
    const where = await baselinesPlan(s, locations);
    if (where === 'process') post({ type: 'baselines.wanted', payload: { studyName: s.record.name } });
    if (where !== 'inline') return;
    const outcome = await computeStudyBaselines(s, locations, () => {
      faultPoint('worker.baselines');
      post({ type: 'log', level: 'info', message: 'Computing the baselines (the probe on raw pixels; PCA at each code size follows its first trial) before the first trial: a small folder...' });
    });
    const message = baselinesMessage(outcome, null, started);
    if (message) post({ type: 'log', level: 'info', message });
  } catch (err) {
    post({ type: 'log', level: 'warn', message: baselinesMessage(null, err, started) as string });
  }
}

/** What the user hears when baselines are done: ready in N s, reused, or why they were not computed. */
function baselinesMessage(outcome: BaselinesOutcome | null, err: unknown, started: number): string | null {
  if (err !== null) return `Study baselines were not computed: ${err instanceof Error ? err.message : String(err)}`;
  if (outcome === 'computed') return `Baselines ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
  if (outcome === 'reused') return 'Baselines reused from an earlier study on the same images, split and probe.';
  return null;
}

/** The study's baselines, in this process while others train (see studySupervisor.ts). */
async function baselines(msg: Extract<ToTrainer, { type: 'baselines' }>): Promise<void> {
  const started = performance.now();
  let outcome: BaselinesOutcome | null = null;
  let failure: unknown = null;
  try {
    const s = await Study.load(await storageFor(msg.dbPath), msg.studyName, { datasetPath: msg.datasetPath });
    const locations = resolveLocations({ dataDir: msg.dataDir, dbPath: msg.dbPath });
    outcome = await computeStudyBaselines(
      s,
      locations,
      () => post({ type: 'log', level: 'info', message: 'Computing the baselines (PCA at the code sizes the study can propose, then the probe on raw pixels) beside the first trials...' }),
      { pcaFirst: true },
    );
  } catch (err) {
    failure = err;
  }
  const error = failure === null ? null : failure instanceof Error ? failure.message : String(failure);
  post({ type: 'baselines.done', payload: { studyName: msg.studyName, outcome, error, message: baselinesMessage(outcome, failure, started) } });
}

/** An exported encoder applied to images, here rather than in the app's process (the app keeps answering). */
async function encode(msg: Extract<ToTrainer, { type: 'encode' }>): Promise<void> {
  let outcome: EncodeOutcome;
  try {
    const r = await applyEncoder({ ...msg.job, onProgress: (payload) => post({ type: 'encode.step', payload }) });
    const { codeSize } = r.manifest.output;
    outcome = { ok: true, files: r.files, images: r.images, failures: r.failures, codeSize, study: r.manifest.study.name, trialNumber: r.manifest.study.trialNumber };
  } catch (err) {
    outcome = isAppError(err)
      ? { ok: false, code: err.code, params: err.params, message: err.message }
      : { ok: false, code: null, params: {}, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  post({ type: 'encode.done', outcome });
}

/** A short throughput measurement per architecture on this trainer's backend (training/calibrate.ts). */
async function calibrate(msg: Extract<ToTrainer, { type: 'calibrate' }>): Promise<void> {
  let outcome: CalibrateOutcome;
  try {
    const backend = await selectBackend();
    const samplesPerSec: number[] = [];
    for (const architecture of msg.job.architectures) samplesPerSec.push(await measureThroughput({ architecture, imageSize: msg.job.imageSize, channels: msg.job.channels }));
    outcome = { ok: true, backend: backend.name, samplesPerSec };
  } catch (err) {
    outcome = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  post({ type: 'calibrate.done', outcome });
}

function onMessage(raw: unknown): void {
  const msg = raw as ToTrainer;
  if (msg.type === 'train') void train(msg);
  else if (msg.type === 'study') void study(msg);
  else if (msg.type === 'baselines') void baselines(msg);
  else if (msg.type === 'encode') void encode(msg);
  else if (msg.type === 'calibrate') void calibrate(msg);
  else if (msg.type === 'cancelStudy') studyAbort?.abort();
  else if (msg.type === 'pauseStudy') studyPause?.abort();
  else if (msg.type === 'threads') void setTrainingThreads(msg.threads);
  else if (msg.type === 'cancel') {
    if (running?.trialId === msg.trialId) running.abort.abort();
  } else if (msg.type === 'shutdown') {
    running?.abort.abort();
    void Promise.resolve(storage?.then((s) => s.close()))
      .catch(() => {})
      .finally(() => process.exit(0));
  }
}

// Ctrl+C in a terminal reaches the whole process group: the supervisor decides how to stop (cancel the
// trial, then shutdown), so a trainer must not die mid-write on SIGINT.
process.on('SIGINT', () => {});

if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else {
  process.on('message', onMessage);
  // The supervisor went away: nobody will read our results, so stop rather than linger.
  process.on('disconnect', () => process.exit(0));
}

void selectBackend().then((b) => post({ type: 'ready', backend: b.name, backendNote: b.note, backendNotes: b.notes, tfjsVersion: b.tfjsVersion }));
