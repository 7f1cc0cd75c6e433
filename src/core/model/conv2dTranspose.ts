// The models' Conv2DTranspose layer: tfjs's own (its class name, config and weights, so model.json, the ONNX
// writer and the loaders see a standard layer, and a loaded model gets tfjs's class back), except that where our
// fused kernel runs (wasm) its call is that kernel: the product, bias and activation in one kernel with one
// gradient (../training/wasmKernels/convFused.ts) instead of three kernels differentiated one by one. The same
// values either way; other backends, and what the kernel does not cover, run tfjs's call.
import * as tf from '@tensorflow/tfjs';
import { CONV2D_TRANSPOSE, convTransposeReady, type TransposeActivation } from '../training/wasmKernels/convFused';
import { lazyLayer, stockLayerClass } from './stockLayer';

type ConvArgs = Parameters<typeof tf.layers.conv2dTranspose>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** The stock layer's state we read (private in tfjs-layers' typings). */
interface ConvTransposeState {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
  strides: number[];
  padding: string;
  dataFormat: string;
}

const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid'] satisfies TransposeActivation[];

/** The activation our kernel applies for this layer, or null when it does not cover it. */
function fusable(s: ConvTransposeState, x: tf.Tensor): TransposeActivation | null {
  const activation = s.activation?.getClassName() ?? 'linear';
  if (x.dtype !== 'float32' || x.rank !== 4 || x.size === 0 || s.dataFormat !== 'channelsLast' || !ACTIVATIONS.includes(activation)) return null;
  if ((s.padding !== 'same' && s.padding !== 'valid') || !convTransposeReady()) return null;
  return activation as TransposeActivation;
}

/** Drop-in for tf.layers.conv2dTranspose. */
export const conv2dTranspose = lazyLayer<ConvArgs>(
  () =>
    class FusedConv2DTranspose extends stockLayerClass<ConvArgs>('Conv2DTranspose') {
      override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
        // Anything but one tensor goes to tfjs's call, which says what is wrong.
        const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
        const s = this as unknown as ConvTransposeState;
        const activation = x ? fusable(s, x) : null;
        if (!x || !activation) return super.call(inputs, kwargs);
        return tf.tidy(() => {
          // The layer's own output shape ([n, h, w, filters] channels-last), as its call computes it.
          const outputShape = this.computeOutputShape(x.shape) as number[];
          const operands: tf.NamedTensorMap = { x, filter: s.kernel.read() };
          if (s.bias) operands.bias = s.bias.read();
          return tf.engine().runKernel(CONV2D_TRANSPOSE, operands, { strides: s.strides, pad: s.padding, outputShape, activation }) as tf.Tensor;
        });
      }
    },
);
