// Deterministic crash points for the fault tests (and bench/killResume.ts): a process whose environment names a
// point stops itself there (SIGSTOP) after writing its pid to a file, so the test can kill -9 it at exactly
// that moment instead of guessing with sleeps; with `!crash` it kills itself there instead (as the OOM killer
// would). Without both test variables set this does nothing.
import fs from 'node:fs';
import { readConfig } from './config';

export type FaultPoint =
  /** A trial's epoch is stored (detail: number, epoch). */
  | 'trial.epoch'
  /** The encoder bundle is half written: model and features, no manifest yet (detail: number). */
  | 'trial.bundle'
  /** A worker has just claimed or created a trial, before training starts (detail: number). */
  | 'worker.trialStarted'
  /** The first worker starts computing the study's baselines, before any trial. */
  | 'worker.baselines';

let fired = false;

/** Spec: `<point>[@key=value,key=value][!crash]` (every key must match the detail). */
export function matchesFaultSpec(spec: string, name: FaultPoint, detail: Readonly<Record<string, string | number>>): boolean {
  const [point, conditions = ''] = spec.replace(/!crash$/, '').split('@');
  if (point !== name) return false;
  return conditions
    .split(',')
    .filter(Boolean)
    .every((pair) => {
      const [key, value] = pair.split('=');
      return String(detail[key]) === value;
    });
}

/** Stops this process at `name` when the test environment asks for it (once per process). */
export function faultPoint(name: FaultPoint, detail: Readonly<Record<string, string | number>> = {}): void {
  if (fired) return;
  const { testStopAt, testStopFile } = readConfig();
  if (!testStopAt || !testStopFile || !matchesFaultSpec(testStopAt, name, detail)) return;
  fired = true;
  // Written whole before the stop (rename is atomic), so the test never reads a partial pid.
  fs.writeFileSync(`${testStopFile}.tmp`, `${process.pid}\n`);
  fs.renameSync(`${testStopFile}.tmp`, testStopFile);
  process.kill(process.pid, testStopAt.endsWith('!crash') ? 'SIGKILL' : 'SIGSTOP');
}
