// Seeded uniforms, normals and dropout for training, from the counter-based stream of randomLoops.ts: SIMD
// kernels on wasm, the JS twin (the same bits) on every other backend. A seed gives the same numbers on any
// machine and backend; tfjs's seeded ops are ~20 ns an element in JS (randomLoops.ts says why that mattered).
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, sizeOf, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor } from './loops';
import { dropoutTwin, normalTwin, streamKeys, uniformAt, uniformTwin } from './randomLoops';

export const RANDOM_UNIFORM = 'LatentLabRandomUniform';
export const DROPOUT = 'LatentLabDropout';
export const RANDOM_NORMAL = 'LatentLabRandomNormal';

interface DropoutAttrs {
  rate: number;
  seed: number;
}

/** Dropout's keep probability and its float32 scale 1 / keep, as tfjs's formula rounds them. */
function keepAndScale(rate: number): [number, number] {
  if (!(rate > 0 && rate < 1)) throw new Error(`dropout needs a rate in (0, 1), got ${rate}`);
  const keep = Math.fround(1 - rate);
  return [keep, Math.fround(1 / keep)];
}

function uniformKernel(params: KernelParams): TensorInfo {
  const { shape, seed } = params.attrs as unknown as { shape: number[]; seed: number };
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput([...shape], 'float32');
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  const [k1, k2] = streamKeys(seed);
  const loops = loopsFor(params.backend);
  if (loops) loops.uniform(dst.byteOffset, dst.length, k1, k2);
  else uniformTwin(dst, k1, k2);
  return out;
}

/** Normals (randomLoops.ts's Box-Muller). The loop writes whole groups of four: a ragged size goes through a scratch. */
function normalKernel(params: KernelParams): TensorInfo {
  const { shape, seed, mean, std } = params.attrs as unknown as { shape: number[]; seed: number; mean: number; std: number };
  const wasm = asWasm(params.backend);
  const n = sizeOf(shape);
  const out = wasm.makeOutput([...shape], 'float32');
  const padded = n % 4 === 0 ? null : wasm.makeOutput([n + 4 - (n % 4)], 'float32');
  const [k1, k2] = streamKeys(seed);
  const loops = loopsFor(params.backend);
  try {
    const dst = wasm.typedArrayFromHeap(out) as Float32Array;
    if (!loops) {
      normalTwin(dst, k1, k2, mean, std);
    } else if (padded) {
      const tmp = wasm.typedArrayFromHeap(padded) as Float32Array;
      loops.normal(tmp.byteOffset, tmp.length, k1, k2, mean, std);
      dst.set(tmp.subarray(0, n));
    } else {
      loops.normal(dst.byteOffset, n, k1, k2, mean, std);
    }
  } finally {
    if (padded) wasm.disposeData(padded.dataId);
  }
  return out;
}

/** x * (kept ? 1 / keep : 0) per element; applied to dy it is its own gradient (the same mask). */
function dropoutKernel(params: KernelParams): TensorInfo {
  const { x } = params.inputs;
  if (!x || x.dtype !== 'float32') throw new Error(`${DROPOUT} needs a float32 input x`);
  const { rate, seed } = params.attrs as unknown as DropoutAttrs;
  const [keep, scale] = keepAndScale(rate);
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput([...x.shape], 'float32');
  if (sizeOf(x.shape) === 0) return out;
  const src = wasm.typedArrayFromHeap(x) as Float32Array;
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  const [k1, k2] = streamKeys(seed);
  const loops = loopsFor(params.backend);
  if (loops) loops.dropout(src.byteOffset, dst.byteOffset, dst.length, k1, k2, keep, scale);
  else dropoutTwin(src, dst, k1, k2, keep, scale);
  return out;
}

export const RANDOM_KERNELS: readonly KernelConfig[] = [
  { kernelName: RANDOM_UNIFORM, backendName: WASM, kernelFunc: uniformKernel as unknown as tf.KernelFunc },
  { kernelName: DROPOUT, backendName: WASM, kernelFunc: dropoutKernel as tf.KernelFunc },
  { kernelName: RANDOM_NORMAL, backendName: WASM, kernelFunc: normalKernel as unknown as tf.KernelFunc },
];

export const dropoutGradient: tf.GradConfig = {
  kernelName: DROPOUT,
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(DROPOUT, { x: dy as tf.Tensor }, attrs) as tf.Tensor }),
};

const ours = (kernel: string): boolean => tf.getKernel(kernel, tf.getBackend()) !== undefined;

/** Uniforms in [0, 1) (24 random bits each), the same for a seed on every backend. */
export function seededUniform(shape: number[], seed: number): tf.Tensor {
  if (ours(RANDOM_UNIFORM)) return tf.engine().runKernel(RANDOM_UNIFORM, {}, { shape, seed }) as tf.Tensor;
  const out = new Float32Array(sizeOf(shape));
  uniformTwin(out, ...streamKeys(seed));
  return tf.tensor(out, shape, 'float32');
}

/**
 * Normals (mean, std) by Box-Muller on the seed's stream (randomLoops.ts): a SIMD kernel on wasm, its JS twin
 * elsewhere (the same numbers to a few float32 ulps).
 */
export function seededNormal(shape: number[], mean: number, std: number, seed: number): tf.Tensor {
  if (ours(RANDOM_NORMAL)) return tf.engine().runKernel(RANDOM_NORMAL, {}, { shape, seed, mean, std }) as tf.Tensor;
  const out = new Float32Array(sizeOf(shape));
  normalTwin(out, ...streamKeys(seed), mean, std);
  return tf.tensor(out, shape, 'float32');
}

/**
 * tfjs's dropout (x * floor(u + keep) / keep, rate in (0, 1)) on the seed's uniforms: one kernel each way on
 * wasm, the same values through tfjs's multiply elsewhere.
 */
export function seededDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (ours(DROPOUT) && x.dtype === 'float32') return tf.engine().runKernel(DROPOUT, { x }, { rate, seed }) as tf.Tensor;
  const [keep, scale] = keepAndScale(rate);
  const multiplier = new Float32Array(x.size);
  const [k1, k2] = streamKeys(seed);
  for (let i = 0; i < multiplier.length; i++) multiplier[i] = Math.fround(uniformAt(i, k1, k2) + keep) >= 1 ? scale : 0;
  // The multiplier tensor is freed here, whether or not the caller is in a tidy.
  return tf.tidy(() => tf.mul(x, tf.tensor(multiplier, x.shape, 'float32')));
}
