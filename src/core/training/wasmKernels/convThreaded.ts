// The convolution kernels of im2col.ts on the pool's threads (kernelThreads.ts). The forward pass and the input
// gradient split the batch: each thread rearranges its own images and multiplies its own rows, nothing shared.
// The filter gradient sums over the whole batch, so its patches are built by all threads first (split by
// image), then the product is split by output channels. Batch chunks, operation order and the micro-kernel are
// those of the one-thread path, so results are the same bit for bit.
import { MR } from './gemm';
import { SharedLayout, gemmParts, gemmScratchBytes } from './gemmJob';
import type { ConvGeometry } from './im2col';
import { splitRange, type KernelPool, type LoopCall } from './kernelThreads';
import { GEOMETRY_ORDER } from './loops';

const inPixels = (g: ConvGeometry): number => g.inH * g.inW * g.inC;
const outPixels = (g: ConvGeometry): number => g.outH * g.outW;
const geometryArgs = (g: ConvGeometry, n: number): number[] => GEOMETRY_ORDER.map((k) => (k === 'n' ? n : g[k]));

/** Image ranges per thread for a chunk of n images (fewer parts than threads when n is small). */
const imageRanges = (n: number, threads: number): Array<[number, number]> => splitRange(n, threads);

/** Rows of the patch matrix of `images` images, and its width. */
const patchShape = (g: ConvGeometry, images: number): [number, number] => [images * outPixels(g), g.fh * g.fw * g.inC];

/**
 * out = im2row(x) . W (+ bias, relu), NHWC, the patches laid out by im2panel. x holds `chunk`-image slices
 * in order; out likewise.
 * `chunk` is the one-thread path's chunk size (so batch chunks match); each thread builds and multiplies its
 * images' patches `run` images at a time (im2col.ts, cacheImages).
 */
export function threadedConvForward(
  pool: KernelPool, x: Float32Array, w: Float32Array, bias: Float32Array | null, g: ConvGeometry, relu: boolean, chunk: number, run: number, out: Float32Array,
): void {
  const threads = pool.threads;
  const [, K] = patchShape(g, 1);
  const N = g.outC;
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const n = Math.min(chunk, g.n - b0);
    const [P] = patchShape(g, n);
    const lay = new SharedLayout();
    const xs = lay.take(4 * n * inPixels(g));
    const ws = lay.take(4 * K * N);
    const bs = bias ? lay.take(4 * N) : 0;
    const cols = lay.take(4 * P * K);
    const c = lay.take(4 * P * N);
    const ranges = imageRanges(n, threads);
    const per = gemmScratchBytes({ m: Math.ceil(n / ranges.length) * outPixels(g) + MR, n: N, k: K }, 1);
    const scratch = lay.take(ranges.length * per);
    pool.reserve(lay.bytes);
    const mem = pool.f32();
    mem.set(x.subarray(b0 * inPixels(g), (b0 + n) * inPixels(g)), xs / 4);
    mem.set(w, ws / 4);
    if (bias) mem.set(bias, bs / 4);
    pool.run(
      ranges.map(([i0, i1], t): LoopCall[] => {
        // W is packed by the first run's calls only.
        const calls: LoopCall[] = [];
        for (let r0 = i0; r0 < i1; r0 += run) {
          const r1 = Math.min(i1, r0 + run);
          const colsT = cols + 4 * r0 * outPixels(g) * K;
          const product = gemmParts(
            { a: colsT, b: ws, bias: bs, c: c + 4 * r0 * outPixels(g) * N, m: (r1 - r0) * outPixels(g), n: N, k: K, rsA: 4 * K, ksA: 4, sbk: N, sbj: 1, relu, packedA: true },
            1,
            scratch + t * per,
          )[0];
          calls.push({ fn: 'im2panel', args: [xs + 4 * r0 * inPixels(g), colsT, ...geometryArgs(g, r1 - r0)] }, ...(r0 === i0 ? product : product.filter((p) => p.fn === 'gemm')));
        }
        return calls;
      }),
    );
    out.set(mem.subarray(c / 4, c / 4 + P * N), b0 * outPixels(g) * N);
  }
}

/**
 * dx = col2im(dy . W^T): each thread multiplies its images' rows of dy and scatters them into its images, `run`
 * images at a time (im2col.ts, gradientRunImages) so that a run's patch rows are still in its core's cache.
 */
export function threadedInputGrad(pool: KernelPool, dy: Float32Array, w: Float32Array, g: ConvGeometry, chunk: number, run: number, dx: Float32Array): void {
  const threads = pool.threads;
  const [, K] = patchShape(g, 1);
  const N = g.outC;
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const n = Math.min(chunk, g.n - b0);
    const [P] = patchShape(g, n);
    const ranges = imageRanges(n, threads);
    const [runRows] = patchShape(g, Math.min(run, Math.ceil(n / ranges.length)));
    const lay = new SharedLayout();
    const dys = lay.take(4 * P * N);
    const ws = lay.take(4 * K * N);
    const cols = lay.take(4 * ranges.length * runRows * K);
    const dxs = lay.take(4 * n * inPixels(g));
    const per = gemmScratchBytes({ m: runRows + MR, n: K, k: N }, 1);
    const scratch = lay.take(ranges.length * per);
    pool.reserve(lay.bytes);
    const mem = pool.f32();
    mem.set(dy.subarray(b0 * outPixels(g) * N, (b0 + n) * outPixels(g) * N), dys / 4);
    mem.set(w, ws / 4);
    mem.fill(0, dxs / 4, dxs / 4 + n * inPixels(g));
    pool.run(
      ranges.map(([i0, i1], t): LoopCall[] => {
        const colsT = cols + 4 * t * runRows * K;
        // W is packed by the first run's calls only.
        const calls: LoopCall[] = [];
        for (let r0 = i0; r0 < i1; r0 += run) {
          const r1 = Math.min(i1, r0 + run);
          // W viewed as K x N and used transposed: B(k, j) = W[j][k].
          const product = gemmParts(
            { a: dys + 4 * r0 * outPixels(g) * N, b: ws, bias: 0, c: colsT, m: (r1 - r0) * outPixels(g), n: K, k: N, rsA: 4 * N, ksA: 4, sbk: 1, sbj: N, relu: false },
            1,
            scratch + t * per,
          )[0];
          calls.push(...(r0 === i0 ? product : product.filter((p) => p.fn === 'gemm')), { fn: 'col2im', args: [colsT, dxs + 4 * r0 * inPixels(g), ...geometryArgs(g, r1 - r0)] });
        }
        return calls;
      }),
    );
    dx.set(mem.subarray(dxs / 4, dxs / 4 + n * inPixels(g)), b0 * inPixels(g));
  }
}

/** dW = sum over chunks of im2row(x)^T . dy: patches by image on every thread, then the product by channel strips. */
export function threadedFilterGrad(pool: KernelPool, x: Float32Array, dy: Float32Array, g: ConvGeometry, chunk: number, dw: Float32Array): void {
  const threads = pool.threads;
  const [, K] = patchShape(g, 1);
  const N = g.outC;
  for (let b0 = 0; b0 < g.n; b0 += chunk) {
    const n = Math.min(chunk, g.n - b0);
    const [P] = patchShape(g, n);
    const lay = new SharedLayout();
    const xs = lay.take(4 * n * inPixels(g));
    const dys = lay.take(4 * P * N);
    const cols = lay.take(4 * P * K);
    const c = lay.take(4 * K * N);
    const scratch = lay.take(threads * gemmScratchBytes({ m: K, n: N, k: P }, threads));
    pool.reserve(lay.bytes);
    const mem = pool.f32();
    mem.set(x.subarray(b0 * inPixels(g), (b0 + n) * inPixels(g)), xs / 4);
    mem.set(dy.subarray(b0 * outPixels(g) * N, (b0 + n) * outPixels(g) * N), dys / 4);
    pool.run(
      imageRanges(n, threads).map(([i0, i1]): LoopCall[] => [
        { fn: 'im2row', args: [xs + 4 * i0 * inPixels(g), cols + 4 * i0 * outPixels(g) * K, ...geometryArgs(g, i1 - i0)] },
      ]),
    );
    // cols^T . dy: A(i, k) = cols[k][i], read in place.
    pool.run(gemmParts({ a: cols, b: dys, bias: 0, c, m: K, n: N, k: P, rsA: 4, ksA: 4 * K, sbk: N, sbj: 1, relu: false }, threads, scratch));
    const part = mem.subarray(c / 4, c / 4 + K * N);
    if (b0 === 0) dw.set(part);
    else for (let i = 0; i < part.length; i++) dw[i] += part[i];
  }
}
