// storage.current / connect / disconnect: which study database the app works with. The local SQLite file is
// kept open; a shared database (PostgreSQL) replaces it in the switchable storage every service holds, with a
// LISTEN connection whose changes become the usual live events. Passwords never leave this module in an
// address, a message or a log: what the page gets back is masked.
import type { Handlers } from '../../shared/contract';
import type { StorageInfo } from '../../shared/connectionSchemas';
import { databaseHost, isDatabaseUrl, maskDatabaseUrl } from '../../shared/databaseUrl';
import { AppError } from '../../shared/errors';
import type { ChangeListener, DatabaseChange } from '../../core/storage/pgListen';
import type { Storage } from '../../core/storage/types';
import { StorageError } from '../../core/storage/types';
import type { CredentialStore } from '../credentials';
import type { SwitchableStorage } from './switchableStorage';

type ConnectionHandlers = Pick<Handlers, 'storage.current' | 'storage.connect' | 'storage.disconnect'>;

export interface ConnectionService {
  handlers: ConnectionHandlers;
  dispose(): Promise<void>;
}

export function createConnectionService(o: {
  switchable: SwitchableStorage;
  credentials: CredentialStore;
  /** What this window runs now (a study, a trial), or null: the database is not switched under it. */
  busy: () => string | null;
  onChange: (change: DatabaseChange) => void;
  warn: (line: string) => void;
}): ConnectionService {
  const local = o.switchable.current();
  let shared: { storage: Storage; listener: ChangeListener | null } | null = null;

  const info = async (): Promise<StorageInfo> => {
    const current = o.switchable.current();
    return {
      kind: shared ? 'shared' : 'local',
      location: maskDatabaseUrl(current.path),
      host: shared ? databaseHost(current.path) : null,
      credentials: o.credentials.kind,
      saved: await o.credentials.list(),
      liveUpdates: Boolean(shared?.listener),
    };
  };

  const notBusy = (): void => {
    const what = o.busy();
    if (what) throw new AppError('STORAGE_BUSY', { what });
  };

  const closeShared = async (): Promise<void> => {
    const s = shared;
    shared = null;
    if (!s) return;
    o.switchable.use(local);
    await s.listener?.close();
    await s.storage.close();
  };

  const handlers: ConnectionHandlers = {
    'storage.current': info,
    'storage.connect': async ({ url: typed, password: given, remember }) => {
      if (!isDatabaseUrl(typed)) throw new StorageError('DB_URL_INVALID', { url: maskDatabaseUrl(typed), example: 'postgresql://user@host:5432/database' });
      notBusy();
      const { splitDatabaseUrl } = await import('../../core/storage/postgres');
      const { url, password: inUrl } = splitDatabaseUrl(typed);
      const password = given || inUrl || (await o.credentials.get(url));
      const location = password ? withPassword(url, password) : url;
      const { openStorageAt } = await import('../../core/storage/open');
      const storage = await openStorageAt(location);
      let listener: ChangeListener | null = null;
      try {
        const { listenForChanges } = await import('../../core/storage/pgListen');
        listener = await listenForChanges(location, o.onChange, o.warn);
      } catch (err) {
        o.warn(`No live updates from ${url} (${err instanceof Error ? err.message : String(err)}): the study views refresh when opened.`);
      }
      await closeShared();
      shared = { storage, listener };
      o.switchable.use(storage);
      if (remember && password) await o.credentials.set(url, password);
      return info();
    },
    'storage.disconnect': async () => {
      notBusy();
      await closeShared();
      return info();
    },
  };

  return { handlers, dispose: closeShared };
}

/** The password-free address with the password put back, for the driver only (never shown). */
function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}
