// Runs a study on N trainer processes that share it through the trial database. Forwards their events,
// fails the trial of a worker that dies (the others go on), and resolves when every worker has stopped.
import type { DataLocations } from '../paths';
import { coreCount, threadShares } from '../study/parallel';
import type { Storage } from '../storage/types';
import type { FromTrainer, SpawnTrainer, TrainerChannel } from './protocol';

export interface WorkerResult {
  worker: number;
  stop: string;
  error: string | null;
}

export interface StudySupervisorOptions {
  spawn: SpawnTrainer;
  storage: Storage;
  locations: DataLocations;
  studyName: string;
  workers: number;
  /** Wall-clock budget for this run, in seconds. */
  seconds?: number;
  /** Cores shared by the workers' kernel threads (default: this machine's). */
  cores?: number;
  onEvent?: (m: FromTrainer, worker: number) => void;
  /** This machine's copy of the study's images, when not at the spec's path (a worker's --data). */
  datasetPath?: string;
}

export interface SupervisedStudy {
  done: Promise<WorkerResult[]>;
  /** Stops now: running trials are cancelled within one batch (kept as CANCELLED). */
  cancel(): void;
  /** Stops gracefully: running trials finish, no new ones start. */
  pause(): void;
}

/**
 * The study's baselines in a process of their own, beside the first trials rather than before one: no trial
 * waits for them. Its messages reach onEvent as from worker index `o.workers`.
 */
function startBaselines(o: StudySupervisorOptions): { done: Promise<void>; stop(): void } {
  const index = o.workers;
  const channel = o.spawn();
  let stopped = false;
  const log = (level: 'info' | 'warn', message: string): void => o.onEvent?.({ type: 'log', level, message }, index);
  const done = new Promise<void>((resolve) => {
    let reported = false;
    channel.onMessage((m) => {
      if (m.type === 'log') o.onEvent?.(m, index);
      if (m.type !== 'baselines.done') return;
      reported = true;
      if (m.payload.message) log(m.payload.error ? 'warn' : 'info', m.payload.message);
      channel.send({ type: 'shutdown' });
    });
    channel.onExit((info) => {
      if (!reported && !stopped) log('warn', `Study baselines were not computed: their process ${info.signal ? `was killed (${info.signal})` : `exited with code ${info.code}`}; they are computed on the next resume.`);
      resolve();
    });
  });
  channel.send({ type: 'baselines', studyName: o.studyName, dbPath: o.storage.path, dataDir: o.locations.dataDir, datasetPath: o.datasetPath });
  return {
    done,
    stop() {
      stopped = true;
      channel.send({ type: 'shutdown' });
    },
  };
}

export function superviseStudy(o: StudySupervisorOptions): SupervisedStudy {
  const deadline = o.seconds !== undefined ? Date.now() + o.seconds * 1000 : undefined;
  const channels: TrainerChannel[] = [];
  const results: WorkerResult[] = [];
  let cancelled = false;

  // Workers with work share the cores: when one stops, or waits with nothing to run while the others' last
  // trials still run, they get its threads (the last trials of a study then train on every core); it takes its
  // share back when it starts a trial again. Thread counts change speed only, never results.
  const cores = o.cores ?? coreCount();
  const active = new Set<number>();
  const stopped = new Set<number>();
  const shareCores = (): void => {
    const shares = threadShares(cores, active.size);
    [...active].forEach((w, i) => channels[w].send({ type: 'threads', threads: shares[i] }));
  };
  // Started when the first worker finds them worth a process of their own (baselines.wanted).
  let baselines: ReturnType<typeof startBaselines> | null = null;
  const workersDone = new Promise<WorkerResult[]>((resolve) => {
    let remaining = o.workers;
    const finish = (r: WorkerResult): void => {
      results.push(r);
      stopped.add(r.worker);
      if (active.delete(r.worker) && active.size > 0) shareCores();
      if (--remaining === 0) resolve(results.sort((a, b) => a.worker - b.worker));
    };
    for (let worker = 0; worker < o.workers; worker++) {
      const channel = o.spawn();
      channels.push(channel);
      let current: number | null = null;
      let reported = false;
      channel.onMessage((m) => {
        if (m.type === 'baselines.wanted' && !baselines && !cancelled) baselines = startBaselines(o);
        if (m.type === 'study.trialStarted') {
          current = m.payload.trialId;
          if (!active.has(worker) && !stopped.has(worker)) {
            active.add(worker);
            shareCores();
          }
        }
        if (m.type === 'study.workerWaiting' && active.delete(worker) && active.size > 0) shareCores();
        if (m.type === 'study.trialFinished') current = null;
        o.onEvent?.(m, worker);
        if (m.type === 'study.workerDone') {
          reported = true;
          channel.send({ type: 'shutdown' });
          finish({ worker, stop: m.payload.stop, error: m.payload.error });
        }
      });
      channel.onExit((info) => {
        // The killed trial is stored FAILED before the worker counts as finished.
        void (async () => {
          if (current !== null) {
            const trialId = current;
            const how = info.signal ? `was killed (${info.signal})` : `exited with code ${info.code}`;
            const reason = `the trainer process ${how} during training, possibly out of memory: try a smaller batch size, image size or model`;
            try {
              if ((await o.storage.getTrial(trialId))?.state === 'RUNNING') await o.storage.setTrialState(trialId, 'FAILED', reason);
            } catch {
              // Recorded as stale on the next resume instead.
            }
            o.onEvent?.({ type: 'trial.state', payload: { trialId, state: 'FAILED', reason, backend: null } }, worker);
          }
          if (!reported) finish({ worker, stop: cancelled ? 'cancelled' : 'crashed', error: info.code === 0 ? null : `exit ${info.code ?? info.signal}` });
        })();
      });
      active.add(worker);
    }
    shareCores();
    channels.forEach((channel, worker) =>
      channel.send({ type: 'study', studyName: o.studyName, dbPath: o.storage.path, dataDir: o.locations.dataDir, deadline, worker, datasetPath: o.datasetPath }),
    );
  });
  // The study run ends when its trials and its baselines are done.
  const done = workersDone.then(async (r) => {
    await baselines?.done;
    return r;
  });

  return {
    done,
    cancel() {
      cancelled = true;
      baselines?.stop();
      for (const c of channels) c.send({ type: 'cancelStudy' });
    },
    pause() {
      for (const c of channels) c.send({ type: 'pauseStudy' });
    },
  };
}
