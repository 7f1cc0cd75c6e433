// How one gemm (gemm.ts) is shared between threads: by 8-column strips of B (each thread packs and computes
// its own strips; nothing is done twice) or, when there are too few strips to balance, by blocks of rows of A
// (each thread packs all of B, a small matrix then). Either way every output element is computed by the same
// sequence of operations as on one thread, so the product does not depend on the thread count.
import { MR, NR, packedFloats, productOffsets } from './gemm';
import { splitRange, type KernelPool, type LoopCall } from './kernelThreads';

/** A product in the shared memory; addresses in bytes, B in its raw (unpacked) layout. */
export interface GemmOperands {
  a: number;
  b: number;
  /** n floats, or 0 for none. */
  bias: number;
  c: number;
  m: number;
  n: number;
  k: number;
  /** A(i, k) at a + rsA*i + ksA*k bytes. */
  rsA: number;
  ksA: number;
  /** B(k, j) is the float at b + 4*(k*sbk + j*sbj). */
  sbk: number;
  sbj: number;
  relu: boolean;
  /** A's whole panels already in the micro-kernel's layout (im2panel.ts; rsA = 4k, ksA = 4). */
  packedA?: boolean;
}

export type GemmSplit = 'strips' | 'rows';

/** Strips when they divide evenly or are plentiful; rows when there are few strips and enough rows. */
export function gemmSplit(m: number, n: number, threads: number): GemmSplit {
  const strips = Math.ceil(n / NR);
  if (strips % threads === 0 || strips >= 4 * threads) return 'strips';
  return m >= 2 * MR * threads ? 'rows' : 'strips';
}

/** Scratch bytes each thread needs for a product, given how it is split. */
export function gemmScratchBytes(g: Pick<GemmOperands, 'm' | 'n' | 'k'>, threads: number): number {
  const split = gemmSplit(g.m, g.n, threads);
  const strips = Math.ceil(g.n / NR);
  const widest = split === 'rows' ? g.n : NR * Math.ceil(strips / Math.min(threads, strips));
  const tallest = split === 'rows' ? MR * Math.ceil(Math.ceil(g.m / MR) / threads) : g.m;
  // Byte multiple of 16 so the next thread's strips stay vector-aligned.
  return Math.ceil((4 * packedFloats(tallest, g.k, widest)) / 16) * 16;
}

/** The calls of each thread (at most `threads` parts); thread t uses scratch + t * gemmScratchBytes. */
export function gemmParts(g: GemmOperands, threads: number, scratch: number): LoopCall[][] {
  const per = gemmScratchBytes(g, threads);
  const ldc = 4 * g.n;
  const relu = g.relu ? 1 : 0;
  const calls = (t: number, col0: number, width: number, row0: number, rows: number): LoopCall[] => {
    const packed = scratch + t * per;
    const offsets = productOffsets(g.k, width);
    const packedBias = packed + offsets.bias;
    const block = packed + offsets.scratch;
    const out: LoopCall[] = [{ fn: 'pack8', args: [g.b + 4 * col0 * g.sbj, packed, g.k, width, g.sbk, g.sbj] }];
    if (g.bias) out.push({ fn: 'pack8', args: [g.bias + 4 * col0, packedBias, 1, width, 0, 1] });
    out.push({ fn: 'gemm', args: [g.a + row0 * g.rsA, packed, g.c + row0 * ldc + 4 * col0, g.bias ? packedBias : 0, rows, width, g.k, g.rsA, g.ksA, ldc, relu, block, 0, g.packedA ? 1 : 0] });
    return out;
  };
  if (gemmSplit(g.m, g.n, threads) === 'strips') {
    return splitRange(Math.ceil(g.n / NR), threads).map(([s0, s1], t) => calls(t, NR * s0, Math.min(g.n, NR * s1) - NR * s0, 0, g.m));
  }
  // Row blocks in multiples of the micro-kernel's height, so only the last block has a ragged tail.
  const blocks = Math.ceil(g.m / MR);
  return splitRange(blocks, threads).map(([b0, b1], t) => calls(t, 0, g.n, MR * b0, Math.min(g.m, MR * b1) - MR * b0));
}

/** Byte offsets in the shared memory, handed out in order, 16-byte aligned (from 64: address 0 stays unused). */
export class SharedLayout {
  private end = 64;
  take(bytes: number): number {
    const at = this.end;
    this.end = Math.ceil((at + bytes) / 16) * 16;
    return at;
  }
  get bytes(): number {
    return this.end;
  }
}

/** Products smaller than this (in multiply-adds) stay on one thread: the copies and the hand-off would cost more. */
export const THREADED_MIN_MACS = 1 << 20;

export interface ProductInput {
  /** A as stored: m x k, or k x m when transposed. */
  a: Float32Array;
  b: Float32Array;
  bias: Float32Array | null;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  relu: boolean;
}

/** C = op(A).op(B) (+ bias, relu) on the pool's threads: operands are copied into its memory and C back out. */
export function threadedProduct(pool: KernelPool, p: ProductInput, out: Float32Array): void {
  const { m, n, k } = p;
  const lay = new SharedLayout();
  const a = lay.take(4 * m * k);
  const b = lay.take(4 * k * n);
  const bias = p.bias ? lay.take(4 * n) : 0;
  const c = lay.take(4 * m * n);
  const threads = pool.threads;
  const scratch = lay.take(threads * gemmScratchBytes({ m, n, k }, threads));
  pool.reserve(lay.bytes);
  const mem = pool.f32();
  mem.set(p.a, a / 4);
  mem.set(p.b, b / 4);
  if (p.bias) mem.set(p.bias, bias / 4);
  const [rsA, ksA] = p.transposeA ? [4, 4 * m] : [4 * k, 4];
  const [sbk, sbj] = p.transposeB ? [1, k] : [n, 1];
  pool.run(gemmParts({ a, b, bias, c, m, n, k, rsA, ksA, sbk, sbj, relu: p.relu }, threads, scratch));
  out.set(mem.subarray(c / 4, c / 4 + m * n));
}
