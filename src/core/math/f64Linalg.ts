// Exact PCA's float64 hot loops in WebAssembly SIMD (f64x2): the scatter matrix X^T X. Each kernel performs the
// JS loop's IEEE operations in the JS loop's order for every output value (no fused multiply-add, no
// reassociation): SIMD lanes only compute different values side by side, so results are bit-identical to JS.
import { WA, PAGE, type WasmMemory } from '../wasm/api';
import { I32, V128, add, assemble, dsplat, f64, forRange, get, i32, loadSplat64, mul, set, shl, vdadd, vdmul, vload, vstore, type Code, type FuncDef } from '../wasm/asm';

/**
 * scat(blk, c, quads, b, cp): c[r][s] += sum_i x[i][r] x[i][s] over one block of b rows, for 4 x 4 tiles on and
 * above the diagonal. blk holds the block four columns at a time (blk[q][i][4]), so a tile reads its four rows'
 * values as splats and its four columns as two vectors; each of the 16 sums starts at 0 and runs over i in order,
 * then is added to c (cp x cp, cp = 4 quads): the JS scatter's per-block order. Tiles on the diagonal also fill
 * a few entries below it, which the caller never reads.
 */
function scatterKernel(): FuncDef {
  const [BLK, C, Q, B, CP] = [0, 1, 2, 3, 4];
  const [jq, kq, pa, pb, end, crow] = [5, 6, 7, 8, 9, 10];
  const [s, bv0, bv1] = [11, 12, 13];
  const acc = (m: number, h: number): number => 14 + 2 * m + h;
  const ms = [0, 1, 2, 3];
  const hs = [0, 1];
  const panel = (q: number): Code => add(get(BLK), shl(mul(get(q), get(B)), i32(5)));
  return {
    name: 'scat',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, V128, V128, V128, ...ms.flatMap(() => [V128, V128])],
    body: forRange(jq, i32(0), get(Q), forRange(kq, get(jq), get(Q), [
      ...ms.flatMap((m) => hs.flatMap((h) => set(acc(m, h), dsplat(f64(0))))),
      ...set(pb, panel(kq)),
      ...set(end, add(panel(jq), shl(get(B), i32(5)))),
      ...forRange(pa, panel(jq), get(end), [
        ...set(bv0, vload(get(pb))),
        ...set(bv1, vload(get(pb), 16)),
        ...ms.flatMap((m) => [
          ...set(s, loadSplat64(add(get(pa), i32(8 * m)))),
          ...set(acc(m, 0), vdadd(get(acc(m, 0)), vdmul(get(s), get(bv0)))),
          ...set(acc(m, 1), vdadd(get(acc(m, 1)), vdmul(get(s), get(bv1)))),
        ]),
        ...set(pb, add(get(pb), i32(32))),
      ], i32(32)),
      ...set(crow, add(get(C), shl(add(mul(get(jq), get(CP)), get(kq)), i32(5)))),
      ...ms.flatMap((m) => hs.flatMap((h) => {
        const addr = m === 0 ? get(crow) : add(get(crow), mul(get(CP), i32(8 * m)));
        return vstore(addr, vdadd(vload(addr, 16 * h), get(acc(m, h))), 16 * h);
      })),
    ])),
  };
}

interface Exports {
  scat(blk: number, c: number, quads: number, b: number, cp: number): void;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    const bytesOut = assemble([scatterKernel()]);
    compiled = WA.validate(bytesOut) ? new WA.Module(bytesOut) : null;
  }
  return compiled;
}

/** Workspaces up to this size are kept and reused; larger ones are one-off. */
const KEEP_BYTES = 64 << 20;
/** Largest memory these kernels take (beyond it the JS paths run). */
const MAX_BYTES = 1 << 30;

let kept: { memory: WasmMemory; exports: Exports } | null = null;

/** Memory of at least `size` bytes and the kernels bound to it; views into an earlier one may be detached. */
function workspace(size: number): { exports: Exports; buf: ArrayBuffer } | null {
  const mod = module();
  if (!mod || size > MAX_BYTES) return null;
  const pages = Math.max(1, Math.ceil(size / PAGE));
  try {
    if (size <= KEEP_BYTES) {
      if (!kept) {
        const memory = new WA.Memory({ initial: pages });
        kept = { memory, exports: new WA.Instance(mod, { env: { memory } }).exports as unknown as Exports };
      } else if (kept.memory.buffer.byteLength < size) {
        kept.memory.grow(pages - kept.memory.buffer.byteLength / PAGE);
      }
      return { exports: kept.exports, buf: kept.memory.buffer };
    }
    const memory = new WA.Memory({ initial: pages });
    return { exports: new WA.Instance(mod, { env: { memory } }).exports as unknown as Exports, buf: memory.buffer };
  } catch {
    return null; // no room for the memory: the JS path needs none
  }
}

/** The JS scatter's row block: the same blocks, so the same per-block sums. */
const BLOCK = 256;

/**
 * X^T X of xc (rows x cols) in wasm, bit-identical to linalg's scatter; null when wasm is unavailable. The block
 * of rows is copied in four columns at a time (zero columns pad the last four), and the upper triangle read back
 * and mirrored as the JS function does.
 */
export function scatterWasm(xc: Float64Array, rows: number, cols: number): Float64Array | null {
  const quads = Math.ceil(cols / 4);
  const cp = quads * 4;
  const blkBytes = quads * BLOCK * 32;
  const space = workspace(blkBytes + cp * cp * 8);
  if (!space) return null;
  const { exports, buf } = space;
  const blk = new Float64Array(buf, 0, quads * BLOCK * 4);
  const cw = new Float64Array(buf, blkBytes, cp * cp);
  cw.fill(0);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const b = Math.min(BLOCK, rows - r0);
    if (cp > cols) blk.fill(0, (quads - 1) * b * 4, quads * b * 4);
    for (let i = 0; i < b; i++) {
      const src = (r0 + i) * cols;
      for (let j = 0; j < cols; j++) blk[((j >> 2) * b + i) * 4 + (j & 3)] = xc[src + j];
    }
    exports.scat(0, blkBytes, quads, b, cp);
  }
  const c = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) {
    for (let k = j; k < cols; k++) c[j * cols + k] = cw[j * cp + k];
    for (let k = 0; k < j; k++) c[j * cols + k] = c[k * cols + j];
  }
  return c;
}
