// What the Electron main process and the HTTP bridge both need from the services: one handler per contract
// method and one event stream. Nothing here imports Electron.
import type { EventName, EventPayload, Handlers } from '../../shared/contract';
import type { DataLocations } from '../../core/paths';
import type { SpawnTrainer } from '../../core/trainer/protocol';
import type { CredentialStore } from '../credentials';
import type { ErrorLog } from '../errorLog';
import type { PathPurpose } from '../pathPolicy';

export type AnyEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
export type EventListener = (e: AnyEvent) => void;

export interface AppServicesOptions {
  mode: 'electron' | 'browser';
  locations: DataLocations;
  spawnTrainer: SpawnTrainer;
  /** Native folder picker; absent in browser mode, where the user types a path. */
  pickFolder?: () => Promise<string | null>;
  /**
   * Desktop app: asks the user to confirm a folder typed in the page that they did not pick in the dialog
   * (see pathPolicy.ts). Absent in browser mode.
   */
  confirmPath?: (folder: string, purpose: PathPurpose) => Promise<boolean>;
  /** Where unexpected errors go; default: the log file in the data folder. */
  log?: ErrorLog;
  /** Saved passwords of shared study databases: the OS keychain in the desktop app; default memory only. */
  credentials?: CredentialStore;
}

export interface AppServices {
  handlers: Handlers;
  /** The log of unexpected errors (pass it to dispatch). */
  log: ErrorLog;
  subscribe(listener: EventListener): () => void;
  dispose(): Promise<void>;
}
