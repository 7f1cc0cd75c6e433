// Conv2D gradient kernels for wasm. Conv2DBackpropFilter is not registered by tfjs-backend-wasm 4.22, so no
// conv layer could train on wasm at all; Conv2DBackpropInput (also Conv2DTranspose's forward pass) is, but as
// a slow scalar loop. Both are computed here as im2col/col2im around an XNNPACK matmul (im2col.ts).
// Convolutions of at most DIRECT_MAX_IN_C input channels (a first layer, or the input gradient that produces
// it) take the direct loops of convDirect.ts instead: with K = 9 taps the im2col product runs at a third of its
// speed.
// Why not Conv3DBackpropFilterV2 with a depth of 1: the stock wasm kernel returns wrong filter gradients for
// strides > 1 (checked against cpu; the stride-2 layers of every conv autoencoder hit it), and it is ~20x
// slower than im2col + matmul.
import { WASM, disposeInfos, guarded, runKernel, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { directFilterGrad, directForward, directInputGrad } from './convDirect';
import { convForwardIm2row, epilogueOver, filterGradIm2col, geometry, inputGradCol2im, IM2COL_LIMIT, type BiasEpilogue } from './im2col';

function checkFloat(kernel: string, ...ts: TensorInfo[]): void {
  for (const t of ts) if (t.dtype !== 'float32') throw new Error(`${kernel} on wasm supports float32 only, got ${t.dtype}.`);
}

export function conv2dBackpropFilter(params: KernelParams, limit = IM2COL_LIMIT): TensorInfo {
  const { x, dy } = params.inputs;
  const attrs = params.attrs ?? {};
  if (!x || !dy) throw new Error('Conv2DBackpropFilter needs inputs x and dy');
  checkFloat('Conv2DBackpropFilter', x, dy);
  const filterShape = attrs.filterShape as number[];
  if (filterShape[2] !== x.shape[3]) throw new Error(`Conv2DBackpropFilter: the filter expects ${filterShape[2]} input channels, x has ${x.shape[3]}`);
  const g = geometry('Conv2DBackpropFilter', x.shape, filterShape, attrs);
  if (dy.shape.join() !== [g.n, g.outH, g.outW, g.outC].join()) {
    throw new Error(`Conv2DBackpropFilter: dy shape ${dy.shape} does not match the convolution output [${g.n},${g.outH},${g.outW},${g.outC}]`);
  }
  return directFilterGrad(params, g) ?? filterGradIm2col(params, g, limit);
}

/** dx; with an epilogue (a transposed convolution's bias and ReLU, convFused.ts) applied to it in place. */
export function conv2dBackpropInput(params: KernelParams, limit = IM2COL_LIMIT, epilogue?: BiasEpilogue): TensorInfo {
  const { dy, filter } = params.inputs;
  const attrs = params.attrs ?? {};
  if (!dy || !filter) throw new Error('Conv2DBackpropInput needs inputs dy and filter');
  checkFloat('Conv2DBackpropInput', dy, filter);
  const inShape = attrs.inputShape as number[];
  const g = geometry('Conv2DBackpropInput', inShape, filter.shape, attrs);
  if (dy.shape.join() !== [g.n, g.outH, g.outW, g.outC].join()) {
    throw new Error(`Conv2DBackpropInput: dy shape ${dy.shape} does not match the convolution output [${g.n},${g.outH},${g.outW},${g.outC}]`);
  }
  const direct = directInputGrad(params, g, inShape);
  if (!direct) return inputGradCol2im(params, g, inShape, limit, epilogue);
  if (epilogue) guarded(params.backend, direct, () => epilogueOver(params.backend, epilogue, direct));
  return direct;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: WASM,
  kernelFunc: (params) => conv2dBackpropFilter(params),
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: WASM,
  kernelFunc: (params) => conv2dBackpropInput(params),
};

/** Fused activations applied after our convolution by the backend's own kernel (relu is done in the product). */
const AFTER: Record<string, string> = { elu: 'Elu', relu6: 'Relu6', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu' };

/**
 * Conv2D and FusedConv2D through im2row + our gemm (im2col.ts), so the forward pass runs on the trial's threads
 * like its gradients; what that path does not cover (NCHW, dilations, prelu, another dtype) stays stock.
 */
export function conv2dForwardConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x, filter, bias, preluActivationWeights } = params.inputs;
    const attrs = params.attrs ?? {};
    const activation = typeof attrs.activation === 'string' ? attrs.activation : 'linear';
    const dil = attrs.dilations;
    const plain = dil === undefined || dil === 1 || (Array.isArray(dil) && dil.every((d) => d === 1));
    if (
      !x || !filter || x.dtype !== 'float32' || filter.dtype !== 'float32' || preluActivationWeights || !plain || attrs.dataFormat === 'NCHW' ||
      (bias && (bias.dtype !== 'float32' || bias.shape.reduce((a, b) => a * b, 1) !== filter.shape[3])) ||
      (activation !== 'linear' && activation !== 'relu' && !(activation in AFTER))
    ) {
      return original.kernelFunc(params);
    }
    const g = geometry(original.kernelName, x.shape, filter.shape, attrs);
    const out = directForward(params, g, activation === 'relu') ?? convForwardIm2row(params, g, activation === 'relu');
    if (!out) return original.kernelFunc(params);
    const after = AFTER[activation];
    if (!after) return out;
    try {
      return runKernel(after, { x: out }, params.backend, after === 'LeakyRelu' ? { alpha: typeof attrs.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2 } : {});
    } finally {
      disposeInfos(params.backend, [out]);
    }
  };
  return { ...original, kernelFunc };
}
