// One way in for every caller that may be given either a SQLite file or a database server's URL. The
// PostgreSQL driver is loaded only when a URL is given: SQLite users and their trainers never pay for it.
import { isDatabaseUrl } from '../../shared/databaseUrl';
import { openStorage, type OpenStorageOptions } from './sqlite';
import type { Storage } from './types';


/**
 * A SQLite file path, or a postgresql:// URL (a shared study database: its tables are set up on first use,
 * `create` does not apply). `onCreate` hears where a new database (or a new set of tables) was made.
 */
export async function openStorageAt(location: string, opts: OpenStorageOptions & { maxConnections?: number } = {}): Promise<Storage> {
  if (!isDatabaseUrl(location)) return openStorage(location, opts);
  const { openPostgresStorage } = await import('./postgres');
  return openPostgresStorage(location, { maxConnections: opts.maxConnections, onCreate: opts.onCreate });
}
