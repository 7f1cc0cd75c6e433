// Trials that other processes run in a shared study database, watched for a runner that is gone. A worker killed
// mid-trial (kill -9, a machine switched off) tells nobody: its trial would stay RUNNING, and the dashboards
// watching it would show it running forever. Every STALE_CHECK_MS the watched studies go through the workers'
// own rule (Study.recoverStale: on this host the owner process is checked; elsewhere a heartbeat older than
// STALE_HEARTBEAT_MS by the database's clock), which fails such a trial as stale and queues it once more. The
// change reaches every window through the database's notifications, like any other trial change.
import { Study } from '../../core/study/study';
import type { Storage } from '../../core/storage/types';
import { createStudyPoller } from './studyPoller';

/** How often watched studies are checked: the trainers' heartbeat period. */
export const STALE_CHECK_MS = 5_000;

export interface StaleWatch {
  /** What a refresh of a study heard from the database found: whether trials of other processes run in it. */
  note(studyId: number, othersRunning: boolean): void;
  dispose(): void;
}

export function createStaleWatch(o: {
  storage: Storage;
  /** A study this window runs itself: its own supervisor and workers recover its trials. */
  runsHere: (studyName: string) => boolean;
  warn: (line: string) => void;
  everyMs?: number;
}): StaleWatch {
  // One warning per study and message, not one every few seconds.
  const warned = new Set<string>();
  const poller = createStudyPoller<null>({
    storage: o.storage,
    everyMs: o.everyMs ?? STALE_CHECK_MS,
    look: async (studyId) => {
      const record = await o.storage.getStudyById(studyId);
      if (!record || record.kind !== 'search' || o.runsHere(record.name)) return false;
      try {
        await (await Study.load(o.storage, record.name)).recoverStale();
      } catch (err) {
        const line = `Could not check study "${record.name}" for trials whose worker stopped (${err instanceof Error ? err.message : String(err)}); they show as running until a worker or resume of the study checks them.`;
        if (!warned.has(line)) o.warn(line);
        warned.add(line);
      }
      return true;
    },
  });
  return {
    note: (studyId, othersRunning) => (othersRunning ? poller.watch(studyId, null) : poller.unwatch(studyId)),
    dispose: poller.dispose,
  };
}
