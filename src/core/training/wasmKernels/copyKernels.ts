// Identity, Slice, GatherV2, Sum, Mean and Tile for wasm without needless copies. The stock kernels start with backend.readSync(x),
// which copies the ENTIRE input out of the wasm heap: slicing one 128-row batch out of a 6000x784 training
// set cost ~10 ms and a gather ~5 ms, more than the matmuls of a training step. Here we copy only the
// selected rows, through views of the heap.
import * as tf from '@tensorflow/tfjs';
import { asWasm, sizeOf, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor } from './loops';


/** Copies a row-major box out of x: begin/size per axis; contiguous innermost runs move with one set(). */
function copyBox(src: Float32Array | Int32Array | Uint8Array, shape: number[], begin: number[], size: number[], dst: typeof src): void {
  const rank = shape.length;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  // Merge trailing axes that are taken whole into one run.
  let runAxis = rank - 1;
  while (runAxis > 0 && begin[runAxis] === 0 && size[runAxis] === shape[runAxis]) runAxis--;
  const run = size[runAxis] * strides[runAxis];
  const counter = new Array<number>(runAxis).fill(0);
  const outer = sizeOf(size.slice(0, runAxis));
  for (let r = 0, out = 0; r < outer; r++, out += run) {
    let offset = begin[runAxis] * strides[runAxis];
    for (let a = 0; a < runAxis; a++) offset += (begin[a] + counter[a]) * strides[a];
    dst.set(src.subarray(offset, offset + run), out);
    for (let a = runAxis - 1; a >= 0; a--) {
      if (++counter[a] < size[a]) break;
      counter[a] = 0;
    }
  }
}

export function sliceConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x } = params.inputs;
    if (!x || x.dtype === 'string' || x.dtype === 'complex64') return original.kernelFunc(params);
    const attrs = params.attrs ?? {};
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
    const wasm = asWasm(params.backend);
    const out = wasm.makeOutput(size, x.dtype);
    if (sizeOf(size) === 0) return out;
    // Views after makeOutput: the allocation may have grown (and detached) the heap.
    copyBox(wasm.typedArrayFromHeap(x), x.shape, begin, size, wasm.typedArrayFromHeap(out));
    return out;
  };
  return { ...original, kernelFunc };
}

export function gatherConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x, indices } = params.inputs;
    const attrs = params.attrs ?? {};
    if (!x || !indices || (attrs.batchDims ?? 0) !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return original.kernelFunc(params);
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
    const dim = x.shape[axis];
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const n = sizeOf(indices.shape);
    const wasm = asWasm(params.backend);
    const out = wasm.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
    const idx = wasm.typedArrayFromHeap(indices);
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      if (!(i >= 0 && i <= dim - 1)) {
        wasm.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${i} is not in [0, ${dim - 1}]`);
      }
    }
    const src = wasm.typedArrayFromHeap(x);
    const dst = wasm.typedArrayFromHeap(out);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        const from = (o * dim + idx[k]) * inner;
        const to = (o * n + k) * inner;
        if (inner >= 16) dst.set(src.subarray(from, from + inner), to);
        else for (let j = 0; j < inner; j++) dst[to + j] = src[from + j];
      }
    }
    return out;
  };
  return { ...original, kernelFunc };
}

/**
 * Identity shares the buffer (reference counted, as wasm's own Reshape does) instead of copying it. The engine
 * clones every input it saves for the backward pass, so a copying Identity costs ~40 full-tensor copies per
 * training step; tensors are immutable, so sharing is safe.
 */
export function identityConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x } = params.inputs;
    if (!x || x.dtype === 'string') return original.kernelFunc(params);
    asWasm(params.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc };
}

/**
 * Sum (and Mean) over leading axes as a column sum: bias gradients sum over the batch, and over N,H,W for conv
 * layers; batch norm's moments average over N,H,W. The stock kernels first transpose the reduced axes innermost,
 * a full copy that cost more than the reduction itself.
 */
function leadingReduceConfig(original: KernelConfig, mean: boolean): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x } = params.inputs;
    const attrs = params.attrs ?? {};
    if (!x || x.dtype !== 'float32') return original.kernelFunc(params);
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
    const k = axes.length;
    const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
    const wasm = asWasm(params.backend);
    const loops = loopsFor(params.backend);
    if (!leading || !loops) return original.kernelFunc(params);
    const rest = x.shape.slice(k);
    const rows = sizeOf(x.shape.slice(0, k));
    const out = wasm.makeOutput(attrs.keepDims ? [...Array<number>(k).fill(1), ...rest] : rest, 'float32');
    const dst = wasm.typedArrayFromHeap(out) as Float32Array;
    dst.fill(0);
    loops.colsum((wasm.typedArrayFromHeap(x) as Float32Array).byteOffset, dst.byteOffset, rows, sizeOf(rest));
    if (mean && rows > 0) for (let i = 0; i < dst.length; i++) dst[i] /= rows;
    return out;
  };
  return { ...original, kernelFunc };
}

export const sumConfig = (original: KernelConfig): KernelConfig => leadingReduceConfig(original, false);
export const meanConfig = (original: KernelConfig): KernelConfig => leadingReduceConfig(original, true);

/**
 * Tiles into `dst` (already sized to the tiled shape): axis by axis from the last, each block (the axis and
 * everything after it, already tiled) is repeated in place by doubling copies, so the work is a few
 * copyWithin calls per block instead of an index computation per element.
 */
export function tileInto(src: Float32Array | Int32Array | Uint8Array, shape: readonly number[], reps: readonly number[], dst: typeof src): void {
  dst.set(src);
  const cur = [...shape];
  for (let axis = cur.length - 1; axis >= 0; axis--) {
    const r = reps[axis];
    if (r === 1) continue;
    const outer = sizeOf(cur.slice(0, axis));
    const inner = sizeOf(cur.slice(axis));
    const grown = inner * r;
    // From the last block back: block o moves to o * grown >= o * inner, never onto a block not yet moved.
    for (let o = outer - 1; o >= 0; o--) {
      const at = o * grown;
      dst.copyWithin(at, o * inner, (o + 1) * inner);
      for (let filled = inner; filled < grown; filled *= 2) dst.copyWithin(at + filled, at, at + Math.min(filled, grown - filled));
    }
    cur[axis] *= r;
  }
}

/**
 * Tile by block copies. Batch norm's gradient tiles its per-channel statistics to the whole [N,H,W,C] activation
 * every step, and the stock kernel computes every element's source index one at a time: on conv [32,64] with
 * batch norm (batch 128, 28x28) Tile was 330 of 790 ms per step, more than all the convolutions.
 */
export function tileConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { x } = params.inputs;
    const reps = (params.attrs ?? {}).reps as number[] | undefined;
    if (!x || !reps || reps.length !== x.shape.length || x.dtype === 'string' || x.dtype === 'complex64') return original.kernelFunc(params);
    const wasm = asWasm(params.backend);
    const out = wasm.makeOutput(x.shape.map((s, i) => s * reps[i]), x.dtype);
    if (sizeOf(out.shape) === 0) return out;
    // Views after makeOutput: the allocation may have grown (and detached) the heap.
    tileInto(wasm.typedArrayFromHeap(x), x.shape, reps, wasm.typedArrayFromHeap(out));
    return out;
  };
  return { ...original, kernelFunc };
}
