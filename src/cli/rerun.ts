// Processes that train in-process (`latent-lab train`, the benches) want the V8 flags trainer processes get
// (relaxed SIMD on Node 20, see src/core/trainer/nodeSpawn.ts): such a process runs itself again with them.
import { spawn } from 'node:child_process';
import { readConfig } from '../core/config';
import { trainerV8Flags } from '../core/trainer/nodeSpawn';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Returns when this process has the trainer's V8 flags or does not need them; otherwise runs the same command
 * again with them and exits with its code. Not on Windows (a detached child gets its own console there).
 */
export async function rerunWithTrainerFlags(): Promise<void> {
  if (process.platform === 'win32' || process.argv.includes('--no-fma') || readConfig().noRerun) return;
  const missing = trainerV8Flags().filter((f) => !process.execArgv.includes(f));
  if (missing.length === 0) return;
  // Its own process group, so a terminal's Ctrl+C reaches only this process, which passes it on exactly once
  // (the child cancels its trial cleanly on the first and would die on a second).
  const child = spawn(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', detached: true });
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal === 'SIGINT' ? 130 : 1))));
  process.exit(code);
}
