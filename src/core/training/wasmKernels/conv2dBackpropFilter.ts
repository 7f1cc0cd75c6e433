// Conv2D gradient kernels for wasm. Conv2DBackpropFilter is not registered by tfjs-backend-wasm 4.22, so no
// conv layer could train on wasm at all; Conv2DBackpropInput (also Conv2DTranspose's forward pass) is, but as
// a slow scalar loop. Both are computed here as im2col/col2im around an XNNPACK matmul (im2col.ts).
// Why not Conv3DBackpropFilterV2 with a depth of 1: the stock wasm kernel returns wrong filter gradients for
// strides > 1 (checked against cpu; the stride-2 layers of every conv autoencoder hit it), and it is ~20x
// slower than im2col + matmul.
import { WASM, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { filterGradIm2col, geometry, inputGradCol2im, IM2COL_LIMIT } from './im2col';

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
  return filterGradIm2col(params, g, limit);
}

export function conv2dBackpropInput(params: KernelParams, limit = IM2COL_LIMIT): TensorInfo {
  const { dy, filter } = params.inputs;
  const attrs = params.attrs ?? {};
  if (!dy || !filter) throw new Error('Conv2DBackpropInput needs inputs dy and filter');
  checkFloat('Conv2DBackpropInput', dy, filter);
  const inShape = attrs.inputShape as number[];
  const g = geometry('Conv2DBackpropInput', inShape, filter.shape, attrs);
  if (dy.shape.join() !== [g.n, g.outH, g.outW, g.outC].join()) {
    throw new Error(`Conv2DBackpropInput: dy shape ${dy.shape} does not match the convolution output [${g.n},${g.outH},${g.outW},${g.outC}]`);
  }
  return inputGradCol2im(params, g, inShape, limit);
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
