// A conv layer's product, bias and activation as one kernel with one registered gradient, on wasm, as dense.ts
// does for Dense. While gradients are recorded tfjs unfuses a ReLU conv layer into Conv2D, Add and Relu forward
// and ReLU's mask then a bias Sum backward, and tfjs-layers' Conv2DTranspose always runs its product, a bias
// Add and the activation apply as separate kernels: each a full-size pass and temporary. Here:
// - LatentLabConv2D (tf.fused.conv2d, what the Conv2D layer calls): our forward with the bias and ReLU in the
//   product (its values then differ from the unfused ones by float rounding: the bias enters the sum first);
// - LatentLabConv2DTranspose (model/conv2dTranspose.ts's layer): our Conv2DBackpropInput product, then the bias
//   and ReLU in place on each run of its output while in cache (linear: the bias; sigmoid: the bias, then the
//   backend's Sigmoid), the same bits as the unfused path;
// - their gradients: the activation's derivative and the bias gradient in one pass (convBiasLoops.ts), then the
//   two products through the registered kernels, with the attributes tfjs's own gradients pass them.
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, disposeInfos, guarded, runKernel, sizeOf, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { conv2dBackpropInput } from './conv2dBackpropFilter';
import { directForward } from './convDirect';
import { convForwardIm2row, geometry, IM2COL_LIMIT } from './im2col';
import { loopsFor, type Loops } from './loops';

export const CONV2D = 'LatentLabConv2D';
export const CONV2D_TRANSPOSE = 'LatentLabConv2DTranspose';
export const BIAS_ACTIVATION_GRAD = 'LatentLabBiasActivationGrad';

export type ConvActivation = 'linear' | 'relu';
export type TransposeActivation = ConvActivation | 'sigmoid';

const reachableLoops = (backend: object, kernel: string): Loops => {
  const loops = loopsFor(backend);
  if (!loops) throw new Error(`${kernel} needs a reachable wasm memory`);
  return loops;
};

/** out = activation(conv(x, filter) + bias), NHWC, through our direct or im2row forward. */
function conv(params: KernelParams): TensorInfo {
  const { x, filter } = params.inputs as { x: TensorInfo; filter: TensorInfo };
  const attrs = params.attrs ?? {};
  reachableLoops(params.backend, CONV2D);
  const g = geometry(CONV2D, x.shape, filter.shape, attrs);
  const relu = attrs.activation === 'relu';
  const out = directForward(params, g, relu) ?? convForwardIm2row(params, g, relu);
  if (!out) throw new Error(`${CONV2D} needs a reachable wasm memory`);
  return out;
}

/** out = activation(conv2dTranspose(x, filter) + bias): the bias and ReLU applied to the product run by run (im2col.ts BiasEpilogue). */
function convTranspose(params: KernelParams): TensorInfo {
  const { x, filter, bias } = params.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo };
  const attrs = params.attrs ?? {};
  const backend = params.backend;
  reachableLoops(backend, CONV2D_TRANSPOSE);
  const activation = attrs.activation as TransposeActivation;
  const { strides, pad, dimRoundingMode } = attrs;
  const epilogue = bias ? { bias, relu: activation === 'relu' } : undefined;
  const out = conv2dBackpropInput({ inputs: { dy: x, filter }, backend, attrs: { strides, pad, dimRoundingMode, dataFormat: 'NHWC', inputShape: attrs.outputShape } }, IM2COL_LIMIT, epilogue);
  const after = activation === 'sigmoid' ? 'Sigmoid' : activation === 'relu' && !bias ? 'Relu' : null;
  if (!after) return out;
  try {
    return runKernel(after, { x: out }, backend, {});
  } finally {
    disposeInfos(backend, [out]);
  }
}

/** [d, dbias]: d = dy times the activation's derivative at its output y, dbias its sum per channel. */
function biasActivationGrad(params: KernelParams): TensorInfo[] {
  const { dy, y } = params.inputs as { dy: TensorInfo; y: TensorInfo };
  const activation = (params.attrs ?? {}).activation;
  if (dy.dtype !== 'float32' || y.dtype !== 'float32' || dy.shape.join() !== y.shape.join() || dy.shape.length < 2 || (activation !== 'relu' && activation !== 'sigmoid')) {
    throw new Error(`${BIAS_ACTIVATION_GRAD} needs float32 dy and y of one shape (rank >= 2) and activation relu or sigmoid`);
  }
  const loops = reachableLoops(params.backend, BIAS_ACTIVATION_GRAD);
  const wasm = asWasm(params.backend);
  const c = dy.shape[dy.shape.length - 1];
  const d = wasm.makeOutput([...dy.shape], 'float32');
  const dbias = wasm.makeOutput([c], 'float32');
  guarded(params.backend, dbias, () =>
    guarded(params.backend, d, () => {
      const addr = (t: TensorInfo): number => wasm.typedArrayFromHeap(t).byteOffset;
      const run = activation === 'relu' ? loops.reluBiasGrad : loops.sigmoidBiasGrad;
      run(addr(dy), addr(y), addr(dbias), addr(d), sizeOf(dy.shape) / c, c);
    }),
  );
  return [d, dbias];
}

export const CONV_FUSED_KERNELS: readonly KernelConfig[] = [
  { kernelName: CONV2D, backendName: WASM, kernelFunc: conv as tf.KernelFunc },
  { kernelName: CONV2D_TRANSPOSE, backendName: WASM, kernelFunc: convTranspose as tf.KernelFunc },
  { kernelName: BIAS_ACTIVATION_GRAD, backendName: WASM, kernelFunc: biasActivationGrad as tf.KernelFunc },
];

const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor => tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;

/**
 * d (dy through the activation) and the bias gradient. Made once in the gradient's scope for the closures that
 * use them (each runs in its own tidy); an unused bias gradient goes with that scope.
 */
function throughActivation(dy: tf.Tensor, y: tf.Tensor, activation: TransposeActivation): { d: tf.Tensor; dbias: () => tf.Tensor } {
  if (activation === 'linear') return { d: dy, dbias: () => tf.sum(dy, [0, 1, 2]) };
  const [d, dbias] = tf.engine().runKernel(BIAS_ACTIVATION_GRAD, { dy, y }, { activation }) as tf.Tensor[];
  return { d, dbias: () => dbias };
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: tf.NamedAttrMap[string];
  dimRoundingMode?: string;
  activation: TransposeActivation;
}

export const convGradient: tf.GradConfig = {
  kernelName: CONV2D,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved;
    const { strides, pad, dimRoundingMode, activation } = attrs as unknown as ConvAttrs;
    const { d, dbias } = throughActivation(dy as tf.Tensor, y, activation);
    const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode } as tf.NamedAttrMap;
    return {
      x: () => run('Conv2DBackpropInput', { dy: d, filter }, { ...common, inputShape: x.shape }),
      filter: () => run('Conv2DBackpropFilter', { x, dy: d }, { ...common, filterShape: filter.shape }),
      bias: dbias,
    };
  },
};

/** As tfjs differentiates Conv2DBackpropInput (the transposed product), with d in place of its output's dy. */
export const convTransposeGradient: tf.GradConfig = {
  kernelName: CONV2D_TRANSPOSE,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved;
    const { strides, pad, dimRoundingMode, activation } = attrs as unknown as ConvAttrs;
    const { d, dbias } = throughActivation(dy as tf.Tensor, y, activation);
    const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode } as tf.NamedAttrMap;
    return {
      x: () => run('Conv2D', { x: d, filter }, { ...common, dilations: 1 }),
      filter: () => run('Conv2DBackpropFilter', { x: d, dy: x }, { ...common, filterShape: filter.shape }),
      bias: dbias,
    };
  },
};

type FusedConv2d = typeof tf.fused.conv2d;
type FusedArgs = Parameters<FusedConv2d>[0];

const isTensor = (t: unknown): t is tf.Tensor => t instanceof tf.Tensor;
const ones = (v: unknown): boolean => v === undefined || v === 1 || (Array.isArray(v) && v.every((d) => d === 1));

/** Whether our kernel covers this call: NHWC float32 rank 4, no dilation, a bias per channel or none, relu or linear. */
function covered(args: FusedArgs): args is FusedArgs & { x: tf.Tensor4D; filter: tf.Tensor4D; bias?: tf.Tensor1D | null } {
  const { x, filter, bias, dataFormat, dilations, preluActivationWeights } = args;
  const activation = args.activation ?? 'linear';
  if (!isTensor(x) || !isTensor(filter) || x.rank !== 4 || filter.rank !== 4 || x.dtype !== 'float32' || filter.dtype !== 'float32') return false;
  if ((dataFormat ?? 'NHWC') !== 'NHWC' || !ones(dilations) || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return false;
  if (x.shape[3] !== filter.shape[2] || x.size === 0 || filter.size === 0) return false;
  if (bias != null && (!isTensor(bias) || bias.rank !== 1 || bias.dtype !== 'float32' || bias.shape[0] !== filter.shape[3])) return false;
  return tf.getKernel(CONV2D, tf.getBackend()) !== undefined && loopsFor(tf.backend()) !== null;
}

let stockFusedConv2d: FusedConv2d | null = null;

const fusedConv2d = ((args: FusedArgs): tf.Tensor => {
  if (!covered(args)) return (stockFusedConv2d as FusedConv2d)(args);
  const inputs: tf.NamedTensorMap = args.bias ? { x: args.x, filter: args.filter, bias: args.bias } : { x: args.x, filter: args.filter };
  const { strides, pad, dimRoundingMode } = args;
  return run(CONV2D, inputs, { strides, pad, dimRoundingMode, activation: args.activation ?? 'linear' } as tf.NamedAttrMap);
}) as FusedConv2d;

/**
 * Routes tf.fused.conv2d (what tfjs-layers' Conv2D calls, read at call time) through ours; what we do not cover,
 * and every other backend, goes on to tfjs's. A namespace that cannot be written keeps tfjs's: slower, not
 * wrong. Returns whether ours is installed.
 */
export function installFusedConv2d(): boolean {
  const fused = tf.fused as { conv2d: FusedConv2d };
  if (fused.conv2d === fusedConv2d) return true;
  const stock = fused.conv2d;
  try {
    fused.conv2d = fusedConv2d;
  } catch {
    return false;
  }
  if (fused.conv2d !== fusedConv2d) return false;
  stockFusedConv2d = stock;
  return true;
}

export function uninstallFusedConv2d(): void {
  const fused = tf.fused as { conv2d: FusedConv2d };
  if (fused.conv2d === fusedConv2d && stockFusedConv2d) fused.conv2d = stockFusedConv2d;
  stockFusedConv2d = null;
}

/** Whether LatentLabConv2DTranspose can run on the current backend (wasm with our loops). */
export const convTransposeReady = (): boolean => tf.getKernel(CONV2D_TRANSPOSE, tf.getBackend()) !== undefined && loopsFor(tf.backend()) !== null;
