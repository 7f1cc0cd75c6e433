// The app's trial database. A new one is created only where none exists (and the log says where); a file that
// cannot be used (damaged, read-only, newer) does not stop the app: every call that needs the database fails
// with the reason, so the user sees it where their studies would be, never an empty list.
import type { DataLocations } from '../../core/paths';
import { openStorage } from '../../core/storage/sqlite';
import { StorageError, type Storage } from '../../core/storage/types';
import { recoverManualTrials } from '../../core/trainer/manualTrial';

/** A Storage whose every method throws `error` (its path and id stay readable for the status bar). */
export function unavailableStorage(dbPath: string, error: StorageError): Storage {
  return new Proxy({ path: dbPath, databaseId: 'unavailable' } as Storage, {
    get(target, key) {
      if (key === 'path' || key === 'databaseId') return target[key];
      if (key === 'close') return async () => {};
      if (key === 'then') return undefined; // not a promise
      return () => Promise.reject(error);
    },
  });
}

export async function openAppStorage(
  locations: DataLocations,
  log: { info(line: string): void; warn(line: string): void },
): Promise<{ storage: Storage; error: StorageError | null }> {
  try {
    const storage = openStorage(locations.dbPath, { create: true, check: true, onCreate: (file) => log.info(`Created a new trial database at ${file}`) });
    for (const t of await recoverManualTrials(storage)) log.warn(`Trial ${t.id} was left RUNNING by a trainer that is gone: marked FAILED (stale).`);
    return { storage, error: null };
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
    log.warn(err.message);
    return { storage: unavailableStorage(locations.dbPath, err), error: err };
  }
}
