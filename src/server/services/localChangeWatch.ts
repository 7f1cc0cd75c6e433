// Trials another process trains in this window's own database file (a `latent-lab search` in a terminal, a
// worker on this machine): a file tells nobody of its changes, as PostgreSQL does (pgListen.ts), so while a
// study has such trials running it is looked at every LOCAL_CHECK_MS, and what changed (a state, a stored epoch,
// new live reconstructions) goes the way a database's notification goes (StudyService.remoteChange).
import type { DatabaseChange } from '../../core/storage/pgListen';
import type { TrialState } from '../../shared/dto';
import type { Storage, TrialRecord } from '../../core/storage/types';
import { createStudyPoller } from './studyPoller';

/** How often a watched study is looked at: a curve that moves about once a second looks live. */
export const LOCAL_CHECK_MS = 1_000;

export interface LocalChangeWatch {
  /** A study seen with trials that run in another process (the states the page was given): watched until none runs. */
  note(studyId: number, trials: ReadonlyArray<{ id: number; state: TrialState }>): void;
  dispose(): void;
}

interface Seen {
  state: TrialState;
  epochs: number;
  /** The epoch of the newest live reconstructions seen, -1 for none. */
  liveEpoch: number;
}

export function createLocalChangeWatch(o: {
  storage: Storage;
  onChange: (c: DatabaseChange) => void;
  /** Whether any of the study's RUNNING trials has a live process: a study whose runner is gone is not looked at for ever. */
  othersRunning: (studyId: number, trials: readonly TrialRecord[]) => Promise<boolean>;
  everyMs?: number;
}): LocalChangeWatch {
  const liveEpoch = async (trialId: number): Promise<number> => {
    const v = await o.storage.liveViews?.getReconstructions(trialId);
    const epoch = v && typeof v === 'object' && !Array.isArray(v) ? v.epoch : null;
    return typeof epoch === 'number' ? epoch : -1;
  };

  /** Tells what changed since the last look; false once nothing of the study runs in a live process any more. */
  const checkOne = async (studyId: number, seen: Map<number, Seen>): Promise<boolean> => {
    let running = false;
    const trials = await o.storage.listTrials({ studyId });
    for (const t of trials) {
      const before = seen.get(t.id);
      const isRunning = t.state === 'RUNNING';
      // Not running, and as the page last saw it: nothing to tell (a study's finished trials cost nothing here).
      if (!isRunning && (!before || before.state === t.state)) {
        if (!before) seen.set(t.id, { state: t.state, epochs: -1, liveEpoch: -1 });
        continue;
      }
      running ||= isRunning;
      const now: Seen = {
        state: t.state,
        epochs: (await o.storage.getMetrics(t.id)).length,
        liveEpoch: isRunning ? await liveEpoch(t.id) : -1,
      };
      seen.set(t.id, now);
      const tell = (what: string): void => o.onChange({ studyId, trialId: t.id, what });
      // Epochs before the state: a finished trial's last epochs arrive before it says it finished.
      if (now.epochs !== before?.epochs) tell('epoch');
      if (now.liveEpoch >= 0 && now.liveEpoch !== before?.liveEpoch) tell('reconstructions');
      if (now.state !== before?.state) tell('state');
    }
    // What changed was told; a trial whose process died stays RUNNING (a resume recovers it), but nothing moves.
    return running && (await o.othersRunning(studyId, trials));
  };

  // Per study, what was seen of its trials.
  const poller = createStudyPoller<Map<number, Seen>>({ storage: o.storage, everyMs: o.everyMs ?? LOCAL_CHECK_MS, look: checkOne });
  return {
    note(studyId, trials) {
      // Epochs unknown (-1): a running trial's are all sent on the first look (the page merges them by epoch).
      poller.watch(studyId, new Map(trials.map((t): [number, Seen] => [t.id, { state: t.state, epochs: -1, liveEpoch: -1 }])));
    },
    dispose: poller.dispose,
  };
}
