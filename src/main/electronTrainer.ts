// SpawnTrainer for the desktop app: the trainer runs in an Electron utilityProcess (out/main/trainer.js) and
// talks over its parentPort. Adapts UtilityProcess events to the TrainerChannel interface.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { FromTrainer, SpawnTrainer, ToTrainer, TrainerChannel } from '../core/trainer/protocol';
import { withoutDevelopmentSwitches } from '../core/config';
import { SQLITE_BINDING_ENV } from './sqliteBinding';

export interface ElectronTrainerOptions {
  /** Absolute path of the built trainer entry (out/main/trainer.js). */
  modulePath: string;
  /** Electron-ABI better_sqlite3.node, passed on as LATENT_LAB_SQLITE_BINDING; null = leave it unset. */
  sqliteBinding: string | null;
  /** A packaged app: the trainers get no test or development switches (fault points, DevTools). */
  isPackaged: boolean;
  log?: (line: string) => void;
}

function isTrainerMessage(value: unknown): value is FromTrainer {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Prefixes each line of a child's output stream, so trainer logs stay recognisable in the main log. */
function forwardLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) if (line) log(line);
  });
  stream.on('end', () => {
    if (pending) log(pending);
    pending = '';
  });
}

export function createElectronSpawnTrainer(opts: ElectronTrainerOptions): SpawnTrainer {
  const log = opts.log ?? ((line: string) => console.log(`[trainer] ${line}`));
  return (): TrainerChannel => {
    const env: NodeJS.ProcessEnv = opts.isPackaged ? withoutDevelopmentSwitches(process.env) : { ...process.env };
    if (opts.sqliteBinding) env[SQLITE_BINDING_ENV] = opts.sqliteBinding;
    else delete env[SQLITE_BINDING_ENV];

    const child: UtilityProcess = utilityProcess.fork(opts.modulePath, [], {
      serviceName: 'Latent Lab trainer',
      stdio: 'pipe',
      env,
    });
    forwardLines(child.stdout, log);
    forwardLines(child.stderr, log);

    // Messages posted before the process has spawned are held back and flushed on 'spawn'.
    let spawned = false;
    let exitInfo: { code: number | null; signal: string | null } | null = null;
    const exitListeners: ((info: { code: number | null; signal: string | null }) => void)[] = [];
    const queue: ToTrainer[] = [];
    child.once('spawn', () => {
      spawned = true;
      for (const message of queue.splice(0)) child.postMessage(message);
    });
    child.on('error', (type, location) => log(`fatal ${type} at ${location}`));
    // utilityProcess reports only an exit code (no signal name).
    child.once('exit', (code: number) => {
      exitInfo = { code, signal: null };
      queue.length = 0;
      for (const listener of exitListeners.splice(0)) listener(exitInfo);
    });

    return {
      send(message) {
        if (exitInfo) return;
        if (spawned) child.postMessage(message);
        else queue.push(message);
      },
      onMessage(listener) {
        child.on('message', (message: unknown) => {
          if (isTrainerMessage(message)) listener(message);
          else log(`ignored a malformed message from the trainer`);
        });
      },
      onExit(listener) {
        const info = exitInfo;
        if (info) queueMicrotask(() => listener(info));
        else exitListeners.push(listener);
      },
      kill() {
        if (!exitInfo) child.kill();
      },
    };
  };
}
