// LeakyRelu's gradient in one pass for wasm. tfjs differentiates it as where(x > 0, dy, dy * alpha): three
// kernels and two full-size temporaries per layer and step (Greater, Multiply, Select), ~15% of a conv step of
// the feature-learner template (leaky ReLU + batch norm). Same values to the bit: alpha * dy of two float32s is
// exact in a double, so rounding it to float32 once equals tfjs's float32 multiply.
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, type KernelConfig, type KernelParams, type TensorInfo } from './common';

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
  for (let i = 0; i < dx.length; i++) dx[i] = v[i] > 0 ? g[i] : alpha * g[i];
  return out;
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
