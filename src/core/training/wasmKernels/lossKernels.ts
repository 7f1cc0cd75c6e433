// The reconstruction losses on wasm, each one kernel with one registered gradient (lossLoops.ts has the loops
// and why). The gradients equal tfjs's op-by-op chains to the bit (the same float32 operations in the same
// order); the values differ from tfjs's only by rounding: the sums are float64, and the cross-entropy's log is
// Cephes' (within 1.2e-7 of Math.log).
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, sameShape, sizeOf, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { binaryCrossEntropyGradTwin, binaryCrossEntropyTwin, meanSquaredErrorTwin, scaledTwiceDiffTwin } from './lossLoops';
import { loopsFor } from './loops';

export const MEAN_SQUARED_ERROR = 'LatentLabMeanSquaredError';
export const MEAN_SQUARED_ERROR_GRAD = 'LatentLabMeanSquaredErrorGrad';
export const BINARY_CROSS_ENTROPY = 'LatentLabBinaryCrossEntropy';
export const BINARY_CROSS_ENTROPY_GRAD = 'LatentLabBinaryCrossEntropyGrad';

function checkOperands(kernel: string, ts: Array<TensorInfo | undefined>): TensorInfo[] {
  const first = ts[0];
  if (!first || ts.some((t) => !t || t.dtype !== 'float32' || !sameShape(t.shape, first.shape)) || sizeOf(first.shape) === 0) {
    throw new Error(`${kernel} needs non-empty float32 operands of one shape`);
  }
  return ts as TensorInfo[];
}

/** mean((a - b)^2) over every element: a scalar. */
function meanSquaredErrorKernel(params: KernelParams): TensorInfo {
  const [a, b] = checkOperands(MEAN_SQUARED_ERROR, [params.inputs.a, params.inputs.b]);
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput([], 'float32');
  const [pa, pb, dst] = [wasm.typedArrayFromHeap(a), wasm.typedArrayFromHeap(b), wasm.typedArrayFromHeap(out)] as Float32Array[];
  const loops = loopsFor(params.backend);
  if (loops) loops.meanSquaredError(pa.byteOffset, pb.byteOffset, dst.byteOffset, pa.length);
  else dst[0] = meanSquaredErrorTwin(pa, pb);
  return out;
}

/** dy / n * (2 * (p - q)): the loss's gradient for its operand p (q the other one), dy the scalar upstream. */
function meanSquaredErrorGradKernel(params: KernelParams): TensorInfo {
  const [p, q] = checkOperands(MEAN_SQUARED_ERROR_GRAD, [params.inputs.p, params.inputs.q]);
  const dy = params.inputs.dy;
  if (!dy || dy.dtype !== 'float32' || sizeOf(dy.shape) !== 1) throw new Error(`${MEAN_SQUARED_ERROR_GRAD} needs a float32 scalar dy`);
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput([...p.shape], 'float32');
  const [pp, pq, dst] = [wasm.typedArrayFromHeap(p), wasm.typedArrayFromHeap(q), wasm.typedArrayFromHeap(out)] as Float32Array[];
  // Mean's gradient divides dy by n in float32; the double quotient rounded once is that same float.
  const g = Math.fround((wasm.typedArrayFromHeap(dy) as Float32Array)[0] / pp.length);
  const loops = loopsFor(params.backend);
  if (loops) loops.scaledTwiceDiff(pp.byteOffset, pq.byteOffset, dst.byteOffset, pp.length, g);
  else scaledTwiceDiffTwin(pp, pq, dst, g);
  return out;
}

/** The clamp of a binary cross-entropy: [epsilon, 1 - epsilon] as the float32 bounds tfjs's clipByValue uses. */
function bounds(attrs: tf.NamedAttrMap | undefined): [number, number] {
  const epsilon = (attrs as { epsilon?: unknown } | undefined)?.epsilon;
  if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon < 0.5)) throw new Error(`binary cross-entropy needs an epsilon in (0, 0.5), got ${String(epsilon)}`);
  return [Math.fround(epsilon), Math.fround(1 - epsilon)];
}

/** -mean(t log p + (1 - t) log(1 - p)), p = y clamped to [epsilon, 1 - epsilon] (Keras's formula): a scalar. */
function binaryCrossEntropyKernel(params: KernelParams): TensorInfo {
  const [t, y] = checkOperands(BINARY_CROSS_ENTROPY, [params.inputs.t, params.inputs.y]);
  const [lo, hi] = bounds(params.attrs);
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput([], 'float32');
  const [pt, py, dst] = [wasm.typedArrayFromHeap(t), wasm.typedArrayFromHeap(y), wasm.typedArrayFromHeap(out)] as Float32Array[];
  const loops = loopsFor(params.backend);
  if (loops) loops.binaryCrossEntropy(pt.byteOffset, py.byteOffset, dst.byteOffset, pt.length, lo, hi);
  else dst[0] = binaryCrossEntropyTwin(pt, py, lo, hi);
  return out;
}

/** The loss's gradient for y (dy the scalar upstream); zero where the clamp held y. */
function binaryCrossEntropyGradKernel(params: KernelParams): TensorInfo {
  const [t, y] = checkOperands(BINARY_CROSS_ENTROPY_GRAD, [params.inputs.t, params.inputs.y]);
  const dy = params.inputs.dy;
  if (!dy || dy.dtype !== 'float32' || sizeOf(dy.shape) !== 1) throw new Error(`${BINARY_CROSS_ENTROPY_GRAD} needs a float32 scalar dy`);
  const [lo, hi] = bounds(params.attrs);
  const wasm = asWasm(params.backend);
  const out = wasm.makeOutput([...y.shape], 'float32');
  const [pt, py, dst] = [wasm.typedArrayFromHeap(t), wasm.typedArrayFromHeap(y), wasm.typedArrayFromHeap(out)] as Float32Array[];
  // Neg's then Mean's gradient: -dy, divided by n in float32 (the double quotient rounded once).
  const g = Math.fround(-(wasm.typedArrayFromHeap(dy) as Float32Array)[0] / pt.length);
  const loops = loopsFor(params.backend);
  if (loops) loops.binaryCrossEntropyGrad(pt.byteOffset, py.byteOffset, dst.byteOffset, pt.length, g, lo, hi);
  else binaryCrossEntropyGradTwin(pt, py, dst, g, lo, hi);
  return out;
}

export const LOSS_KERNELS: readonly KernelConfig[] = [
  { kernelName: MEAN_SQUARED_ERROR, backendName: WASM, kernelFunc: meanSquaredErrorKernel as tf.KernelFunc },
  { kernelName: MEAN_SQUARED_ERROR_GRAD, backendName: WASM, kernelFunc: meanSquaredErrorGradKernel as tf.KernelFunc },
  { kernelName: BINARY_CROSS_ENTROPY, backendName: WASM, kernelFunc: binaryCrossEntropyKernel as tf.KernelFunc },
  { kernelName: BINARY_CROSS_ENTROPY_GRAD, backendName: WASM, kernelFunc: binaryCrossEntropyGradKernel as tf.KernelFunc },
];

/** tfjs's formula, for a backend without our gradient kernel. */
function gradientFor(dy: tf.Tensor, p: tf.Tensor, q: tf.Tensor): tf.Tensor {
  if (tf.getKernel(MEAN_SQUARED_ERROR_GRAD, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(MEAN_SQUARED_ERROR_GRAD, { dy, p, q }, {}) as tf.Tensor;
  }
  return tf.mul(tf.div(dy, p.size), tf.mul(tf.scalar(2), tf.sub(p, q)));
}

export const meanSquaredErrorGradient: tf.GradConfig = {
  kernelName: MEAN_SQUARED_ERROR,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return { a: () => gradientFor(g, a, b), b: () => gradientFor(g, b, a) };
  },
};

/** The reconstruction's gradient in one pass; the target's (which training never asks for) by tfjs's ops. */
export const binaryCrossEntropyGradient: tf.GradConfig = {
  kernelName: BINARY_CROSS_ENTROPY,
  inputsToSave: ['t', 'y'],
  gradFunc: (dy, saved, attrs) => {
    const [t, y] = saved;
    const [lo, hi] = bounds(attrs);
    return {
      y: () => tf.engine().runKernel(BINARY_CROSS_ENTROPY_GRAD, { dy: dy as tf.Tensor, t, y }, attrs) as tf.Tensor,
      t: () => {
        const p = tf.clipByValue(y, lo, hi);
        return tf.mul(tf.div(tf.neg(dy as tf.Tensor), t.size), tf.sub(tf.log(p), tf.log(tf.sub(1, p))));
      },
    };
  },
};

/**
 * mean((a - b)^2) through our kernel where the current backend has it and the operands are float32 of one
 * non-empty shape; null otherwise (the caller then uses tfjs's ops).
 */
export function fusedMeanSquaredError(a: tf.Tensor, b: tf.Tensor): tf.Scalar | null {
  if (tf.getKernel(MEAN_SQUARED_ERROR, tf.getBackend()) === undefined) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !sameShape(a.shape, b.shape) || a.size === 0) return null;
  return tf.engine().runKernel(MEAN_SQUARED_ERROR, { a, b }, {}) as tf.Scalar;
}

/**
 * Keras's binary cross-entropy of reconstructions y against targets t through our kernel (one pass each way)
 * where the current backend has it and both are float32 of one non-empty shape; null otherwise.
 */
export function fusedBinaryCrossEntropy(t: tf.Tensor, y: tf.Tensor, epsilon: number): tf.Scalar | null {
  if (tf.getKernel(BINARY_CROSS_ENTROPY, tf.getBackend()) === undefined) return null;
  if (t.dtype !== 'float32' || y.dtype !== 'float32' || !sameShape(t.shape, y.shape) || t.size === 0) return null;
  return tf.engine().runKernel(BINARY_CROSS_ENTROPY, { t, y }, { epsilon }) as tf.Scalar;
}
