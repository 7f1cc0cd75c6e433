// The models' Dropout layer: tfjs's own (its class name, config and weights, so model.json and the loaders see
// a standard layer), except that in training it draws its mask from our seeded stream
// (../training/wasmKernels/random.ts: one SIMD kernel each way on wasm, the same numbers on every backend)
// instead of tfjs's per-element JS generator, which cost as much as a conv layer's whole training step.
import * as tf from '@tensorflow/tfjs';
import { seededDropout } from '../training/wasmKernels/random';
import { lazyLayer, stockLayerClass } from './stockLayer';

type DropoutArgs = Parameters<typeof tf.layers.dropout>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** The stock layer's state we read (private in tfjs-layers' typings); seed is set per pass (BlockRegistry). */
interface DropoutState {
  rate: number;
  noiseShape?: unknown;
  seed?: number;
}

/** Drop-in for tf.layers.dropout. */
export const dropout = lazyLayer<DropoutArgs>(
  () =>
    class SeededDropout extends stockLayerClass<DropoutArgs>('Dropout') {
      override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
        const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
        const s = this as unknown as DropoutState;
        // Inference, a noise shape, an unseeded layer or anything but one tensor: tfjs's call.
        if (!kwargs.training || !x || s.noiseShape != null || s.seed === undefined || !(s.rate > 0 && s.rate < 1)) return super.call(inputs, kwargs);
        return seededDropout(x, s.rate, s.seed);
      }
    },
);
