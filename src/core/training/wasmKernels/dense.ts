// A Dense layer's product, bias and activation as one kernel with one registered gradient, on wasm. tfjs-layers'
// Dense calls tf.fused.matMul, which fuses nothing while gradients are recorded (tfjs only fuses a linear
// activation then, through a customGrad with 3-D reshapes): a ReLU layer's training step was BatchMatMul, Add,
// Relu and three clones forward, and Step, Multiply, Reshape, Sum, Reshape and two products backward, each a
// dispatch and most a full-size temporary. Here the forward is our gemm with the bias and ReLU in its
// accumulators (what inference already ran), the backward one ReLU-mask pass, the two products and a column sum.
// The bias now enters the sum first rather than last: the same value up to float rounding.
import * as tf from '@tensorflow/tfjs';
import { gemmMatMul } from './batchMatMul';
import { WASM, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { RELU_GRAD } from './elementwiseGrads';
import { loopsFor } from './loops';

export const DENSE = 'LatentLabDense';

type Activation = 'linear' | 'relu';

function dense(params: KernelParams): TensorInfo {
  const activation = (params.attrs as { activation: Activation }).activation;
  const out = gemmMatMul({ ...params, attrs: { transposeA: false, transposeB: false, activation } });
  if (!out) throw new Error(`${DENSE} needs float32 a [m, k], b [k, n], bias [n] and a reachable wasm memory`);
  return out;
}

export const denseConfig: KernelConfig = { kernelName: DENSE, backendName: WASM, kernelFunc: dense as tf.KernelFunc };

export const denseGradient: tf.GradConfig = {
  kernelName: DENSE,
  inputsToSave: ['a', 'b'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [a, b, y] = saved;
    const g = dy as tf.Tensor;
    // Made once for all three derivatives (each runs in its own tidy; this lives in the gradient's scope).
    // ReLU's mask from the output as tfjs's fused gradient does: y > 0 exactly where the sum was.
    const d = (attrs as { activation: Activation }).activation === 'relu' ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x: y }, {}) as tf.Tensor) : g;
    return {
      a: () => tf.matMul(d, b, false, true),
      b: () => tf.matMul(a, d, true, false),
      bias: () => tf.sum(d, 0),
    };
  },
};

type FusedMatMul = typeof tf.fused.matMul;
type FusedArgs = Parameters<FusedMatMul>[0];

const isTensor = (t: unknown): t is tf.Tensor => t instanceof tf.Tensor;

/** Whether our kernel covers this call: unbatched, untransposed float32, a bias per column or none, relu or linear. */
function covered(args: FusedArgs): args is FusedArgs & { a: tf.Tensor2D; b: tf.Tensor2D; bias?: tf.Tensor1D | null } {
  const { a, b, bias, transposeA, transposeB, preluActivationWeights } = args;
  const activation = args.activation ?? 'linear';
  if (!isTensor(a) || !isTensor(b) || a.rank !== 2 || b.rank !== 2 || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  if (transposeA || transposeB || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return false;
  if (a.shape[1] !== b.shape[0] || a.shape[0] === 0 || a.shape[1] === 0 || b.shape[1] === 0) return false;
  if (bias != null && (!isTensor(bias) || bias.rank !== 1 || bias.dtype !== 'float32' || bias.shape[0] !== b.shape[1])) return false;
  return tf.getKernel(DENSE, tf.getBackend()) !== undefined && loopsFor(tf.backend()) !== null;
}

let stockFusedMatMul: FusedMatMul | null = null;

const denseMatMul = ((args: FusedArgs): tf.Tensor => {
  if (!covered(args)) return (stockFusedMatMul as FusedMatMul)(args);
  const inputs: tf.NamedTensorMap = args.bias ? { a: args.a, b: args.b, bias: args.bias } : { a: args.a, b: args.b };
  return tf.engine().runKernel(DENSE, inputs, { activation: args.activation ?? 'linear' }) as tf.Tensor;
}) as FusedMatMul;

/**
 * Routes tf.fused.matMul (what tfjs-layers' Dense calls, read at call time) through ours; everything we do not
 * cover, and every other backend, goes on to tfjs's. A namespace that cannot be written (an ES-module build)
 * keeps tfjs's: slower, not wrong. Returns whether ours is installed.
 */
export function installDenseMatMul(): boolean {
  const fused = tf.fused as { matMul: FusedMatMul };
  if (fused.matMul === denseMatMul) return true;
  const stock = fused.matMul;
  try {
    fused.matMul = denseMatMul;
  } catch {
    return false;
  }
  if (fused.matMul !== denseMatMul) return false;
  stockFusedMatMul = stock;
  return true;
}

export function uninstallDenseMatMul(): void {
  const fused = tf.fused as { matMul: FusedMatMul };
  if (fused.matMul === denseMatMul && stockFusedMatMul) fused.matMul = stockFusedMatMul;
  stockFusedMatMul = null;
}
