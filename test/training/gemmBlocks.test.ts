// The gemm's blocks of k (gemm.ts, driver): a product whose A is read in place (a transposed A, e.g. a filter
// gradient's patches) over a long K runs in blocks that fit the cache, each continuing the sums from c. The same
// product with A laid out plainly takes the packed path in one pass, with the same operations in the same order
// per element, so both must give the same bits, and so must an A whose panels im2panel laid out beforehand:
// random data would expose any reordering or a lost block as a changed last bit. A float64 sum checks that both are the product at all.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/shared/rng';
import { WA } from '../../src/core/wasm/api';
import { KBLOCK_BYTES, KBLOCK_MIN, gemmScratchFloats, packedBFloats, productOffsets } from '../../src/core/training/wasmKernels/gemm';
import { compiledLoops, instantiateLoops } from '../../src/core/training/wasmKernels/loops';
import { panelsFromRows } from '../../src/core/training/wasmKernels/im2panel';

const random = (n: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
};

interface Product {
  m: number;
  n: number;
  k: number;
  bias: boolean;
  relu: boolean;
}

/**
 * C = relu?(A.B + bias) on the loops, on a fresh memory, A given as K x M (read in place), as M x K (packed by
 * the gemm), or as M x K with its whole panels laid out already (im2panel's layout, the gemm's `packed`).
 */
function product(p: Product, a: Float32Array, b: Float32Array, bias: Float32Array, layout: 'transposed' | 'rows' | 'panels'): Float32Array {
  const transposedA = layout === 'transposed';
  const compiled = compiledLoops('plain');
  if (!compiled) throw new Error('the wasm loops do not compile here');
  const { m, n, k } = p;
  const floats = [m * k, k * n, n, m * n, packedBFloats(k, n) + gemmScratchFloats(m, k)];
  const at: number[] = [];
  let end = 64;
  for (const f of floats) {
    at.push(end);
    end += Math.ceil((4 * f) / 16) * 16;
  }
  const memory = new WA.Memory({ initial: Math.ceil(end / 65536) + 1 });
  const loops = instantiateLoops(compiled, memory);
  const heap = new Float32Array(memory.buffer);
  const [aAt, bAt, biasAt, cAt, packed] = at;
  if (transposedA) {
    for (let i = 0; i < m; i++) for (let kk = 0; kk < k; kk++) heap[aAt / 4 + kk * m + i] = a[i * k + kk];
  } else {
    heap.set(layout === 'panels' ? panelsFromRows(a, m, k) : a, aAt / 4);
  }
  heap.set(b, bAt / 4);
  heap.set(bias, biasAt / 4);
  heap.fill(Number.NaN, cAt / 4, cAt / 4 + m * n);
  const offsets = productOffsets(k, n);
  loops.pack8(bAt, packed, k, n, n, 1);
  if (p.bias) loops.pack8(biasAt, packed + offsets.bias, 1, n, 0, 1);
  const [rsA, ksA] = transposedA ? [4, 4 * m] : [4 * k, 4];
  loops.gemm(aAt, packed, cAt, p.bias ? packed + offsets.bias : 0, m, n, k, rsA, ksA, 4 * n, p.relu ? 1 : 0, packed + offsets.scratch, 0, layout === 'panels' ? 1 : 0);
  return heap.slice(cAt / 4, cAt / 4 + m * n);
}

/** k per block for an in-place A of m rows, as the driver computes it (K itself when blocks would be too short). */
const blockOf = (m: number, k: number): number => {
  const kb = Math.floor(KBLOCK_BYTES / (4 * m));
  return kb < KBLOCK_MIN ? k : kb;
};

const CASES: Product[] = [
  // a filter gradient's shape: 144 rows (3 x 3 x 16), long K, whole strips
  { m: 144, n: 32, k: 2000, bias: false, relu: false },
  // row tails (m mod 4), a partial last strip, bias and relu (applied once, after the last block)
  { m: 150, n: 13, k: 1900, bias: true, relu: true },
  { m: 1000, n: 20, k: 300, bias: true, relu: false },
  { m: 7, n: 9, k: 20000, bias: false, relu: true },
  { m: 3, n: 5, k: 45000, bias: true, relu: true },
  // rows too wide for blocks of KBLOCK_MIN: one pass
  { m: 3000, n: 16, k: 90, bias: false, relu: false },
];

describe('gemm in blocks of k', () => {
  it.each(CASES)('m $m, n $n, k $k, bias $bias, relu $relu: in place and packed give the same bits', (p) => {
    const a = random(p.m * p.k, 1);
    const b = random(p.k * p.n, 2);
    const bias = random(p.n, 3);
    const inPlace = product(p, a, b, bias, 'transposed');
    const packed = product(p, a, b, bias, 'rows');
    expect(Buffer.from(inPlace.buffer).equals(Buffer.from(packed.buffer))).toBe(true);
    expect(Buffer.from(product(p, a, b, bias, 'panels').buffer).equals(Buffer.from(packed.buffer)), 'A packed beforehand').toBe(true);
    let worst = 0;
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let s = p.bias ? bias[j] : 0;
        for (let kk = 0; kk < p.k; kk++) s += a[i * p.k + kk] * b[kk * p.n + j];
        if (p.relu) s = Math.max(0, s);
        worst = Math.max(worst, Math.abs(inPlace[i * p.n + j] - s) / (1 + Math.abs(s)));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('the cases do cover several blocks with a short last one, and one pass', () => {
    const blocks = CASES.map((p) => p.k / blockOf(p.m, p.k));
    expect(blocks.filter((n) => n > 1 && !Number.isInteger(n)).length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((n) => n === 1).length).toBeGreaterThanOrEqual(1);
  });
});
