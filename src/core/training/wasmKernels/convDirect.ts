// The direct convolutions of convDirectLoops.ts as kernels: the forward pass (bias and relu fused), the filter
// gradient and the input gradient of convolutions with few input channels, on one thread or split by images on
// the kernel pool's threads. Each returns null for what it does not cover (the caller then takes im2col.ts's
// path, which also has the plain-JS twins for when the wasm memory is not reachable).
import { asWasm, guarded, type KernelParams, type TensorInfo } from './common';
import { SharedLayout, THREADED_MIN_MACS } from './gemmJob';
import { colsSize, type ConvGeometry } from './im2col';
import { kernelPool, splitRange, type KernelPool } from './kernelThreads';
import { GEOMETRY_ORDER, loopsFor, type Loops } from './loops';

/**
 * Widest input covered (RGB and RGBA included). Past it im2row copies runs of inC floats per tap and the gemm's
 * k = fh*fw*inC is long enough for it to run at speed (16 channels: 35-45 GFLOP/s), so the direct loops, whose
 * scratch image and tap tables are made for short K, have nothing to add.
 */
export const DIRECT_MAX_IN_C = 4;

export type DirectKind = 'forward' | 'filter' | 'input';

/** Whether the direct kernels compute this convolution. */
export function directCovers(g: ConvGeometry, kind: DirectKind): boolean {
  if (g.inC > DIRECT_MAX_IN_C || g.n < 1 || g.outH < 1 || g.outW < 1) return false;
  // The filter gradient's channel groups are whole vectors (the last one shifted back to end at outC).
  return kind !== 'filter' || g.outC >= 4;
}

/** The scratch image's size: every pixel some output reads, the padding included. */
const padShape = (g: ConvGeometry): [number, number] => [(g.outH - 1) * g.sh + g.fh, (g.outW - 1) * g.sw + g.fw];
/** Its bytes, and 16 to spare: the input gradient's last tap vector may run 3 floats past the last pixel. */
const padBytes = (g: ConvGeometry): number => 4 * padShape(g)[0] * padShape(g)[1] * g.inC + 16;
const taps = (g: ConvGeometry): number => g.fh * g.fw * g.inC;
const geometryArgs = (g: ConvGeometry, n: number): number[] => GEOMETRY_ORDER.map((k) => (k === 'n' ? n : g[k]));

/** Byte offset of each tap (kh, kw, ci) from an output pixel's top-left corner in the scratch image; 0 past K. */
function tapOffsets(g: ConvGeometry, count: number): Int32Array {
  const wp = padShape(g)[1];
  const out = new Int32Array(count);
  for (let kh = 0, k = 0; kh < g.fh; kh++) for (let kw = 0; kw < g.fw; kw++) for (let ci = 0; ci < g.inC; ci++, k++) out[k] = 4 * ((kh * wp + kw) * g.inC + ci);
  return out;
}

/** The forward's filter strips: 16 columns (2 pixels x 16 channels a tile) unless 8 hold every channel. */
const stripWidth = (N: number): 8 | 16 => (N > 8 ? 16 : 8);

/** A K x N matrix (or a bias, K = 1) in strips of SW columns, zero past column N. */
function strips(w: Float32Array, K: number, N: number, SW: number): Float32Array {
  const S = Math.ceil(N / SW);
  const out = new Float32Array(S * K * SW);
  for (let s = 0; s < S; s++) for (let k = 0; k < K; k++) for (let j = 0; j < SW && SW * s + j < N; j++) out[(s * K + k) * SW + j] = w[k * N + SW * s + j];
  return out;
}

/**
 * The input gradient's tap vectors (convDirectLoops.ts inputTile): each filter row's fw*inC taps, which lie side
 * by side in the scratch image, in vectors of 4. bt: per output channel, the vectors' weights (zero past the
 * row); tab: each vector's byte offset from a pixel's corner; masks: its lanes inside the row (all ones).
 */
function tapVectors(w: Float32Array, g: ConvGeometry): { nv: number; bt: Float32Array; tab: Int32Array; masks: Int32Array } {
  const L = g.fw * g.inC;
  const G = Math.ceil(L / 4);
  const nv = g.fh * G;
  const N = g.outC;
  const rowFloats = padShape(g)[1] * g.inC;
  const bt = new Float32Array(N * nv * 4);
  const tab = new Int32Array(nv);
  const masks = new Int32Array(nv * 4);
  for (let kh = 0; kh < g.fh; kh++) {
    for (let gi = 0; gi < G; gi++) {
      const v = kh * G + gi;
      tab[v] = 4 * (kh * rowFloats + 4 * gi);
      for (let l = 0; l < 4 && 4 * gi + l < L; l++) {
        masks[4 * v + l] = -1;
        for (let co = 0; co < N; co++) bt[(co * nv + v) * 4 + l] = w[(kh * L + 4 * gi + l) * N + co];
      }
    }
  }
  return { nv, bt, tab, masks };
}

/** Places arrays at byte offsets `at` of a float heap (`base` its byte address of offset 0). */
function put(heap: Float32Array, base: number, at: number, data: Float32Array | Int32Array): void {
  if (data instanceof Int32Array) new Int32Array(heap.buffer, base + at, data.length).set(data);
  else heap.set(data, (base + at) / 4);
}

const usePool = (g: ConvGeometry): KernelPool | null => (colsSize(g) * g.outC >= THREADED_MIN_MACS ? kernelPool() : null);

/**
 * Multiply-adds per float copied into the pool's memory (x and dy) below which the filter gradient stays on the
 * calling thread: its arithmetic is the lightest of the three, so the copies can cost more than the second
 * thread saves. [128,28,28,1] x 16 stride 2 (7 a float): 0.20 ms on one thread, 0.28 on two; x 32 stride 1
 * (9): 1.66 against 1.70; [128,32,32,3] x 32 (27): 5.6 against 4.1. (The forward and the input gradient gain
 * from a second thread even at 7: 0.28 -> 0.24 and 0.30 -> 0.29 ms.)
 */
export const FILTER_THREAD_MACS_PER_FLOAT = 16;

function filterPool(g: ConvGeometry): KernelPool | null {
  const macs = colsSize(g) * g.outC;
  const copied = g.n * (g.inH * g.inW * g.inC + g.outH * g.outW * g.outC);
  return macs >= FILTER_THREAD_MACS_PER_FLOAT * copied ? usePool(g) : null;
}

/**
 * Runs `fill(loops, heap, base)` on a scratch tensor of `bytes` (heap: the whole memory as floats, base: the
 * scratch's byte address), then frees it; `out` is freed too if it throws.
 */
function withScratch(params: KernelParams, out: TensorInfo, bytes: number, fill: (loops: Loops, heap: Float32Array, base: number) => void): TensorInfo {
  const wasm = asWasm(params.backend);
  const loops = loopsFor(params.backend) as Loops;
  return guarded(params.backend, out, () => {
    const scratch = wasm.makeOutput([Math.ceil(bytes / 4)], 'float32');
    try {
      // Views only after every allocation (an allocation may grow the heap).
      const s = wasm.typedArrayFromHeap(scratch) as Float32Array;
      fill(loops, new Float32Array(s.buffer), s.byteOffset);
    } finally {
      wasm.disposeData(scratch.dataId);
    }
  });
}

const heapOf = (params: KernelParams, t: TensorInfo): Float32Array => asWasm(params.backend).typedArrayFromHeap(t) as Float32Array;

/** out = relu?(conv(x, W) + bias), NHWC, or null when not covered. */
export function directForward(params: KernelParams, g: ConvGeometry, relu: boolean): TensorInfo | null {
  if (!loopsFor(params.backend) || !directCovers(g, 'forward')) return null;
  const { x, filter, bias } = params.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo };
  const K = taps(g);
  const N = g.outC;
  const out = asWasm(params.backend).makeOutput([g.n, g.outH, g.outW, N], 'float32');
  const read = (t: TensorInfo): Float32Array => heapOf(params, t);
  const width = stripWidth(N);
  const ws = strips(read(filter), K, N, width);
  const bs = bias ? strips(read(bias), 1, N, width) : null;
  const tab = tapOffsets(g, K);
  const lay = new SharedLayout();
  const at = { ws: lay.take(4 * ws.length), bs: bs ? lay.take(4 * bs.length) : 0, tab: lay.take(4 * K) };
  const pool = usePool(g);
  if (pool) {
    const xs = lay.take(4 * g.n * g.inH * g.inW * g.inC);
    const os = lay.take(4 * g.n * g.outH * g.outW * N);
    const ranges = splitRange(g.n, pool.threads);
    const pads = ranges.map(() => lay.take(padBytes(g)));
    return guarded(params.backend, out, () => {
      pool.reserve(lay.bytes);
      const mem = pool.f32();
      put(mem, 0, at.ws, ws);
      if (bs) put(mem, 0, at.bs, bs);
      put(mem, 0, at.tab, tab);
      put(mem, 0, xs, read(x));
      pool.run(ranges.map(([i0, i1], t) => [{
        fn: 'cdForward',
        args: [xs + 4 * i0 * g.inH * g.inW * g.inC, at.ws, bs ? at.bs : 0, os + 4 * i0 * g.outH * g.outW * N, pads[t], at.tab, relu ? 1 : 0, N, width === 16 ? 1 : 0, ...geometryArgs(g, i1 - i0)],
      }]));
      read(out).set(mem.subarray(os / 4, os / 4 + g.n * g.outH * g.outW * N));
    });
  }
  const pad = lay.take(padBytes(g));
  return withScratch(params, out, lay.bytes, (loops, heap, base) => {
    put(heap, base, at.ws, ws);
    if (bs) put(heap, base, at.bs, bs);
    put(heap, base, at.tab, tab);
    const addr = (t: TensorInfo): number => read(t).byteOffset;
    loops.cdForward(addr(x), base + at.ws, bs ? base + at.bs : 0, addr(out), base + pad, base + at.tab, relu ? 1 : 0, N, width === 16 ? 1 : 0, ...geometryArgs(g, g.n));
  });
}

/**
 * dW, [fh, fw, inC, outC], or null when not covered: each image's gradient into its own slot, then the slots
 * summed in image order (colsum), the same additions whatever the thread count.
 */
export function directFilterGrad(params: KernelParams, g: ConvGeometry): TensorInfo | null {
  if (!loopsFor(params.backend) || !directCovers(g, 'filter')) return null;
  const { x, dy } = params.inputs as { x: TensorInfo; dy: TensorInfo };
  const K = taps(g);
  const N = g.outC;
  const dw = asWasm(params.backend).makeOutput([g.fh, g.fw, g.inC, N], 'float32');
  const read = (t: TensorInfo): Float32Array => heapOf(params, t);
  const tab = tapOffsets(g, K);
  const lay = new SharedLayout();
  const at = { tab: lay.take(4 * K), part: lay.take(4 * g.n * K * N), sum: lay.take(4 * K * N) };
  const pool = filterPool(g);
  if (pool) {
    const xs = lay.take(4 * g.n * g.inH * g.inW * g.inC);
    const dys = lay.take(4 * g.n * g.outH * g.outW * N);
    const ranges = splitRange(g.n, pool.threads);
    const pads = ranges.map(() => lay.take(padBytes(g)));
    return guarded(params.backend, dw, () => {
      pool.reserve(lay.bytes);
      const mem = pool.f32();
      put(mem, 0, at.tab, tab);
      put(mem, 0, xs, read(x));
      put(mem, 0, dys, read(dy));
      pool.run(ranges.map(([i0, i1], t) => [{
        fn: 'cdFilter',
        args: [xs + 4 * i0 * g.inH * g.inW * g.inC, dys + 4 * i0 * g.outH * g.outW * N, at.part + 4 * i0 * K * N, pads[t], at.tab, N, ...geometryArgs(g, i1 - i0)],
      }]));
      mem.fill(0, at.sum / 4, at.sum / 4 + K * N);
      pool.loops.colsum(at.part, at.sum, g.n, K * N);
      read(dw).set(mem.subarray(at.sum / 4, at.sum / 4 + K * N));
    });
  }
  const pad = lay.take(padBytes(g));
  return withScratch(params, dw, lay.bytes, (loops, heap, base) => {
    put(heap, base, at.tab, tab);
    const addr = (t: TensorInfo): number => read(t).byteOffset;
    loops.cdFilter(addr(x), addr(dy), base + at.part, base + pad, base + at.tab, N, ...geometryArgs(g, g.n));
    read(dw).fill(0);
    loops.colsum(base + at.part, addr(dw), g.n, K * N);
  });
}

/** dx, shaped like the forward input, or null when not covered. */
export function directInputGrad(params: KernelParams, g: ConvGeometry, inShape: number[]): TensorInfo | null {
  if (!loopsFor(params.backend) || !directCovers(g, 'input')) return null;
  const { dy, filter } = params.inputs as { dy: TensorInfo; filter: TensorInfo };
  const N = g.outC;
  const dx = asWasm(params.backend).makeOutput(inShape, 'float32');
  const read = (t: TensorInfo): Float32Array => heapOf(params, t);
  const { nv, bt, tab, masks } = tapVectors(read(filter), g);
  const lay = new SharedLayout();
  const at = { bt: lay.take(4 * bt.length), tab: lay.take(4 * nv), masks: lay.take(16 * nv) };
  const pool = usePool(g);
  if (pool) {
    const dys = lay.take(4 * g.n * g.outH * g.outW * N);
    const dxs = lay.take(4 * g.n * g.inH * g.inW * g.inC);
    const ranges = splitRange(g.n, pool.threads);
    const pads = ranges.map(() => lay.take(padBytes(g)));
    return guarded(params.backend, dx, () => {
      pool.reserve(lay.bytes);
      const mem = pool.f32();
      put(mem, 0, at.bt, bt);
      put(mem, 0, at.tab, tab);
      put(mem, 0, at.masks, masks);
      put(mem, 0, dys, read(dy));
      pool.run(ranges.map(([i0, i1], t) => [{
        fn: 'cdInput',
        args: [dys + 4 * i0 * g.outH * g.outW * N, at.bt, dxs + 4 * i0 * g.inH * g.inW * g.inC, pads[t], at.tab, at.masks, nv, N, ...geometryArgs(g, i1 - i0)],
      }]));
      read(dx).set(mem.subarray(dxs / 4, dxs / 4 + g.n * g.inH * g.inW * g.inC));
    });
  }
  const pad = lay.take(padBytes(g));
  return withScratch(params, dx, lay.bytes, (loops, heap, base) => {
    put(heap, base, at.bt, bt);
    put(heap, base, at.tab, tab);
    put(heap, base, at.masks, masks);
    const addr = (t: TensorInfo): number => read(t).byteOffset;
    loops.cdInput(addr(dy), base + at.bt, addr(dx), base + pad, base + at.tab, base + at.masks, nv, N, ...geometryArgs(g, g.n));
  });
}
