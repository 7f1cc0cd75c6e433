// Conv2D gradients for wasm as im2col/col2im around one matmul (our gemm, gemm.ts). The stock Conv2DBackpropInput and the
// Conv3DBackpropFilterV2 kernel are plain C++ loops at ~0.3-0.7 GFLOP/s (and the latter is wrong for strides
// > 1 in tfjs-backend-wasm 4.22): they made up ~90% of a conv autoencoder's training step. Rearranging the data
// (O(size) copies, in wasm loops.ts, or JS as a fallback) and letting the matmul do the O(size * channels)
// work is 10-25x faster. Every intermediate is released before returning.
import * as tf from '@tensorflow/tfjs';
import { asWasm, disposeInfos, guarded, runKernel, view, type KernelParams, type TensorInfo } from './common';
import { threadedConvForward, threadedFilterGrad, threadedInputGrad } from './convThreaded';
import { KBLOCK_BYTES, packedFloats, productOffsets } from './gemm';
import { THREADED_MIN_MACS } from './gemmJob';
import { kernelPool } from './kernelThreads';
import { GEOMETRY_ORDER, loopsFor, type Loops } from './loops';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvGeometry {
  n: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

/** The forward convolution's geometry; throws a clear error for what these kernels do not cover. */
export function geometry(kernel: string, xShape: number[], filterShape: number[], attrs: tf.NamedAttrMap): ConvGeometry {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel} on wasm supports only NHWC (channelsLast) data, got NCHW.`);
  const dil = attrs.dilations;
  if (dil !== undefined && dil !== 1 && !(Array.isArray(dil) && dil.every((d) => d === 1))) {
    throw new Error(`${kernel} on wasm does not support dilations ${JSON.stringify(dil)} (tfjs has no dilated conv gradients).`);
  }
  const strides = attrs.strides as number | [number, number];
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  return {
    n: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/** Scratch elements one im2col pass may use (256 MB); larger batches are processed in chunks. */
export const IM2COL_LIMIT = 1 << 26;

export const colsSize = (g: ConvGeometry): number => g.fh * g.fw * g.inC * g.n * g.outH * g.outW;

/**
 * cols[p][k] with p = (n, oh, ow) and k = (kh, kw, ci): the input patch element that filter tap k multiplies
 * for output pixel p (0 in the padding). Each tap is one pixel's contiguous channel run.
 */
export function im2row(x: Float32Array, g: ConvGeometry, out: Float32Array): void {
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        for (let kh = 0; kh < g.fh; kh++) {
          const ih = oh * g.sh - g.top + kh;
          for (let kw = 0; kw < g.fw; kw++, o += g.inC) {
            const iw = ow * g.sw - g.left + kw;
            if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) out.fill(0, o, o + g.inC);
            else out.set(x.subarray(((b * g.inH + ih) * g.inW + iw) * g.inC, ((b * g.inH + ih) * g.inW + iw + 1) * g.inC), o);
          }
        }
      }
    }
  }
}

/** dx[n, ih, iw, :] += cols[p, (kh, kw), :] for every tap that lands inside the image. */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  dx.fill(0);
  const K = g.fh * g.fw * g.inC;
  let p = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, p++) {
        for (let kh = 0; kh < g.fh; kh++) {
          const ih = oh * g.sh - g.top + kh;
          if (ih < 0 || ih >= g.inH) continue;
          for (let kw = 0; kw < g.fw; kw++) {
            const iw = ow * g.sw - g.left + kw;
            if (iw < 0 || iw >= g.inW) continue;
            const d = ((b * g.inH + ih) * g.inW + iw) * g.inC;
            const c = p * K + (kh * g.fw + kw) * g.inC;
            for (let ci = 0; ci < g.inC; ci++) dx[d + ci] += cols[c + ci];
          }
        }
      }
    }
  }
}

const matMul = (backend: object, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo => {
  const out = tf.getKernel('BatchMatMul', 'wasm').kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA, transposeB } });
  return out as TensorInfo;
};

/**
 * Bytes of patches the forward pass builds and multiplies at a time: about one L2 (1 MB here). The gemm streams
 * its packed patches once per 8 output channels, so a batch's worth (14.5 MB for 64 -> 128 channels at 14 x 14)
 * came from L3 every time: 28 -> 19-21 ms per call by CPU time, 6.6 -> 5.2 for 32 -> 64; the rows of the product
 * do not depend on each other, so the bits are the same. (The gradients' runs: gradientRunImages.)
 */
export const PATCH_RUN_BYTES = 1 << 20;

/** Images whose patches fit PATCH_RUN_BYTES (at least one). */
export const cacheImages = (g: ConvGeometry): number => Math.max(1, Math.floor(PATCH_RUN_BYTES / (4 * colsSize({ ...g, n: 1 }))));

/** Images per chunk so that one chunk's im2col scratch stays under IM2COL_LIMIT (the whole batch normally). */
const chunkOf = (g: ConvGeometry, limit: number): number => Math.max(1, Math.min(g.n, Math.floor(limit / colsSize({ ...g, n: 1 }))));

/** Rows [b0, b0 + n) of a batch-major tensor, as a fresh tensor (a view when it is the whole tensor). */
function rows(backend: object, t: TensorInfo, b0: number, n: number, temps: TensorInfo[]): TensorInfo {
  if (b0 === 0 && n === t.shape[0]) return t;
  const out = runKernel('Slice', { x: t }, backend, { begin: [b0, 0, 0, 0], size: [n, -1, -1, -1] });
  temps.push(out);
  return out;
}

/**
 * Images whose patches a gradient builds (or produces) and uses at a time: ~512 KB of them, one of the gemm's
 * blocks of k for an A read in place (KBLOCK_BYTES). A whole batch's patches (3.6 MB for 16 <-> 32 channels at
 * 14 x 14, batch 128) went out of the 1 MB L2 to L3 between the pass that wrote them and the one that read them.
 * - Filter gradient: im2row, then the product read the patches a 576-byte row apart; now each run's product
 *   continues the previous run's sums (the gemm's acc), so the operations per element and their order are those
 *   of one pass over the batch chunk, as the threaded path does it: the same bits. 1.85 -> 1.54 ms a call (2.13
 *   -> 1.66 with cold caches).
 * - Input gradient: the product, then col2im; images do not share rows of dx, so runs do not change the bits.
 *   1.52 -> 1.46 ms a call measured alone, 2.3 -> 1.6 with the other conv kernels interleaved.
 */
export const gradientRunImages = (g: ConvGeometry): number => Math.max(1, Math.floor(KBLOCK_BYTES / (4 * colsSize({ ...g, n: 1 }))));

/** dW = im2row(x)^T . dy, shaped [fh, fw, inC, outC]; batch chunks' sums added in order when the batch is large. */
export function filterGradIm2col(params: KernelParams, g: ConvGeometry, limit = IM2COL_LIMIT): TensorInfo {
  const { x, dy } = params.inputs as { x: TensorInfo; dy: TensorInfo };
  const backend = params.backend;
  const wasm = asWasm(backend);
  const chunk = chunkOf(g, limit);
  const pool = colsSize(g) * g.outC >= THREADED_MIN_MACS ? kernelPool() : null;
  if (pool) {
    const dw = wasm.makeOutput([g.fh, g.fw, g.inC, g.outC], 'float32');
    const view = (t: TensorInfo): Float32Array => wasm.typedArrayFromHeap(t) as Float32Array;
    return guarded(backend, dw, () => threadedFilterGrad(pool, view(x), view(dy), g, chunk, view(dw)));
  }
  const loops = loopsFor(backend);
  return loops ? filterGradRuns(params, loops, g, chunk) : filterGradJs(params, g, chunk);
}

/** The one-thread filter gradient in runs of gradientRunImages images, each chunk's sums continued run to run. */
function filterGradRuns(params: KernelParams, loops: Loops, g: ConvGeometry, chunk: number): TensorInfo {
  const { x, dy } = params.inputs as { x: TensorInfo; dy: TensorInfo };
  const backend = params.backend;
  const wasm = asWasm(backend);
  const K = g.fh * g.fw * g.inC;
  const N = g.outC;
  const run = Math.min(chunk, gradientRunImages(g));
  const rowsPerRun = run * g.outH * g.outW;
  const packedLength = packedFloats(K, rowsPerRun, N);
  const dw = wasm.makeOutput([g.fh, g.fw, g.inC, N], 'float32');
  const temps = [wasm.makeOutput([packedLength + rowsPerRun * K], 'float32')];
  if (chunk < g.n) temps.push(wasm.makeOutput([K * N], 'float32'));
  try {
    return guarded(backend, dw, () => {
      // Addresses only after every allocation (an allocation may grow the heap).
      const addr = (t: TensorInfo): number => wasm.typedArrayFromHeap(t).byteOffset;
      const packed = addr(temps[0]);
      const block = packed + productOffsets(rowsPerRun, N).scratch;
      const cols = packed + 4 * packedLength;
      for (let b0 = 0; b0 < g.n; b0 += chunk) {
        const n = Math.min(chunk, g.n - b0);
        const sums = b0 === 0 ? dw : temps[1];
        for (let r0 = 0; r0 < n; r0 += run) {
          const images = Math.min(run, n - r0);
          const rows = images * g.outH * g.outW;
          loops.im2row(addr(x) + 4 * (b0 + r0) * g.inH * g.inW * g.inC, cols, ...GEOMETRY_ORDER.map((k) => (k === 'n' ? images : g[k])));
          loops.pack8(addr(dy) + 4 * (b0 + r0) * g.outH * g.outW * N, packed, rows, N, N, 1);
          // cols^T . dy: A(i, k) = cols[k][i], read in place.
          loops.gemm(cols, packed, addr(sums), 0, K, N, rows, 4, 4 * K, 4 * N, 0, block, r0 > 0 ? 1 : 0, 0);
        }
        if (b0 > 0) {
          const sum = wasm.typedArrayFromHeap(dw) as Float32Array;
          const part = wasm.typedArrayFromHeap(temps[1]) as Float32Array;
          for (let i = 0; i < sum.length; i++) sum[i] += part[i];
        }
      }
    });
  } finally {
    disposeInfos(backend, temps);
  }
}

/** The filter gradient without the loops (JS im2row, the registered matMul), chunk by chunk. */
function filterGradJs(params: KernelParams, g: ConvGeometry, chunk: number): TensorInfo {
  const { x, dy } = params.inputs as { x: TensorInfo; dy: TensorInfo };
  const backend = params.backend;
  const wasm = asWasm(backend);
  const K = g.fh * g.fw * g.inC;
  let acc: TensorInfo | null = null;
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const c = { ...g, n: Math.min(chunk, g.n - b0) };
    const P = c.n * c.outH * c.outW;
    const temps: TensorInfo[] = [];
    try {
      const cols = wasm.makeOutput([P, K], 'float32');
      temps.push(cols);
      im2row((wasm.typedArrayFromHeap(x) as Float32Array).subarray(b0 * g.inH * g.inW * g.inC), c, wasm.typedArrayFromHeap(cols) as Float32Array);
      const dw = matMul(backend, cols, view(rows(backend, dy, b0, c.n, temps), [P, g.outC]), true, false);
      if (!acc) {
        acc = dw;
      } else {
        temps.push(dw);
        const sum = wasm.typedArrayFromHeap(acc) as Float32Array;
        const part = wasm.typedArrayFromHeap(dw) as Float32Array;
        for (let i = 0; i < sum.length; i++) sum[i] += part[i];
      }
    } finally {
      disposeInfos(backend, temps);
    }
  }
  return { ...(acc as TensorInfo), shape: [g.fh, g.fw, g.inC, g.outC] };
}

/**
 * What a transposed convolution's forward adds to its product (convFused.ts): the bias per channel, then ReLU
 * when `relu`. Applied to each run of images while it is still in cache, the same float32 operations as a
 * separate pass after the product.
 */
export interface BiasEpilogue {
  bias: TensorInfo;
  relu: boolean;
}

/** The epilogue on `rows` rows of C channels at byte address `at`, in place. */
export function applyEpilogue(loops: Loops, e: BiasEpilogue, biasAddr: number, at: number, rows: number, c: number): void {
  if (e.relu) loops.biasRelu(at, biasAddr, at, rows, c);
  else loops.addRows(at, biasAddr, at, rows, c);
}

/**
 * dx = col2im(dy . W^T) on one thread, `run` images at a time; images do not share rows of dx, so the bits do not
 * depend on runs. Each run's rows of dx are zeroed just before its col2im and take the epilogue just after it,
 * while they are in L2 (zeroing the whole 1.6 MB dx up front, then a separate bias pass, each went through L3).
 */
function inputGradRuns(params: KernelParams, loops: Loops, g: ConvGeometry, run: number, dx: TensorInfo, epilogue?: BiasEpilogue): void {
  const { dy, filter } = params.inputs as { dy: TensorInfo; filter: TensorInfo };
  const wasm = asWasm(params.backend);
  const K = g.fh * g.fw * g.inC;
  const N = g.outC;
  const rowsPerRun = run * g.outH * g.outW;
  const packedLength = packedFloats(rowsPerRun, N, K);
  const scratch = wasm.makeOutput([packedLength + rowsPerRun * K], 'float32');
  try {
    // Addresses only after every allocation (an allocation may grow the heap).
    const addr = (t: TensorInfo): number => wasm.typedArrayFromHeap(t).byteOffset;
    const packed = addr(scratch);
    const block = packed + productOffsets(N, K).scratch;
    const cols = packed + 4 * packedLength;
    const dxs = wasm.typedArrayFromHeap(dx) as Float32Array;
    const image = g.inH * g.inW * g.inC;
    // W viewed as K x N and used transposed: B(k, j) = W[j][k].
    loops.pack8(addr(filter), packed, N, K, 1, N);
    for (let b0 = 0; b0 < g.n; b0 += run) {
      const images = Math.min(run, g.n - b0);
      loops.gemm(addr(dy) + 4 * b0 * g.outH * g.outW * N, packed, cols, 0, images * g.outH * g.outW, K, N, 4 * N, 4, 4 * K, 0, block, 0, 0);
      dxs.fill(0, b0 * image, (b0 + images) * image);
      loops.col2im(cols, dxs.byteOffset + 4 * b0 * image, ...GEOMETRY_ORDER.map((k) => (k === 'n' ? images : g[k])));
      if (epilogue) applyEpilogue(loops, epilogue, addr(epilogue.bias), dxs.byteOffset + 4 * b0 * image, images * g.inH * g.inW, g.inC);
    }
  } finally {
    wasm.disposeData(scratch.dataId);
  }
}

/**
 * dx = col2im(dy . W^T), shaped like the forward input; batch chunks write their own rows of dx. The epilogue
 * (wasm loops only) is applied to every row of dx, per run on one thread, else after the product.
 */
export function inputGradCol2im(params: KernelParams, g: ConvGeometry, inShape: number[], limit = IM2COL_LIMIT, epilogue?: BiasEpilogue): TensorInfo {
  const { dy, filter } = params.inputs as { dy: TensorInfo; filter: TensorInfo };
  const backend = params.backend;
  const wasm = asWasm(backend);
  const K = g.fh * g.fw * g.inC;
  const chunk = chunkOf(g, limit);
  const dx = wasm.makeOutput(inShape, 'float32');
  const pool = colsSize(g) * g.outC >= THREADED_MIN_MACS ? kernelPool() : null;
  if (pool) {
    const view = (t: TensorInfo): Float32Array => wasm.typedArrayFromHeap(t) as Float32Array;
    return guarded(backend, dx, () => {
      threadedInputGrad(pool, view(dy), view(filter), g, chunk, gradientRunImages(g), view(dx));
      if (epilogue) epilogueOver(backend, epilogue, dx);
    });
  }
  const loops = loopsFor(backend);
  if (loops) return guarded(backend, dx, () => inputGradRuns(params, loops, g, Math.min(chunk, gradientRunImages(g)), dx, epilogue));
  if (epilogue) throw new Error('inputGradCol2im: a bias epilogue needs the wasm loops');
  try {
    for (let b0 = 0; b0 < g.n; b0 += chunk) {
      const c = { ...g, n: Math.min(chunk, g.n - b0) };
      const P = c.n * c.outH * c.outW;
      const temps: TensorInfo[] = [];
      try {
        const cols = matMul(backend, view(rows(backend, dy, b0, c.n, temps), [P, g.outC]), view(filter, [K, g.outC]), false, true);
        temps.push(cols);
        const src = wasm.typedArrayFromHeap(cols) as Float32Array;
        const dst = (wasm.typedArrayFromHeap(dx) as Float32Array).subarray(b0 * g.inH * g.inW * g.inC, (b0 + c.n) * g.inH * g.inW * g.inC);
        col2im(src, c, dst);
      } finally {
        disposeInfos(backend, temps);
      }
    }
    return dx;
  } catch (err) {
    disposeInfos(backend, [dx]);
    throw err;
  }
}

/** The epilogue over a whole NHWC tensor, in place (the paths that do not run it per run). */
export function epilogueOver(backend: object, e: BiasEpilogue, t: TensorInfo): void {
  const loops = loopsFor(backend);
  if (!loops) throw new Error('a bias epilogue needs the wasm loops');
  const wasm = asWasm(backend);
  const c = t.shape[t.shape.length - 1];
  const at = wasm.typedArrayFromHeap(t).byteOffset;
  applyEpilogue(loops, e, wasm.typedArrayFromHeap(e.bias).byteOffset, at, t.shape.reduce((a, b) => a * b, 1) / c, c);
}

/**
 * The forward convolution as im2panel (im2row's patches in the gemm's panel layout) + our gemm (bias and relu
 * fused into the product), NHWC, written straight
 * into the output; null when the wasm memory is not reachable (the caller then takes the stock kernel). The
 * same arithmetic on one thread or several, so a trial's result does not depend on the cores it was given.
 */
export function convForwardIm2row(params: KernelParams, g: ConvGeometry, relu: boolean, limit = IM2COL_LIMIT): TensorInfo | null {
  const { x, filter, bias } = params.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo };
  const backend = params.backend;
  const loops = loopsFor(backend);
  if (!loops) return null;
  const wasm = asWasm(backend);
  const K = g.fh * g.fw * g.inC;
  const N = g.outC;
  const chunk = chunkOf(g, limit);
  const out = wasm.makeOutput([g.n, g.outH, g.outW, N], 'float32');
  const pool = colsSize(g) * N >= THREADED_MIN_MACS ? kernelPool() : null;
  if (pool) {
    const view = (t: TensorInfo): Float32Array => wasm.typedArrayFromHeap(t) as Float32Array;
    return guarded(backend, out, () => threadedConvForward(pool, view(x), view(filter), bias ? view(bias) : null, g, relu, chunk, cacheImages(g), view(out)));
  }
  // The one-thread path runs in cache-sized runs of images outright (the threads split theirs the same way).
  const run = Math.min(chunk, cacheImages(g));
  const rowsPerRun = run * g.outH * g.outW;
  const packedLength = packedFloats(rowsPerRun, K, N);
  const scratch = wasm.makeOutput([packedLength + rowsPerRun * K], 'float32');
  try {
    return guarded(backend, out, () => {
      // Addresses only after every allocation (an allocation may grow the heap).
      const addr = (t: TensorInfo): number => wasm.typedArrayFromHeap(t).byteOffset;
      const packed = addr(scratch);
      const offsets = productOffsets(K, N);
      const packedBias = packed + offsets.bias;
      const block = packed + offsets.scratch;
      const cols = packed + 4 * packedLength;
      loops.pack8(addr(filter), packed, K, N, N, 1);
      if (bias) loops.pack8(addr(bias), packedBias, 1, N, 0, 1);
      for (let b0 = 0; b0 < g.n; b0 += run) {
        const n = Math.min(run, g.n - b0);
        loops.im2panel(addr(x) + 4 * b0 * g.inH * g.inW * g.inC, cols, ...GEOMETRY_ORDER.map((k) => (k === 'n' ? n : g[k])));
        const P = n * g.outH * g.outW;
        loops.gemm(cols, packed, addr(out) + 4 * b0 * g.outH * g.outW * N, bias ? packedBias : 0, P, N, K, 4 * K, 4, 4 * N, relu ? 1 : 0, block, 0, 1);
      }
    });
  } finally {
    wasm.disposeData(scratch.dataId);
  }
}
