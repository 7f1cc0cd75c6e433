// One fused Adam step for wasm (a SIMD loop, loops.ts): a single pass over value, gradient and both moments instead of the ~13
// elementwise kernels (each a full read+write of a 200k-element matrix) that tf.train.adam issues per
// variable. Pure: it returns fresh tensors for the new value and moments and never writes its inputs (the
// wasm matmul caches packed weights by tensor id, so an in-place write would leave stale weights behind).
import { WASM, asWasm, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor } from './loops';

export const ADAM_UPDATE = 'LatentLabAdamUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1-based step number t, for the bias corrections 1 - beta^t. */
  step: number;
}

function adamUpdate(params: KernelParams): TensorInfo[] {
  const { value, gradient, m, v } = params.inputs;
  if (!value || !gradient || !m || !v) throw new Error(`${ADAM_UPDATE} needs inputs value, gradient, m, v`);
  const a = params.attrs as unknown as AdamUpdateAttrs;
  const wasm = asWasm(params.backend);
  const outs = [wasm.makeOutput(value.shape, 'float32'), wasm.makeOutput(value.shape, 'float32'), wasm.makeOutput(value.shape, 'float32')];
  // Views only after every allocation (an allocation may grow and detach the heap).
  const [w, g, m0, v0] = [value, gradient, m, v].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const [w1, m1, v1] = outs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const { beta1, beta2, epsilon } = a;
  const c1 = 1 - beta1 ** a.step;
  const c2 = 1 - beta2 ** a.step;
  const lr = a.learningRate;
  const loops = loopsFor(params.backend);
  if (loops) {
    const p = (x: Float32Array): number => x.byteOffset;
    loops.adam(p(w), p(g), p(m0), p(v0), p(w1), p(m1), p(v1), w.length, lr / c1, 1 / c2, beta1, 1 - beta1, beta2, 1 - beta2, epsilon);
    return outs;
  }
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = beta1 * m0[i] + (1 - beta1) * gi;
    const vi = beta2 * v0[i] + (1 - beta2) * gi * gi;
    m1[i] = mi;
    v1[i] = vi;
    w1[i] = w[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
  return outs;
}

export const adamUpdateConfig: KernelConfig = { kernelName: ADAM_UPDATE, backendName: WASM, kernelFunc: adamUpdate };
