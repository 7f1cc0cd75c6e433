// What the Electron main process and the HTTP bridge both need from the services: one handler per contract
// method and one event stream. Nothing here imports Electron.
import type { EventName, EventPayload, Handlers } from '../../shared/contract';
import type { DataLocations } from '../../core/paths';
import type { SpawnTrainer } from '../../core/trainer/protocol';
import type { ErrorLog } from '../errorLog';

export type AnyEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
export type EventListener = (e: AnyEvent) => void;

export interface AppServicesOptions {
  mode: 'electron' | 'browser';
  locations: DataLocations;
  spawnTrainer: SpawnTrainer;
  /** Native folder picker; absent in browser mode, where the user types a path. */
  pickFolder?: () => Promise<string | null>;
  /** Where unexpected errors go; default: the log file in the data folder. */
  log?: ErrorLog;
}

export interface AppServices {
  handlers: Handlers;
  /** The log of unexpected errors (pass it to dispatch). */
  log: ErrorLog;
  subscribe(listener: EventListener): () => void;
  dispose(): Promise<void>;
}
