// Benchmarks measure what the app runs: trainer processes get V8 flags (relaxed SIMD on Node 20, see
// src/core/trainer/nodeSpawn.ts), so a bench re-runs itself with the same flags. `--no-fma` measures without.
import { spawnSync } from 'node:child_process';
import { trainerV8Flags } from '../src/core/trainer/nodeSpawn';

/** Re-runs this script with the trainer's V8 flags when it lacks them; returns only if it need not. */
export function rerunWithTrainerFlags(): void {
  if (process.argv.includes('--no-fma')) return;
  const missing = trainerV8Flags().filter((f) => !process.execArgv.includes(f));
  if (missing.length === 0) return;
  const child = spawnSync(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
