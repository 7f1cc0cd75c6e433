// Single-precision matrix product C = A.B (+ bias, optional relu) in WebAssembly SIMD, for the wasm backend.
// Why not the stock kernel: XNNPACK creates an operator per new right-hand tensor and re-packs it every call,
// which in training is every call (weights and gradients are fresh tensors each step), and it sends transposed
// operands to a scalar loop. Here B is packed once per call into 8-column strips (a cheap O(K.N) copy that
// also absorbs a transpose), A is read in place through row/column strides (so A^T costs nothing), and a
// 4x8 register-blocked micro-kernel (8 accumulators, loads with splat) does the O(M.K.N) work.
// Loop order: strip outer, rows inner, so one K x 8 strip stays in L1 while the rows of A stream past.
import { I32, V128, add, and, call, eq, f32, forRange, get, i32, ifThen, leS, load, loadSplat, ltS, mul, set, shl, shrU, store, sub, vadd, vload, vmadd, vmax, vmul, vstore, vzero, type Code, type FuncDef } from '../../wasm/asm';

/** Floats per strip row: two f32x4 vectors. */
export const NR = 8;
/** Rows per micro-kernel call (and a one-row kernel for the tail). */
export const MR = 4;

/**
 * mk{rows}(a, rsA, ksA, p, K, c, ldc, bias, relu): c[r][0..8] = relu?(bias[0..8] + sum_k A(r, k) * p[k][0..8])
 * for r < rows; A(r, k) is at a + r*rsA + k*ksA (bytes), p is a packed K x 8 strip, c rows are ldc bytes apart,
 * bias is a pointer to 8 floats or 0.
 */
function microKernel(rows: number, fma: boolean): FuncDef {
  const madd = (a: Code, b: Code, c: Code): Code => (fma ? vmadd(a, b, c) : vadd(c, vmul(a, b)));
  const [A0, RSA, KSA, P, K, C, LDC, BIAS, RELU] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const k = 9;
  const koff = 10;
  const p = 11;
  const rowPtr = (r: number): number => 12 + r;
  const acc = (r: number, half: number): number => 12 + rows + 2 * r + half;
  const b0 = 12 + 3 * rows;
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
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, ...rowsList.map(() => I32), ...rowsList.flatMap(() => [V128, V128]), V128, V128, V128],
    body: [
      ...rowsList.flatMap((r) => set(rowPtr(r), add(get(A0), mul(get(RSA), i32(r))))),
      ...ifThen(get(BIAS), init((half) => vload(get(BIAS), 16 * half)), init(() => vzero())),
      ...set(p, get(P)),
      ...set(koff, i32(0)),
      ...forRange(k, i32(0), get(K), step),
      ...ifThen(get(RELU), rowsList.flatMap((r) => [0, 1].flatMap((h) => set(acc(r, h), vmax(get(acc(r, h)), vzero()))))),
      ...rowsList.flatMap((r) => [
        ...vstore(add(get(C), mul(get(LDC), i32(r))), get(acc(r, 0))),
        ...vstore(add(get(C), mul(get(LDC), i32(r))), get(acc(r, 1)), 16),
      ]),
    ],
  };
}

/**
 * pack8(b, p, K, N, sbk, sbj): p[s][k][0..8] = B(k, 8s + j), zero past column N; B(k, j) is the float at
 * b + 4*(k*sbk + j*sbj). Rows of a plain B move as two vectors; a transposed B (sbk = 1) is read down its rows.
 */
const pack8: FuncDef = (() => {
  const [B, P, K, N, SBK, SBJ] = [0, 1, 2, 3, 4, 5];
  const [s, k, j, S, col, dst] = [6, 7, 8, 9, 10, 11];
  const stripRow = (kk: Code): Code => add(get(P), shl(add(mul(get(s), get(K)), kk), i32(5)));
  const wholeRows = forRange(k, i32(0), get(K), [
    ...set(col, add(get(B), shl(add(mul(get(k), get(SBK)), shl(get(s), i32(3))), i32(2)))),
    ...set(dst, stripRow(get(k))),
    ...vstore(get(dst), vload(get(col))),
    ...vstore(get(dst), vload(get(col), 16), 16),
  ]);
  const byColumn = forRange(j, i32(0), i32(NR), [
    ...set(col, add(shl(get(s), i32(3)), get(j))),
    ...ifThen(
      ltS(get(col), get(N)),
      forRange(k, i32(0), get(K), store(add(stripRow(get(k)), shl(get(j), i32(2))), load(add(get(B), shl(add(mul(get(k), get(SBK)), mul(get(col), get(SBJ))), i32(2)))))),
      forRange(k, i32(0), get(K), store(add(stripRow(get(k)), shl(get(j), i32(2))), f32(0))),
    ),
  ]);
  return {
    name: 'pack8',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32],
    body: [
      ...set(S, shrU(add(get(N), i32(NR - 1)), i32(3))),
      ...forRange(s, i32(0), get(S), ifThen(and(eq(get(SBJ), i32(1)), leS(add(shl(get(s), i32(3)), i32(NR)), get(N))), wholeRows, byColumn)),
    ],
  };
})();

/**
 * gemm(a, p, c, bias, M, N, K, rsA, ksA, ldc, relu, scratch): C = relu?(A.B + bias) with B packed by pack8
 * into p, bias packed the same way (a 1 x N matrix) or 0, c rows ldc bytes apart. Partial strips go through
 * scratch (4 x 8 floats) so nothing is written past column N.
 */
function driver(mk4: number, mk1: number): FuncDef {
  const [A, P, C, BIAS, M, N, K, RSA, KSA, LDC, RELU, SCRATCH] = Array.from({ length: 12 }, (_, i) => i);
  const [s, i, S, p, cs, bs, w, r, j, M4] = Array.from({ length: 10 }, (_, n) => 12 + n);
  const block = (mk: number, rows: number): Code =>
    ifThen(
      leS(i32(NR), get(w)),
      call(mk, [add(get(A), mul(get(i), get(RSA))), get(RSA), get(KSA), get(p), get(K), add(get(cs), mul(get(i), get(LDC))), get(LDC), get(bs), get(RELU)]),
      [
        ...call(mk, [add(get(A), mul(get(i), get(RSA))), get(RSA), get(KSA), get(p), get(K), get(SCRATCH), i32(4 * NR), get(bs), get(RELU)]),
        ...forRange(r, i32(0), i32(rows), forRange(j, i32(0), get(w),
          store(add(add(get(cs), mul(add(get(i), get(r)), get(LDC))), shl(get(j), i32(2))), load(add(get(SCRATCH), shl(add(mul(get(r), i32(NR)), get(j)), i32(2))))))),
      ],
    );
  return {
    name: 'gemm',
    params: Array<number>(12).fill(I32),
    locals: Array<number>(10).fill(I32),
    body: [
      ...set(S, shrU(add(get(N), i32(NR - 1)), i32(3))),
      ...set(M4, and(get(M), i32(-MR))),
      ...forRange(s, i32(0), get(S), [
        ...set(p, add(get(P), shl(mul(get(s), get(K)), i32(5)))),
        ...set(cs, add(get(C), shl(get(s), i32(5)))),
        ...set(bs, i32(0)),
        ...ifThen(get(BIAS), set(bs, add(get(BIAS), shl(get(s), i32(5))))),
        ...set(w, sub(get(N), shl(get(s), i32(3)))),
        ...forRange(i, i32(0), get(M4), block(mk4, MR), i32(MR)),
        ...forRange(i, get(M4), get(M), block(mk1, 1)),
      ]),
    ],
  };
}

/**
 * The gemm functions, for a module in which they start at function index `base`. With `fma` the micro-kernels
 * use relaxed SIMD's fused multiply-add (~25 -> ~32 GFLOP/s here); engines without relaxed SIMD reject such a
 * module, and the caller then assembles the plain one.
 */
export function gemmFuncs(base: number, fma: boolean): FuncDef[] {
  return [microKernel(MR, fma), microKernel(1, fma), pack8, driver(base, base + 1)];
}

/** Floats of scratch one product needs: the packed strips of B and of the bias, and one partial block. */
export const packedFloats = (K: number, N: number): number => {
  const strips = Math.ceil(N / NR);
  return strips * K * NR + strips * NR + MR * NR;
};
