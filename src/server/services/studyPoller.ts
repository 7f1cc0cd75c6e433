// Studies looked at on a timer while something about them is worth watching (staleWatch.ts, localChangeWatch.ts):
// each watched study keeps the database it was seen in (after a switch to another database its id means
// nothing) and what its watcher remembers of it; the timer runs only while a study is watched, and one look at
// a time. A look that fails (the database went away) is tried again next time: the next call that needs the
// database tells the user.
import type { Storage } from '../../core/storage/types';

export interface StudyPoller<T> {
  /** Watches a study (its memory starts as `memory`); a study already watched in this database keeps what it has. */
  watch(studyId: number, memory: T): void;
  unwatch(studyId: number): void;
  dispose(): void;
}

export function createStudyPoller<T>(o: {
  storage: Storage;
  everyMs: number;
  /** One look at a watched study; false stops watching it. */
  look: (studyId: number, memory: T) => Promise<boolean>;
}): StudyPoller<T> {
  const watched = new Map<number, { databaseId: string; memory: T }>();
  let timer: NodeJS.Timeout | null = null;
  let looking = false;
  let disposed = false;

  const stopWhenIdle = (): void => {
    if (watched.size > 0 || !timer) return;
    clearInterval(timer);
    timer = null;
  };

  const tick = async (): Promise<void> => {
    if (looking) return;
    looking = true;
    try {
      for (const [studyId, w] of [...watched]) {
        if (disposed) return;
        const keep = o.storage.databaseId === w.databaseId && (await o.look(studyId, w.memory).catch(() => true));
        if (!keep) watched.delete(studyId);
      }
      stopWhenIdle();
    } finally {
      looking = false;
    }
  };

  return {
    watch(studyId, memory) {
      if (disposed || watched.get(studyId)?.databaseId === o.storage.databaseId) return;
      watched.set(studyId, { databaseId: o.storage.databaseId, memory });
      if (!timer) {
        timer = setInterval(() => void tick(), o.everyMs);
        timer.unref();
      }
    },
    unwatch(studyId) {
      watched.delete(studyId);
      stopWhenIdle();
    },
    dispose() {
      disposed = true;
      watched.clear();
      stopWhenIdle();
    },
  };
}
