// In development, better-sqlite3 compiled for Electron's ABI lives outside node_modules
// (scripts/rebuild-sqlite-electron.mjs writes native/electron/<electron-version>/better_sqlite3.node), so the
// plain-Node CLI and tests keep the stock build. This finds it at runtime. A packaged app needs none of it:
// electron-builder rebuilt its node_modules copy for Electron, and LATENT_LAB_SQLITE_BINDING must not be
// able to load another .node file into it. No Electron import: the caller passes the app's facts in.
import fs from 'node:fs';
import path from 'node:path';
import { ENV_NAMES, readConfig } from '../core/config';

export const SQLITE_BINDING_ENV = ENV_NAMES.sqliteBinding;
export const SQLITE_BINDING_FILE = 'better_sqlite3.node';

export interface BindingLookup {
  electronVersion: string;
  isPackaged: boolean;
  /** app.getAppPath(): the project root in development. */
  appPath: string;
  env?: NodeJS.ProcessEnv;
}

/** Where the Electron-ABI binding is looked for, most specific first; nowhere in a packaged app. */
export function sqliteBindingCandidates(o: BindingLookup): string[] {
  if (o.isPackaged) return [];
  const explicit = readConfig(o.env ?? process.env).sqliteBinding;
  return [
    ...(explicit ? [path.resolve(explicit)] : []),
    path.join(o.appPath, 'native', 'electron', o.electronVersion, SQLITE_BINDING_FILE),
  ];
}

/** The first candidate that exists, or null (then better-sqlite3 falls back to its own, Node-ABI build). */
export function findSqliteBinding(o: BindingLookup, exists: (file: string) => boolean = fs.existsSync): string | null {
  return sqliteBindingCandidates(o).find((file) => exists(file)) ?? null;
}

export function missingBindingMessage(electronVersion: string): string {
  return (
    `better-sqlite3 is not built for Electron ${electronVersion}: ` +
    'run `node scripts/rebuild-sqlite-electron.mjs` (or `npm start`, which does it) and start again.'
  );
}
