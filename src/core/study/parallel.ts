import os from 'node:os';
import { createRequire } from 'node:module';

/** Cores this machine offers to trainers. */
export function coreCount(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Kernel threads for each of `workers` trainers running at once on `cores` cores: as even as possible and at
 * least one each, so two trainers on two cores get one thread each and the last one left gets them all.
 */
export function threadShares(cores: number, workers: number): number[] {
  const n = Math.max(0, workers);
  return Array.from({ length: n }, (_, i) => Math.max(1, Math.floor(cores / n) + (i < cores % n ? 1 : 0)));
}

/** 'auto': one trainer per core on single-threaded backends (wasm, cpu); one on tfjs-node, which uses every core. */
export function resolveParallel(p: 'auto' | number): number {
  if (p !== 'auto') return p;
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return 1;
  } catch {
    return coreCount();
  }
}
