// LeakyRelu and its gradient in one SIMD pass each for wasm (loops.ts). tfjs differentiates it as where(x > 0, dy,
// dy * alpha): three kernels and two full-size temporaries per layer and step (Greater, Multiply, Select). The
// stock forward kernel and our earlier JS loop for the gradient ran at 5-15 ns an element (ReLU at 0.15): on the
// feature-learner template (leaky ReLU + batch norm, conv [32, 64]) they were a third of a training step. Same
// values to the bit: alpha * dy of two float32s is exact in a double, so rounding it to float32 once (the JS
// twin) equals the float32 multiply of tfjs and of the loops.
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, sizeOf, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor } from './loops';

export const LEAKY_RELU_GRAD = 'LatentLabLeakyReluGrad';

function leakyReluGrad(params: KernelParams): TensorInfo {
  const { dy, x } = params.inputs;
  if (!dy || !x || dy.dtype !== 'float32' || x.dtype !== 'float32') throw new Error(`${LEAKY_RELU_GRAD} needs float32 inputs dy and x`);
  const alpha = Math.fround((params.attrs as { alpha: number }).alpha);
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput(x.shape, 'float32');
  // Views only after the allocation (it may grow and detach the heap).
  const g = wasm.typedArrayFromHeap(dy) as Float32Array;
  const v = wasm.typedArrayFromHeap(x) as Float32Array;
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  const loops = loopsFor(params.backend);
  if (loops) loops.leakyReluGrad(g.byteOffset, v.byteOffset, dx.byteOffset, dx.length, alpha);
  else for (let i = 0; i < dx.length; i++) dx[i] = v[i] > 0 ? g[i] : Math.fround(alpha * g[i]);
  return out;
}

/** The forward pass (x > 0 ? x : alpha x) on float32 through our loop; anything else goes to the stock kernel. */
export function leakyReluConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x } = params.inputs;
    const loops = loopsFor(params.backend);
    if (!x || x.dtype !== 'float32' || !loops) return original.kernelFunc(params);
    const alpha = Math.fround((params.attrs as { alpha: number }).alpha);
    const wasm = asWasm(params.backend);
    const out = wasm.makeOutput([...x.shape], 'float32');
    if (sizeOf(x.shape) === 0) return out;
    const src = wasm.typedArrayFromHeap(x) as Float32Array;
    loops.leakyRelu(src.byteOffset, (wasm.typedArrayFromHeap(out) as Float32Array).byteOffset, src.length, alpha);
    return out;
  };
  return { ...original, kernelFunc };
}

export const leakyReluGradConfig: KernelConfig = { kernelName: LEAKY_RELU_GRAD, backendName: WASM, kernelFunc: leakyReluGrad as tf.KernelFunc };

/** LeakyRelu's gradient: our kernel where it is registered (wasm), tfjs's own formula on every other backend. */
export const leakyReluGradient: tf.GradConfig = {
  kernelName: 'LeakyRelu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { alpha } = attrs as { alpha: number };
    const g = dy as tf.Tensor;
    return {
      x: () =>
        tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend()) !== undefined && g.shape.length === x.shape.length && g.dtype === 'float32' && x.dtype === 'float32'
          ? (tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: g, x }, { alpha }) as tf.Tensor)
          : tf.where(tf.greater(x, 0), g, tf.mul(g, alpha)),
    };
  },
};
