// Batch norm's passes over channels-last data, [rows, C] row-major, in wasm SIMD (batchNorm.ts has the kernels
// and the formulas): two walks that sum per channel (the batch statistics forward, dy's sums backward) and two
// that write one value per element (y forward, dx backward), each a walk of channelWalk.ts (every channel adds
// its terms in row order, whatever C).
// Sums are float64: a layer sums up to ~10^5 rows per channel and the variance is E[x^2] - mean^2, which float32
// would lose to cancellation; the terms are float32 operations, widened exactly before they are added.
// Per-element formulas use plain float32 multiplies and adds (no fused multiply-add), so the JS twins in
// batchNorm.ts give the same bits.
import {
  F64, I32, V128, add, dadd, dload, dmul, dstore, f64, forRange, get, i32, promote, promoteLow, set, shl, shuffle32, vdadd, vdmul,
  vload, vstore, type Code, type FuncDef,
} from '../../wasm/asm';
import { channelWalk, range, rowMap, walkIndices, type Step } from './channelWalk';

/**
 * name(data..., perChannel..., sums, rows, C): sums, 2C doubles zeroed here, gets per channel c the sum over
 * the rows of the float32 term `first` in sums[c] and of `second` in sums[C + c] (squared in float64 first
 * when `squareSecond`). Over a block the sums are in locals; they still add the rows one by one in order.
 */
function rowSums(name: string, nData: number, nChan: number, terms: (s: Step) => [Code, Code], squareSecond: boolean): FuncDef {
  const { last: SUMS, C, c, extra } = walkIndices(nData, nChan);
  // a, b: byte addresses of channel c's sums; t, u: a term and one half of it widened; vector sums (first lo,
  // hi, second lo, hi); scalar sums and a widened term.
  const [a, b, t, u, v1lo, v1hi, v2lo, v2hi, s1, s2, d] = range(11).map((i) => extra + i);
  const wide = (l: number, square: boolean): Code => (square ? vdmul(get(l), get(l)) : get(l));
  const vectorAdd = (term: Code, lo: number, hi: number, square: boolean): Code => [
    ...set(t, term),
    ...set(u, promoteLow(get(t))),
    ...set(lo, vdadd(get(lo), wide(u, square))),
    ...set(u, promoteLow(shuffle32(get(t), get(t), [2, 3, 2, 3]))),
    ...set(hi, vdadd(get(hi), wide(u, square))),
  ];
  const scalarAdd = (term: Code, sum: number, square: boolean): Code => [
    ...set(d, promote(term)),
    ...set(sum, dadd(get(sum), square ? dmul(get(d), get(d)) : get(d))),
  ];
  return channelWalk({
    name,
    nData,
    nChan,
    extra: [I32, I32, V128, V128, V128, V128, V128, V128, F64, F64, F64],
    prologue: forRange(c, i32(0), shl(get(C), i32(1)), dstore(add(get(SUMS), shl(get(c), i32(3))), f64(0))),
    enter: (vector) => [
      ...set(a, add(get(SUMS), shl(get(c), i32(3)))),
      ...set(b, add(get(a), shl(get(C), i32(3)))),
      ...(vector
        ? [...set(v1lo, vload(get(a))), ...set(v1hi, vload(get(a), 16)), ...set(v2lo, vload(get(b))), ...set(v2hi, vload(get(b), 16))]
        : [...set(s1, dload(get(a))), ...set(s2, dload(get(b)))]),
    ],
    leave: (vector) =>
      vector
        ? [...vstore(get(a), get(v1lo)), ...vstore(get(a), get(v1hi), 16), ...vstore(get(b), get(v2lo)), ...vstore(get(b), get(v2hi), 16)]
        : [...dstore(get(a), get(s1)), ...dstore(get(b), get(s2))],
    step: (step, vector) => {
      const [first, second] = terms(step);
      return vector
        ? [...vectorAdd(first, v1lo, v1hi, false), ...vectorAdd(second, v2lo, v2hi, squareSecond)]
        : [...scalarAdd(first, s1, false), ...scalarAdd(second, s2, squareSecond)];
    },
  });
}

// bnStats(x, sums, rows, C): sums[c] = sum of x[., c], sums[C + c] = sum of x[., c]^2.
const bnStats = rowSums('bnStats', 1, 0, ({ data: [x] }) => [x, x], true);

// bnApply(x, mean, scale, beta, y, rows, C): y = (x - mean) * scale + beta, scale = gamma / sqrt(var + eps).
const bnApply = rowMap('bnApply', 1, 3, ({ data: [x], chan: [m, k, beta], op }) => op.add(op.mul(op.sub(x, m), k), beta));

// bnGradStats(dy, x, mean, sums, rows, C): sums[c] = sum of dy, sums[C + c] = sum of dy * (x - mean).
const bnGradStats = rowSums('bnGradStats', 2, 1, ({ data: [dy, x], chan: [m], op }) => [dy, op.mul(dy, op.sub(x, m))], false);

// bnGradApply(dy, x, mean, meanDy, a, b, c, dx, rows, C): dx = (a * (dy - meanDy) + b * (x - mean)) + c.
const bnGradApply = rowMap('bnGradApply', 2, 5, ({ data: [dy, x], chan: [m, mdy, a, b, c], op }) =>
  op.add(op.add(op.mul(a, op.sub(dy, mdy)), op.mul(b, op.sub(x, m))), c),
);

export const BATCH_NORM_FUNCS: readonly FuncDef[] = [bnStats, bnApply, bnGradStats, bnGradApply];

export interface BatchNormLoops {
  bnStats(x: number, sums: number, rows: number, c: number): void;
  bnApply(x: number, mean: number, scale: number, beta: number, y: number, rows: number, c: number): void;
  bnGradStats(dy: number, x: number, mean: number, sums: number, rows: number, c: number): void;
  bnGradApply(dy: number, x: number, mean: number, meanDy: number, a: number, b: number, c: number, dx: number, rows: number, channels: number): void;
}
