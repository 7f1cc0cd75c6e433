// Kernel patches for the wasm backend, registered right after it initialises (see ../backend.ts). Each patch
// delegates to stock wasm kernels. The registry is per process; nothing else here is mutable state.
import * as tf from '@tensorflow/tfjs';
import { adamUpdateConfig } from './adam';
import { fastMatMul } from './batchMatMul';
import { batchNormTrainConfig, batchNormTrainGradConfig, batchNormTrainGradient } from './batchNorm';
import { biasAddConfig } from './biasAdd';
import { WASM, type KernelConfig } from './common';
import { conv2dBackpropFilterConfig, conv2dBackpropInputConfig, conv2dForwardConfig } from './conv2dBackpropFilter';
import { CONV_FUSED_KERNELS, convGradient, convTransposeGradient, installFusedConv2d, uninstallFusedConv2d } from './convFused';
import { denseConfig, denseGradient, installDenseMatMul, uninstallDenseMatMul } from './dense';
import { ELEMENTWISE_GRADIENTS, ELEMENTWISE_GRAD_KERNELS } from './elementwiseGrads';
import { leakyReluConfig, leakyReluGradConfig, leakyReluGradient } from './leakyRelu';
import { LOSS_KERNELS, binaryCrossEntropyGradient, meanSquaredErrorGradient } from './lossKernels';
import { RANDOM_KERNELS, dropoutGradient } from './random';
import { OPTIMIZER_KERNELS } from './optimizerKernels';
import { gatherConfig, identityConfig, meanConfig, sliceConfig, sumConfig, tileConfig } from './copyKernels';

export { ADAM_UPDATE } from './adam';
export { LEAKY_RELU_GRAD } from './leakyRelu';
export { DENSE } from './dense';
export { DROPOUT, RANDOM_NORMAL, RANDOM_UNIFORM } from './random';
export { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, MEAN_SQUARED_ERROR, MEAN_SQUARED_ERROR_GRAD } from './lossKernels';
export { BIAS_ACTIVATION_GRAD, CONV2D, CONV2D_TRANSPOSE } from './convFused';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './batchNorm';
export { RELU_GRAD, SIGMOID_GRAD, SQUARED_DIFFERENCE_GRAD } from './elementwiseGrads';

/** Stock kernels we replaced (null: there was none), so the bench can measure with and without patches. */
const stock = new Map<string, KernelConfig | null>();

const registered = (name: string): KernelConfig | undefined => tf.getKernel(name, WASM) as KernelConfig | undefined;

function install(name: string, make: (original: KernelConfig | undefined) => KernelConfig): void {
  if (stock.has(name)) return;
  const original = registered(name);
  if (original) tf.unregisterKernel(name, WASM);
  tf.registerKernel(make(original));
  stock.set(name, original ?? null);
}

function wrap(wrapper: (k: KernelConfig) => KernelConfig): (original: KernelConfig | undefined) => KernelConfig {
  return (original) => {
    if (!original) throw new Error('a stock wasm kernel is missing; is @tensorflow/tfjs-backend-wasm 4.22 loaded?');
    return wrapper(original);
  };
}

/** The patches, by kernel name. */
const PATCHES: Record<string, (original: KernelConfig | undefined) => KernelConfig> = {
  BatchMatMul: wrap((k) => fastMatMul(k)),
  _FusedMatMul: wrap((k) => fastMatMul(k)),
  Conv2D: wrap(conv2dForwardConfig),
  FusedConv2D: wrap(conv2dForwardConfig),
  Conv2DBackpropFilter: () => conv2dBackpropFilterConfig,
  Conv2DBackpropInput: () => conv2dBackpropInputConfig,
  Add: wrap(biasAddConfig),
  Slice: wrap(sliceConfig),
  GatherV2: wrap(gatherConfig),
  Identity: wrap(identityConfig),
  Sum: wrap(sumConfig),
  Tile: wrap(tileConfig),
  Mean: wrap(meanConfig),
  LeakyRelu: wrap(leakyReluConfig),
  [adamUpdateConfig.kernelName]: () => adamUpdateConfig,
  [leakyReluGradConfig.kernelName]: () => leakyReluGradConfig,
  ...Object.fromEntries([...ELEMENTWISE_GRAD_KERNELS, ...LOSS_KERNELS, ...CONV_FUSED_KERNELS, ...RANDOM_KERNELS, ...OPTIMIZER_KERNELS, denseConfig, batchNormTrainConfig, batchNormTrainGradConfig].map((k) => [k.kernelName, () => k])),
};

export const PATCHED_KERNELS = Object.keys(PATCHES);

/** Gradients ours replace, by kernel name, with tfjs's own (null: there was none), while ours are registered. */
const stockGradients = new Map<string, tf.GradConfig | null>();

/** Ours fall back to tfjs's formulas off wasm, so they are registered per process, not per backend. */
const GRADIENTS: readonly tf.GradConfig[] = [
  leakyReluGradient,
  ...ELEMENTWISE_GRADIENTS,
  denseGradient,
  convGradient,
  convTransposeGradient,
  batchNormTrainGradient,
  meanSquaredErrorGradient,
  binaryCrossEntropyGradient,
  dropoutGradient,
];

/** Idempotent. Call after tf.setBackend('wasm') resolved. */
export function registerWasmKernels(): void {
  for (const [name, make] of Object.entries(PATCHES)) install(name, make);
  for (const g of GRADIENTS) {
    if (stockGradients.has(g.kernelName)) continue;
    stockGradients.set(g.kernelName, tf.getGradient(g.kernelName) ?? null);
    tf.registerGradient(g);
  }
  installDenseMatMul();
  installFusedConv2d();
}

/** Puts the stock kernels back (for benchmarks that compare); registerWasmKernels re-applies the patches. */
export function restoreStockWasmKernels(): void {
  for (const [name, original] of stock) {
    tf.unregisterKernel(name, WASM);
    if (original) tf.registerKernel(original);
  }
  stock.clear();
  for (const original of stockGradients.values()) if (original) tf.registerGradient(original);
  stockGradients.clear();
  uninstallDenseMatMul();
  uninstallFusedConv2d();
}
