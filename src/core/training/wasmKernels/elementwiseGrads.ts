// Gradients of the dense step's elementwise ops in one pass each on wasm. tfjs differentiates them as chains of
// elementwise kernels, each a full-size temporary plus an engine dispatch: Relu as dy * cast(step(x)) (3
// kernels), Sigmoid as dy * (y * (1 - y)) (3), SquaredDifference as dy * (2 * (b - a)) (3), and Mean by
// building a ones tensor of the input's shape in JS, writing it into the heap, then a Multiply and a RealDiv.
// On the reference dense AE these were ~30 of a step's ~130 kernels. Ours apply the same float32 operations in
// the same order (SIMD lanes round like scalar float32), so the values equal tfjs's to the bit; on backends
// without our kernels the gradients are tfjs's own formulas.
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, sameShape, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor, type Loops } from './loops';

export const RELU_GRAD = 'LatentLabReluGrad';
export const SIGMOID_GRAD = 'LatentLabSigmoidGrad';
export const SQUARED_DIFFERENCE_GRAD = 'LatentLabSquaredDifferenceGrad';

/**
 * A kernel that writes one float32 output shaped like its inputs (all the same shape) with a loop of loops.ts,
 * or with `twin` (plain JS, the same float32 operations through Math.fround) when the heap is not reachable.
 */
function elementwiseKernel(
  kernelName: string,
  inputNames: readonly string[],
  run: (loops: Loops, addrs: number[], out: number, n: number) => void,
  twin: (ins: Float32Array[], out: Float32Array) => void,
): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo => {
    const ins = inputNames.map((name) => params.inputs[name]);
    const first = ins[0];
    if (!first || ins.some((t) => !t || t.dtype !== 'float32' || !sameShape(t.shape, first.shape))) {
      throw new Error(`${kernelName} needs float32 inputs ${inputNames.join(', ')} of one shape`);
    }
    const wasm = asWasm(params.backend);
    const out = wasm.makeOutput([...first.shape], 'float32');
    // Views only after the allocation (it may grow and detach the heap).
    const views = ins.map((t) => wasm.typedArrayFromHeap(t as TensorInfo) as Float32Array);
    const dst = wasm.typedArrayFromHeap(out) as Float32Array;
    const loops = loopsFor(params.backend);
    if (loops) run(loops, views.map((v) => v.byteOffset), dst.byteOffset, dst.length);
    else twin(views, dst);
    return out;
  };
  return { kernelName, backendName: WASM, kernelFunc: kernelFunc as tf.KernelFunc };
}

const f = Math.fround;

export const reluGradConfig = elementwiseKernel(RELU_GRAD, ['dy', 'x'], (l, [dy, x], out, n) => l.reluGrad(dy, x, out, n), ([dy, x], out) => {
  for (let i = 0; i < out.length; i++) out[i] = dy[i] * (Number.isNaN(x[i]) ? Number.NaN : x[i] > 0 ? 1 : 0);
});

export const sigmoidGradConfig = elementwiseKernel(SIGMOID_GRAD, ['dy', 'y'], (l, [dy, y], out, n) => l.sigmoidGrad(dy, y, out, n), ([dy, y], out) => {
  for (let i = 0; i < out.length; i++) out[i] = dy[i] * f(y[i] * f(1 - y[i]));
});

export const squaredDifferenceGradConfig = elementwiseKernel(
  SQUARED_DIFFERENCE_GRAD,
  ['dy', 'p', 'q'],
  (l, [dy, p, q], out, n) => l.twiceDiffTimes(dy, p, q, out, n),
  ([dy, p, q], out) => {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] * f(2 * f(p[i] - q[i]));
  },
);

export const ELEMENTWISE_GRAD_KERNELS: readonly KernelConfig[] = [reluGradConfig, sigmoidGradConfig, squaredDifferenceGradConfig];

/** Our kernel when the current backend has it and every operand is float32 of one shape. */
function ours(kernel: string, inputs: Record<string, tf.Tensor>): tf.Tensor | null {
  const ts = Object.values(inputs);
  if (tf.getKernel(kernel, tf.getBackend()) === undefined) return null;
  if (ts.some((t) => t.dtype !== 'float32' || !sameShape(t.shape, ts[0].shape))) return null;
  return tf.engine().runKernel(kernel, inputs as unknown as tf.NamedTensorMap, {}) as tf.Tensor;
}

const reluGradient: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    return { x: () => ours(RELU_GRAD, { dy: g, x }) ?? tf.mul(g, tf.cast(tf.step(x), 'float32')) };
  },
};

const sigmoidGradient: tf.GradConfig = {
  kernelName: 'Sigmoid',
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    const g = dy as tf.Tensor;
    return { x: () => ours(SIGMOID_GRAD, { dy: g, y }) ?? tf.mul(g, tf.mul(y, tf.sub(tf.scalar(1), y))) };
  },
};

const squaredDifferenceGradient: tf.GradConfig = {
  kernelName: 'SquaredDifference',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return {
      a: () => ours(SQUARED_DIFFERENCE_GRAD, { dy: g, p: a, q: b }) ?? tf.mul(g, tf.mul(tf.scalar(2), tf.sub(a, b))),
      b: () => ours(SQUARED_DIFFERENCE_GRAD, { dy: g, p: b, q: a }) ?? tf.mul(g, tf.mul(tf.scalar(2), tf.sub(b, a))),
    };
  },
};

/**
 * Mean: dy / n spread over the input's shape. tfjs computes (dy * ones(shape)) / n elementwise; dy * 1 is dy
 * exactly, so dividing first and tiling gives the same bits without the JS-built ones tensor (any backend).
 */
const meanGradient: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
    const reduceSize = axes.reduce((n, a) => n * x.shape[a], 1);
    const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return { x: () => tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, expanded), reduceSize), x.shape) };
  },
};

/** Gradients that run our kernels where they are registered (wasm) and tfjs's formulas elsewhere. */
export const ELEMENTWISE_GRADIENTS: readonly tf.GradConfig[] = [reluGradient, sigmoidGradient, squaredDifferenceGradient, meanGradient];
