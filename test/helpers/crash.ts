// Crash a real `latent-lab search` (CLI and trainer processes) with kill -9 and look at what is stored after.
// Shared by the fault tests (deterministic stop points, see src/core/faultPoints.ts) and bench/killResume.ts
// (random moments).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { makeImageFolder } from './images';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(REPO, 'bin', 'latent-lab.mjs');

/** A working folder outside the repository with tiny images and a spec that refers to them relatively. */
export interface CrashWorld {
  dir: string;
  dataDir: string;
  /**
   * Writes `<name>.json` (budget `trials`, one trainer process, 2 epochs unless given) and returns its file
   * name, relative to `dir`.
   */
  spec(name: string, trials: number, epochs?: number): string;
}

export async function makeCrashWorld(dir: string): Promise<CrashWorld> {
  fs.mkdirSync(dir, { recursive: true });
  await makeImageFolder(path.join(dir, 'images'), ['a', 'b'], 12);
  return {
    dir,
    dataDir: path.join(dir, 'home'),
    spec(name, trials, epochs = 2) {
      const file = `${name}.json`;
      const spec = {
        name,
        dataset: { path: 'images', imageSize: 8 },
        searchSpace: {
          params: [
            { name: 'latentSize', type: 'int', low: 2, high: 4 },
            { name: 'hiddenUnits', type: 'fixed', value: [8] },
            { name: 'batchSize', type: 'fixed', value: 8 },
            { name: 'epochs', type: 'fixed', value: epochs },
          ],
        },
        sampler: { type: 'random' },
        pruner: { type: 'nop' },
        budget: { trials },
        seed: 5,
        parallel: 1,
      };
      fs.writeFileSync(path.join(dir, file), JSON.stringify(spec));
      return file;
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to the end from `cwd` (paths in args may be relative to it). */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A CLI started in its own process group, so the group (CLI + trainers) can be killed at once. */
export interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function startCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, detached: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits until a process has stopped itself at a fault point (it wrote its pid); fails if the CLI ends first. */
export async function waitForStop(stopFile: string, cli: RunningCli, timeoutMs = 240_000): Promise<number> {
  let ended = false;
  void cli.exited.then(() => (ended = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (fs.existsSync(stopFile)) return Number(fs.readFileSync(stopFile, 'utf8'));
    if (ended) throw new Error(`the CLI ended before the fault point:\n${cli.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no fault point reached in ${timeoutMs} ms:\n${cli.output()}`);
}

/** kill -9 of the CLI's whole process group (the CLI and its trainer processes); resolves when the CLI is gone. */
export async function killGroup(cli: RunningCli): Promise<void> {
  try {
    process.kill(-(cli.child.pid as number), 'SIGKILL');
  } catch {
    // Already gone.
  }
  await cli.exited;
}

export interface StoredTrial {
  id: number;
  number: number;
  state: string;
  failReason: string | null;
  retryOf: number | null;
  artifactDir: string | null;
  values: Array<number | null>;
}

/** The study's trials as stored, read straight from the database file (read-only). */
export function storedTrials(dbPath: string, study: string): StoredTrial[] {
  if (!fs.existsSync(dbPath)) return [];
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT t.id, t.number, t.state, t.fail_reason AS failReason, t.retry_of AS retryOf, t.artifact_dir AS artifactDir
         FROM trials t JOIN studies s ON s.id = t.study_id WHERE s.name = ? ORDER BY t.number`,
      )
      .all(study) as Array<Omit<StoredTrial, 'values'>>;
    const values = db.prepare('SELECT value FROM trial_values WHERE trial_id = ? ORDER BY objective');
    return rows.map((r) => ({ ...r, values: (values.all(r.id) as Array<{ value: number | null }>).map((v) => v.value) }));
  } finally {
    db.close();
  }
}

/** Every file of a folder (recursively) with its SHA-256: compared before and after to prove nothing changed. */
export function folderHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  if (fs.existsSync(dir)) visit(dir);
  return out;
}

/** COMPLETE trials with their values and stored files, keyed by trial id. */
export function completeSnapshot(trials: StoredTrial[]): Record<number, { values: Array<number | null>; files: Record<string, string> }> {
  const out: Record<number, { values: Array<number | null>; files: Record<string, string> }> = {};
  for (const t of trials.filter((x) => x.state === 'COMPLETE')) out[t.id] = { values: t.values, files: folderHashes(t.artifactDir ?? '') };
  return out;
}

/** Trials that count as work done: finished, except a failed trial that was retried. */
export function finishedCount(trials: StoredTrial[]): number {
  const retried = new Set(trials.map((t) => t.retryOf).filter((x): x is number => x !== null));
  return trials.filter((t) => ['COMPLETE', 'PRUNED', 'FAILED', 'CANCELLED'].includes(t.state) && !(t.state === 'FAILED' && retried.has(t.id))).length;
}
