// Running our wasm kernels beside tfjs's cpu backend in tests: seeded inputs, and a run on one backend and
// thread count that returns the outputs' values and checks that no wasm tensor data was left behind.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { setKernelThreads } from '../../src/core/training/wasmKernels/kernelThreads';
import { createRng } from '../../src/shared/rng';

/** Seeded values in [-1, 1) for a tensor of `shape`. */
export const data = (shape: number[], seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
};

/** Tensor data the backend holds (a kernel that leaks leaves one more). */
export const dataIds = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

/** The values of f's outputs on `backend` with `threads` kernel threads; fails if wasm data leaked. */
export async function on(backend: 'cpu' | 'wasm', threads: number, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  setKernelThreads(threads);
  const before = backend === 'wasm' ? dataIds() : 0;
  const outs = tf.tidy(f);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  if (backend === 'wasm') expect(dataIds(), 'wasm data ids leaked').toBe(before);
  return values;
}

/** Each output within `tolerance` of the expected one, relative to the expected one's largest magnitude. */
export function expectClose(actual: Float32Array[], expected: Float32Array[], label: string, tolerance = 1e-5): void {
  expect(actual.length, label).toBe(expected.length);
  expected.forEach((e, i) => {
    let scale = 1e-6;
    let worst = 0;
    for (let j = 0; j < e.length; j++) {
      scale = Math.max(scale, Math.abs(e[j]));
      worst = Math.max(worst, Math.abs(actual[i][j] - e[j]));
    }
    expect(actual[i].length, label).toBe(e.length);
    expect(worst / scale, `${label} output ${i}: max |diff| ${worst} vs scale ${scale}`).toBeLessThanOrEqual(tolerance);
  });
}
