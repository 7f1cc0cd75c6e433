// One worker's study loop (Optuna's _optimize shape): ask, run, and keep a heartbeat while the trial runs.
// Several workers, in several processes, can run this loop against the same study at once.
import type { JsonValue } from '../../shared/json';
import type { TrialRecord } from '../storage/types';
import { faultPoint } from '../faultPoints';
import type { Study } from './study';

export interface TrialRunInput {
  trialId: number;
  number: number;
  params: Record<string, JsonValue>;
  /** The pruning bridge: ask after each epoch with the intermediate value. */
  shouldPrune: (step: number, value: number) => Promise<boolean>;
  /** Whether the pruner can decide on this trial at a step (where a costly intermediate value must be measured). */
  decidesAt: (step: number) => boolean;
  signal: AbortSignal;
}

/** Trains and evaluates one trial and records its final state and values in storage (runTrial does). */
export type TrialRunner = (input: TrialRunInput) => Promise<void>;

export type WorkerStop = 'budget' | 'exhausted' | 'cancelled' | 'deadline' | 'paused';

export interface WorkerLoopOptions {
  study: Study;
  runTrial: TrialRunner;
  signal?: AbortSignal;
  /** Pause: once aborted no new trial starts, and the running one finishes normally. */
  pause?: AbortSignal;
  /** Epoch ms after which no new trial starts (a running one finishes). */
  deadline?: number;
  heartbeatMs?: number;
  /** How often to ask again while only other workers' trials are left running (default 1 s). */
  waitMs?: number;
  onTrialStart?: (t: { trialId: number; number: number; params: Record<string, JsonValue> }) => void;
  /** Once each time the worker starts waiting (asked: nothing to run now, other workers' trials still run). */
  onWait?: () => void;
  onTrialFinished?: (t: TrialRecord) => void;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Resolves after `ms`, or as soon as one of the signals aborts. */
function sleep(ms: number, signals: Array<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      for (const s of signals) s?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of signals) s?.addEventListener('abort', done, { once: true });
  });
}

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<WorkerStop> {
  const { study } = o;
  const storage = study.storage;
  const signal = o.signal ?? new AbortController().signal;
  let waiting = false;
  for (;;) {
    if (signal.aborted) return 'cancelled';
    if (o.pause?.aborted) return 'paused';
    if (o.deadline !== undefined && Date.now() >= o.deadline) return 'deadline';
    const asked = await study.ask();
    if (asked === 'budget' || asked === 'exhausted') return asked;
    if (asked === 'wait') {
      if (!waiting) o.onWait?.();
      waiting = true;
      await sleep(o.waitMs ?? 1_000, [signal, o.pause]);
      continue;
    }
    waiting = false;
    faultPoint('worker.trialStarted', { number: asked.number });
    o.onTrialStart?.(asked);
    const beat = setInterval(() => {
      // A busy or briefly unwritable database: the next beat tries again; the owner record still says we live.
      storage.heartbeat(asked.trialId).catch(() => {});
    }, o.heartbeatMs ?? 5_000);
    const shouldPrune = async (step: number, _value: number): Promise<boolean> => {
      const trials = await study.frozenTrials();
      const trial = trials.find((t) => t.number === asked.number);
      // Intermediate values are what the spec's pruner.signal names (reconstruction MSE, or the primary
      // objective), one series per trial whatever the number of objectives: pruning works in multi-objective
      // studies too.
      return trial ? study.pruner.shouldPrune({ trial, step, trials, direction: study.pruneDirection }) : false;
    };
    const decidesAt = (step: number): boolean => study.pruner.decidesAt(step, asked.number);
    try {
      await o.runTrial({ trialId: asked.trialId, number: asked.number, params: asked.params, shouldPrune, decidesAt, signal });
    } catch (err) {
      // A runner that throws has not recorded anything: the trial fails, the study goes on.
      if ((await storage.getTrial(asked.trialId))?.state === 'RUNNING') await study.tell(asked.trialId, 'FAILED', null, errorText(err));
    } finally {
      clearInterval(beat);
    }
    const done = await storage.getTrial(asked.trialId);
    if (done?.state === 'RUNNING') await study.tell(asked.trialId, 'FAILED', null, 'the trial ended without recording a result');
    const finished = await storage.getTrial(asked.trialId);
    if (finished) o.onTrialFinished?.(finished);
  }
}
