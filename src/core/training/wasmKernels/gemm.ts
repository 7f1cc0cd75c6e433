// Single-precision matrix product C = A.B (+ bias, optional relu) in WebAssembly SIMD, for the wasm backend.
// Why not the stock kernel: XNNPACK creates an operator per new right-hand tensor and re-packs it every call,
// which in training is every call (weights and gradients are fresh tensors each step), and it sends transposed
// operands to a scalar loop. Here B is packed once per call into 8-column strips (a cheap O(K.N) copy that
// also absorbs a transpose) and a 4x8 register-blocked micro-kernel (8 accumulators, loads with splat) does
// the O(M.K.N) work on panels of 4 rows of A whose 4 values per k sit 4 bytes apart: a transposed A is such
// a panel in place; a plain one is first copied into that layout (O(M.K)). The kernel then addresses A with
// one pointer and constant offsets: 39 -> 43-47 GFLOP/s here over reading 4 strided rows. V8 keeps at most
// ~15 vectors in registers, so 4x8 is the largest block (5x8 and 6x8 spill and run at half speed).
// Loop order: strip outer, panels inner, so one K x 8 strip stays in L1 while the panels of A stream past.
import { I32, V128, add, and, call, or, divU, eq, ltU, uleb, f32, forRange, get, i32, ifThen, leS, load, loadSplat, ltS, mul, set, shl, shrU, shuffle32, store, sub, vadd, vload, vmadd, vpmax, vmul, vstore, vzero, type Code, type FuncDef } from '../../wasm/asm';

/** Floats per strip row: two f32x4 vectors. */
export const NR = 8;
/** Rows per micro-kernel call (and a one-row kernel for the tail). */
export const MR = 4;

const simdOp = (op: number): Code => [0xfd, op];
/** v128.load32_splat with a constant byte offset. */
const splatAt = (addr: Code, offset: number): Code => [...addr, ...simdOp(0x09), 0x02, ...uleb(offset)];
/** do { body } while (cond) */
const doWhile = (body: Code, cond: Code): Code => [0x03, 0x40, ...body, ...cond, 0x0d, 0x00, 0x0b];

/** Each row's two accumulators loaded from c's row r (ldc bytes apart): sums continued from an earlier block. */
const accumulatorsFromC = (rows: number[], acc: (r: number, half: number) => number, c: number, ldc: number): Code =>
  rows.flatMap((r) => [0, 1].flatMap((h) => set(acc(r, h), vload(add(get(c), mul(get(ldc), i32(r))), 16 * h))));

/**
 * panel(ap, ainc, p, pEnd, c, ldc, bias, relu, loadc): c[r][0..8] = relu?(start[r] + sum_k A(r, k) * p[k][0..8])
 * for r < 4, where A(r, k) is the float at ap + k*ainc + 4r, the packed strip runs from p to pEnd (K > 0), and
 * start is c's own row when loadc (a product summed in blocks of k), else bias[0..8] or 0.
 */
function panelKernel(fma: boolean): FuncDef {
  const madd = (a: Code, b: Code, c: Code): Code => (fma ? vmadd(a, b, c) : vadd(c, vmul(a, b)));
  const [AP, AINC, P, PEND, C, LDC, BIAS, RELU, LOADC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const acc = (r: number, half: number): number => 9 + 2 * r + half;
  const [b0, b1, av] = [9 + 2 * MR, 10 + 2 * MR, 11 + 2 * MR];
  const rowsList = Array.from({ length: MR }, (_, r) => r);
  const init = (v: (half: number) => Code): Code => rowsList.flatMap((r) => [...set(acc(r, 0), v(0)), ...set(acc(r, 1), v(1))]);
  const step: Code = [
    ...set(b0, vload(get(P))),
    ...set(b1, vload(get(P), 16)),
    ...rowsList.flatMap((r) => [
      ...set(av, splatAt(get(AP), 4 * r)),
      ...set(acc(r, 0), madd(get(av), get(b0), get(acc(r, 0)))),
      ...set(acc(r, 1), madd(get(av), get(b1), get(acc(r, 1)))),
    ]),
    ...set(P, add(get(P), i32(4 * NR))),
    ...set(AP, add(get(AP), get(AINC))),
  ];
  return {
    name: 'panel',
    params: Array<number>(9).fill(I32),
    locals: [...rowsList.flatMap(() => [V128, V128]), V128, V128, V128],
    body: [
      ...ifThen(
        get(LOADC),
        accumulatorsFromC(rowsList, acc, C, LDC),
        ifThen(get(BIAS), init((half) => vload(get(BIAS), 16 * half)), init(() => vzero())),
      ),
      ...doWhile(step, ltU(get(P), get(PEND))),
      // relu as pmax(sum, 0) (sum < 0 ? 0 : sum, NaN kept): one x86 instruction where f32x4.max takes ~8 for
      // its NaN and -0 rules; a sum is never -0 (it starts from +0 or a bias), so the values are max's.
      ...ifThen(get(RELU), rowsList.flatMap((r) => [0, 1].flatMap((h) => set(acc(r, h), vpmax(get(acc(r, h)), vzero()))))),
      ...rowsList.flatMap((r) => [
        ...vstore(add(get(C), mul(get(LDC), i32(r))), get(acc(r, 0))),
        ...vstore(add(get(C), mul(get(LDC), i32(r))), get(acc(r, 1)), 16),
      ]),
    ],
  };
}

/**
 * packA(a, dst, panels, K, rsA, ksA): dst[q][k][0..4] = A(4q + r, k) for q < panels, r < 4; A(i, k) is the
 * float at a + i*rsA + k*ksA (bytes). Only whole panels: the last M mod 4 rows are left to the one-row kernel.
 * A row-major A (ksA = 4, e.g. im2row's patches) moves in 4 x 4 blocks transposed by shuffles (four k of each
 * of the panel's rows in, four k-slices of the panel out); the last K mod 4 columns, and other layouts, one
 * float at a time.
 */
const packA: FuncDef = (() => {
  const [A, D, Q, K, RSA, KSA] = [0, 1, 2, 3, 4, 5];
  const [q, k, src, K4] = [6, 7, 8, 9];
  const [r0, t0, t1, t2, t3] = [10, 14, 15, 16, 17];
  const oneK = [
    ...Array.from({ length: MR }, (_, r) => store(add(get(D), i32(4 * r)), load(add(get(src), mul(get(RSA), i32(r)))))).flat(),
    ...set(D, add(get(D), i32(4 * MR))),
    ...set(src, add(get(src), get(KSA))),
  ];
  const fourK = [
    ...[0, 1, 2, 3].flatMap((r) => set(r0 + r, vload(add(get(src), mul(get(RSA), i32(r)))))),
    ...set(t0, shuffle32(get(r0), get(r0 + 1), [0, 4, 1, 5])),
    ...set(t1, shuffle32(get(r0 + 2), get(r0 + 3), [0, 4, 1, 5])),
    ...set(t2, shuffle32(get(r0), get(r0 + 1), [2, 6, 3, 7])),
    ...set(t3, shuffle32(get(r0 + 2), get(r0 + 3), [2, 6, 3, 7])),
    ...vstore(get(D), shuffle32(get(t0), get(t1), [0, 1, 4, 5])),
    ...vstore(get(D), shuffle32(get(t0), get(t1), [2, 3, 6, 7]), 16),
    ...vstore(get(D), shuffle32(get(t2), get(t3), [0, 1, 4, 5]), 32),
    ...vstore(get(D), shuffle32(get(t2), get(t3), [2, 3, 6, 7]), 48),
    ...set(D, add(get(D), i32(16 * MR))),
    ...set(src, add(get(src), i32(16))),
  ];
  return {
    name: 'packA',
    params: Array<number>(6).fill(I32),
    locals: [I32, I32, I32, I32, ...Array<number>(8).fill(V128)],
    body: [
      // K4: the k handled in blocks of four (none unless A's rows are contiguous).
      ...set(K4, i32(0)),
      ...ifThen(eq(get(KSA), i32(4)), set(K4, and(get(K), i32(-4)))),
      ...forRange(q, i32(0), get(Q), [
        ...set(src, add(get(A), mul(shl(get(q), i32(2)), get(RSA)))),
        ...forRange(k, i32(0), get(K4), fourK, i32(4)),
        ...forRange(k, get(K4), get(K), oneK),
      ]),
    ],
  };
})();

/**
 * mk{rows}(a, rsA, ksA, p, K, c, ldc, bias, relu, loadc): c[r][0..8] = relu?(start[r] + sum_k A(r, k) * p[k][0..8])
 * for r < rows; A(r, k) is at a + r*rsA + k*ksA (bytes), p is a packed K x 8 strip, c rows are ldc bytes apart,
 * start is c's own row when loadc, else bias[0..8] (a pointer to 8 floats) or 0.
 */
function microKernel(rows: number, fma: boolean): FuncDef {
  const madd = (a: Code, b: Code, c: Code): Code => (fma ? vmadd(a, b, c) : vadd(c, vmul(a, b)));
  const [A0, RSA, KSA, P, K, C, LDC, BIAS, RELU, LOADC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const k = 10;
  const koff = 11;
  const p = 12;
  const rowPtr = (r: number): number => 13 + r;
  const acc = (r: number, half: number): number => 13 + rows + 2 * r + half;
  const b0 = 13 + 3 * rows;
  const b1 = b0 + 1;
  const av = b0 + 2;
  const rowsList = Array.from({ length: rows }, (_, r) => r);
  const init = (v: (half: number) => Code): Code => rowsList.flatMap((r) => [...set(acc(r, 0), v(0)), ...set(acc(r, 1), v(1))]);
  const step: Code = [
    ...set(b0, vload(get(p))),
    ...set(b1, vload(get(p), 16)),
    ...rowsList.flatMap((r) => [
      ...set(av, loadSplat(add(get(rowPtr(r)), get(koff)))),
      ...set(acc(r, 0), madd(get(av), get(b0), get(acc(r, 0)))),
      ...set(acc(r, 1), madd(get(av), get(b1), get(acc(r, 1)))),
    ]),
    ...set(p, add(get(p), i32(4 * NR))),
    ...set(koff, add(get(koff), get(KSA))),
  ];
  return {
    name: `mk${rows}`,
    params: Array<number>(10).fill(I32),
    locals: [I32, I32, I32, ...rowsList.map(() => I32), ...rowsList.flatMap(() => [V128, V128]), V128, V128, V128],
    body: [
      ...rowsList.flatMap((r) => set(rowPtr(r), add(get(A0), mul(get(RSA), i32(r))))),
      ...ifThen(
        get(LOADC),
        accumulatorsFromC(rowsList, acc, C, LDC),
        ifThen(get(BIAS), init((half) => vload(get(BIAS), 16 * half)), init(() => vzero())),
      ),
      ...set(p, get(P)),
      ...set(koff, i32(0)),
      ...forRange(k, i32(0), get(K), step),
      // relu as pmax: see panelKernel.
      ...ifThen(get(RELU), rowsList.flatMap((r) => [0, 1].flatMap((h) => set(acc(r, h), vpmax(get(acc(r, h)), vzero()))))),
      ...rowsList.flatMap((r) => [
        ...vstore(add(get(C), mul(get(LDC), i32(r))), get(acc(r, 0))),
        ...vstore(add(get(C), mul(get(LDC), i32(r))), get(acc(r, 1)), 16),
      ]),
    ],
  };
}

/**
 * pack8(b, p, K, N, sbk, sbj): p[s][k][0..8] = B(k, 8s + j), zero past column N; B(k, j) is the float at
 * b + 4*(k*sbk + j*sbj). Rows of a plain B move as two vectors. A transposed B (sbk = 1: the backward pass's
 * dY.W^T, whose W rows are B's columns) moves in 4 x 4 blocks: four floats down each of 8 columns, transposed
 * in registers by shuffles (the element-at-a-time loop cost ~6% of a dense step); the last K mod 4 rows and a
 * partial last strip go one float at a time.
 */
const pack8: FuncDef = (() => {
  const [B, P, K, N, SBK, SBJ] = [0, 1, 2, 3, 4, 5];
  const [s, k, j, S, col, dst, K4] = [6, 7, 8, 9, 10, 11, 12];
  const [r0, t0, t1, t2, t3] = [13, 17, 18, 19, 20];
  const stripRow = (kk: Code): Code => add(get(P), shl(add(mul(get(s), get(K)), kk), i32(5)));
  const wholeRows = forRange(k, i32(0), get(K), [
    ...set(col, add(get(B), shl(add(mul(get(k), get(SBK)), shl(get(s), i32(3))), i32(2)))),
    ...set(dst, stripRow(get(k))),
    ...vstore(get(dst), vload(get(col))),
    ...vstore(get(dst), vload(get(col), 16), 16),
  ]);
  const elementAt = (kk: Code, jj: Code): Code =>
    store(add(stripRow(kk), shl(jj, i32(2))), load(add(get(B), shl(add(mul(kk, get(SBK)), mul(add(shl(get(s), i32(3)), jj), get(SBJ))), i32(2)))));
  const byColumn = forRange(j, i32(0), i32(NR), [
    ...set(col, add(shl(get(s), i32(3)), get(j))),
    ...ifThen(
      ltS(get(col), get(N)),
      forRange(k, i32(0), get(K), elementAt(get(k), get(j))),
      forRange(k, i32(0), get(K), store(add(stripRow(get(k)), shl(get(j), i32(2))), f32(0))),
    ),
  ]);
  // Column 8s + h of B starts at b + 4*(8s + h)*sbj; its floats k..k+3 are one vector when sbk = 1.
  const columnRun = (h: number): Code => vload(add(get(B), shl(add(mul(add(shl(get(s), i32(3)), i32(h)), get(SBJ)), get(k)), i32(2))));
  const half = (h0: number): Code => [
    ...[0, 1, 2, 3].flatMap((h) => set(r0 + h, columnRun(h0 + h))),
    ...set(t0, shuffle32(get(r0), get(r0 + 1), [0, 4, 1, 5])),
    ...set(t1, shuffle32(get(r0 + 2), get(r0 + 3), [0, 4, 1, 5])),
    ...set(t2, shuffle32(get(r0), get(r0 + 1), [2, 6, 3, 7])),
    ...set(t3, shuffle32(get(r0 + 2), get(r0 + 3), [2, 6, 3, 7])),
    ...vstore(get(dst), shuffle32(get(t0), get(t1), [0, 1, 4, 5]), 4 * h0),
    ...vstore(get(dst), shuffle32(get(t0), get(t1), [2, 3, 6, 7]), 32 + 4 * h0),
    ...vstore(get(dst), shuffle32(get(t2), get(t3), [0, 1, 4, 5]), 64 + 4 * h0),
    ...vstore(get(dst), shuffle32(get(t2), get(t3), [2, 3, 6, 7]), 96 + 4 * h0),
  ];
  const transposedBlocks = [
    ...forRange(k, i32(0), get(K4), [...set(dst, stripRow(get(k))), ...half(0), ...half(4)], i32(4)),
    ...forRange(j, i32(0), i32(NR), forRange(k, get(K4), get(K), elementAt(get(k), get(j)))),
  ];
  const full = leS(add(shl(get(s), i32(3)), i32(NR)), get(N));
  return {
    name: 'pack8',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, ...Array<number>(8).fill(V128)],
    body: [
      ...set(S, shrU(add(get(N), i32(NR - 1)), i32(3))),
      ...set(K4, and(get(K), i32(-4))),
      ...forRange(s, i32(0), get(S), ifThen(and(eq(get(SBJ), i32(1)), full), wholeRows, ifThen(and(eq(get(SBK), i32(1)), full), transposedBlocks, byColumn))),
    ],
  };
})();

/**
 * Bytes of A one block of k may span when A is read in place (see driver): half of a 1 MB L2. Filter gradients
 * of 64 -> 128 channels (6,272 patches) 86 -> 25 ms; of 128 -> 256 (1,152 rows of A) 256 KB blocks would be too
 * short to pay (66-75 ms), 512 KB ones 31-32 against 49-86 in one pass.
 */
export const KBLOCK_BYTES = 1 << 19;
/** Fewest k per block: with rows of A wider than KBLOCK_BYTES / (4 * KBLOCK_MIN), shorter blocks would spend
 * their time loading and storing c, so such products run in one pass. */
export const KBLOCK_MIN = 64;

/**
 * gemm(a, p, c, bias, M, N, K, rsA, ksA, ldc, relu, scratch, acc, packed): C = relu?(start + A.B) with B
 * packed by pack8 into p, start = c's own values when acc (a product over K summed across calls, e.g. a filter
 * gradient in runs of images), else bias packed the same way (a 1 x N matrix) or 0; c rows ldc bytes apart.
 * With `packed`, A's whole panels are at a in packA's layout already (im2panel.ts) and its last M mod 4 rows
 * row-major after them (rsA = 4K, ksA = 4), so nothing is copied. scratch holds a partial
 * strip's block (so nothing is written past column N) and, unless A's rows are 4 bytes apart already, A's
 * whole panels (see packA): scratchFloats(M, K).
 * A read in place (a transposed A, e.g. a filter gradient's patches) has one panel's 4 floats per k a whole
 * row of the patches apart, so a panel touches K cache lines; over a long K (a batch of patches) they leave
 * the cache before the next panel, which shares them, comes by. So such a product runs in blocks of k that fit
 * the cache, every block over every strip and panel, each block's sums continuing from c: the operations, and
 * their order per element, are those of one pass, so are the bits.
 */
function driver(panel: number, mk1: number, pack: number): FuncDef {
  const [A, P, C, BIAS, M, N, K, RSA, KSA, LDC, RELU, SCRATCH, ACC, PACKED] = Array.from({ length: 14 }, (_, i) => i);
  const [s, q, S, p, cs, bs, w, r, j, Q, ap, ainc, i, k0, kl, kb, lc, rl] = Array.from({ length: 18 }, (_, n) => 14 + n);
  const scratchAt = (rr: Code, jj: Code): Code => add(get(SCRATCH), shl(add(mul(rr, i32(NR)), jj), i32(2)));
  const cAt = (row: Code, jj: Code): Code => add(add(get(cs), mul(row, get(LDC))), shl(jj, i32(2)));
  /** A partial strip runs on the scratch block: c's w columns are copied in first when the sums continue. */
  const partial = (rows: number, kernelArgs: (c: Code, ldc: Code) => Code): Code => [
    ...ifThen(get(lc), forRange(r, i32(0), i32(rows), forRange(j, i32(0), get(w), store(scratchAt(get(r), get(j)), load(cAt(add(get(i), get(r)), get(j))))))),
    ...kernelArgs(get(SCRATCH), i32(4 * NR)),
    ...forRange(r, i32(0), i32(rows), forRange(j, i32(0), get(w), store(cAt(add(get(i), get(r)), get(j)), load(scratchAt(get(r), get(j)))))),
  ];
  const run = (rows: number, kernelArgs: (c: Code, ldc: Code) => Code): Code =>
    ifThen(leS(i32(NR), get(w)), kernelArgs(add(get(cs), mul(get(i), get(LDC))), get(LDC)), partial(rows, kernelArgs));
  const panelCall = (c: Code, ldc: Code): Code =>
    call(panel, [add(add(get(ap), mul(get(q), get(Q))), mul(get(k0), get(ainc))), get(ainc), get(p), add(get(p), shl(get(kl), i32(5))), c, ldc, get(bs), get(rl), get(lc)]);
  const rowCall = (c: Code, ldc: Code): Code =>
    call(mk1, [add(add(get(A), mul(get(i), get(RSA))), mul(get(k0), get(KSA))), get(RSA), get(KSA), get(p), get(kl), c, ldc, get(bs), get(rl), get(lc)]);
  return {
    name: 'gemm',
    params: Array<number>(14).fill(I32),
    locals: Array<number>(18).fill(I32),
    body: [
      ...set(S, shrU(add(get(N), i32(NR - 1)), i32(3))),
      ...set(kb, get(K)),
      // ap, ainc: where panel 0 starts and the byte step per k; Q: bytes from one panel to the next. A panel is
      // in place when A's rows are 4 bytes apart (a transposed A), else packed into scratch after the block.
      ...ifThen(
        eq(get(RSA), i32(4)),
        [
          ...set(ap, get(A)),
          ...set(ainc, get(KSA)),
          ...set(Q, i32(4 * MR)),
          ...set(kb, divU(i32(KBLOCK_BYTES), shl(get(M), i32(2)))),
          ...ifThen(ltS(get(kb), i32(KBLOCK_MIN)), set(kb, get(K))),
        ],
        [
          ...set(ainc, i32(4 * MR)),
          ...set(Q, shl(get(K), i32(4))),
          ...ifThen(
            get(PACKED),
            set(ap, get(A)),
            [...set(ap, add(get(SCRATCH), i32(4 * MR * NR))), ...call(pack, [get(A), get(ap), shrU(get(M), i32(2)), get(K), get(RSA), get(KSA)])],
          ),
        ],
      ),
      ...forRange(k0, i32(0), get(K), [
        ...set(kl, sub(get(K), get(k0))),
        ...ifThen(ltS(get(kb), get(kl)), set(kl, get(kb))),
        // Sums continue from c after the first block (or from the start, with acc); relu only once they are complete.
        ...set(lc, or(ltU(i32(0), get(k0)), get(ACC))),
        ...set(rl, and(get(RELU), eq(add(get(k0), get(kl)), get(K)))),
        ...forRange(s, i32(0), get(S), [
          ...set(p, add(get(P), shl(add(mul(get(s), get(K)), get(k0)), i32(5)))),
          ...set(cs, add(get(C), shl(get(s), i32(5)))),
          ...set(bs, i32(0)),
          ...ifThen(get(BIAS), set(bs, add(get(BIAS), shl(get(s), i32(5))))),
          ...set(w, sub(get(N), shl(get(s), i32(3)))),
          ...forRange(q, i32(0), shrU(get(M), i32(2)), [...set(i, shl(get(q), i32(2))), ...run(MR, panelCall)]),
          ...forRange(i, and(get(M), i32(-MR)), get(M), run(1, rowCall)),
        ]),
      ], get(kb)),
    ],
  };
}

/**
 * The gemm functions, for a module in which they start at function index `base`. With `fma` the micro-kernels
 * use relaxed SIMD's fused multiply-add (~25 -> ~32 GFLOP/s here); engines without relaxed SIMD reject such a
 * module, and the caller then assembles the plain one.
 */
export function gemmFuncs(base: number, fma: boolean): FuncDef[] {
  return [panelKernel(fma), microKernel(1, fma), pack8, packA, driver(base, base + 1, base + 3)];
}

/** Floats of B's packed strips (and the bias's) that pack8 writes for a K x N operand. */
export const packedBFloats = (K: number, N: number): number => {
  const strips = Math.ceil(N / NR);
  return strips * K * NR + strips * NR;
};

/** Floats of the gemm's own scratch for an M x K left operand: one block, and A's whole panels. */
export const gemmScratchFloats = (M: number, K: number): number => MR * NR + (M - (M % MR)) * K;

/** Floats one product needs in all: B's packed strips, the bias's, then the gemm's scratch. */
export const packedFloats = (M: number, K: number, N: number): number => packedBFloats(K, N) + gemmScratchFloats(M, K);

/** Byte offsets inside one product's scratch (see packedFloats): the packed bias, and the gemm's own scratch. */
export function productOffsets(K: number, N: number): { bias: number; scratch: number } {
  const strips = Math.ceil(N / NR);
  return { bias: 4 * strips * K * NR, scratch: 4 * packedBFloats(K, N) };
}
