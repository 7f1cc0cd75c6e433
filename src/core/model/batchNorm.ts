// The models' batch-norm layer: tfjs's own BatchNormalization (its class name, config and weights, so model.json,
// the ONNX writer and the loaders see a standard layer, and a loaded model gets tfjs's class back), except that
// in training mode, where our fused kernel is registered for the current backend (wasm), it runs that kernel:
// one forward and one backward pass pair (../training/wasmKernels/batchNorm.ts) instead of tf.moments and
// FusedBatchNorm differentiated op by op. Inference, and training on every other backend, is tfjs's code.
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from '../training/wasmKernels/batchNorm';
import { lazyLayer, stockLayerClass } from './stockLayer';

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

interface LayerVariable {
  read(): tf.Tensor;
  write(value: tf.Tensor): unknown;
}

/** The stock layer's state we read (private in tfjs-layers' typings). */
interface BatchNormState {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

/** tfjs's moving-average update, op for op: v <- v - (v - value) * (1 - momentum). */
function movingAverage(variable: LayerVariable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const decay = 1 - momentum;
    const orig = variable.read();
    variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
  });
}

/** What the kernel covers: the last axis of a float32 rank 2-4 input (the ranks tfjs's layer takes), with gamma and beta. */
function fusable(s: BatchNormState, x: tf.Tensor): boolean {
  if (x.dtype !== 'float32' || x.rank < 2 || x.rank > 4 || x.size === 0) return false;
  if ((s.axis !== -1 && s.axis !== x.rank - 1) || !s.center || !s.scale) return false;
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

const fusedLayer = lazyLayer<BatchNormArgs>(
  () =>
    class FusedTrainingBatchNormalization extends stockLayerClass<BatchNormArgs>('BatchNormalization') {
      override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
        // Anything but one tensor goes to tfjs's call, which says what is wrong.
        const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
        const s = this as unknown as BatchNormState;
        if (!kwargs.training || !x || !fusable(s, x)) return super.call(inputs, kwargs);
        return tf.tidy(() => {
          const operands = { x, gamma: s.gamma.read(), beta: s.beta.read() };
          const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, operands, { epsilon: s.epsilon }) as tf.Tensor[];
          movingAverage(s.movingMean, mean, s.momentum);
          movingAverage(s.movingVariance, variance, s.momentum);
          return y;
        });
      }
    },
);

/** Drop-in for tf.layers.batchNormalization. */
export function batchNormalization(args: BatchNormArgs = {}): tf.layers.Layer {
  return fusedLayer(args);
}
