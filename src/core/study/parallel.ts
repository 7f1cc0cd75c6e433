import os from 'node:os';
import { createRequire } from 'node:module';

/** 'auto': one trainer per core on single-threaded backends (wasm, cpu); one on tfjs-node, which uses every core. */
export function resolveParallel(p: 'auto' | number): number {
  if (p !== 'auto') return p;
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return 1;
  } catch {
    return Math.max(1, os.cpus().length);
  }
}
