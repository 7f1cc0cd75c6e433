// The app's connection to a study database: the local SQLite file, or a shared study database on a
// PostgreSQL server (studies run by workers on several machines). Passwords travel only in ConnectRequest,
// never back out: every address the app returns is masked.
import { z } from 'zod';

export const StorageInfo = z.object({
  kind: z.enum(['local', 'shared']),
  /** The database in use: the SQLite file, or the server's address without its password. */
  location: z.string(),
  /** The server of a shared database ("db.lab:5432"); null for the local one. */
  host: z.string().nullable(),
  /** Where saved passwords are kept: the OS keychain (desktop app) or this app's memory until it quits (browser mode). */
  credentials: z.enum(['keychain', 'memory']),
  /** Addresses with a saved password (no password in them). */
  saved: z.array(z.string()),
  /** Whether trials run elsewhere reach the app as they happen (LISTEN on the database). */
  liveUpdates: z.boolean(),
});

export const ConnectRequest = z.object({
  /** postgresql://user@host:port/database (a password typed into it is taken out, as if given below). */
  url: z.string().min(1).max(2000),
  /** Optional: else the saved one, else PGPASSWORD / ~/.pgpass of the app's machine. */
  password: z.string().max(1000).optional(),
  /** Keep the password (keychain in the desktop app; memory in browser mode). */
  remember: z.boolean().default(false),
});

export type StorageInfo = z.infer<typeof StorageInfo>;
export type ConnectRequest = z.input<typeof ConnectRequest>;
