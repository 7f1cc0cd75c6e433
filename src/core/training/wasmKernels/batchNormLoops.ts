// Batch norm's passes over channels-last data, [rows, C] row-major, in wasm SIMD (batchNorm.ts has the kernels
// and the formulas): two walks that sum per channel (the batch statistics forward, dy's sums backward) and two
// that write one value per element (y forward, dx backward). Each walks the rows in order, four channels at a
// time across a row, then the last C mod 4 one by one, so every channel adds its terms in row order whatever C.
// Sums are float64: a layer sums up to ~10^5 rows per channel and the variance is E[x^2] - mean^2, which float32
// would lose to cancellation; the terms are float32 operations, widened exactly before they are added.
// Per-element formulas use plain float32 multiplies and adds (no fused multiply-add), so the JS twins in
// batchNorm.ts give the same bits.
import {
  F64, I32, V128, add, and, at, dadd, dload, dmul, dstore, f64, fadd, fmul, forRange, fsub, get, i32, load, mul, promote, promoteLow,
  set, shl, shuffle32, store, vadd, vdadd, vdmul, vload, vmul, vstore, vsub, type Code, type FuncDef,
} from '../../wasm/asm';

/** float32 arithmetic on four lanes or one, so one formula serves both the SIMD body and the scalar tail. */
export interface Arith {
  add(a: Code, b: Code): Code;
  sub(a: Code, b: Code): Code;
  mul(a: Code, b: Code): Code;
}

const VECTOR: Arith = { add: vadd, sub: vsub, mul: vmul };
const SCALAR: Arith = { add: fadd, sub: fsub, mul: fmul };

/** One step's operands: the row operands' elements at (r, c) and the per-channel operands' at c (as loads). */
interface Step {
  data: Code[];
  chan: Code[];
  op: Arith;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * The walk shared by all four: params are the nData row operands, the nChan per-channel ones, then `last`
 * (the output or the sums), rows and C; `step(vector)` is the body for channels c..c+3 or for c alone.
 * Locals r, c, c4 and row (= r * C) come first after the params; `extra` are the body's own.
 */
function channelWalk(name: string, nData: number, nChan: number, extra: number[], step: (s: Step, vector: boolean) => Code, prologue: Code = []): FuncDef {
  const [R, C] = [nData + nChan + 1, nData + nChan + 2];
  const [r, c, c4, row] = [C + 1, C + 2, C + 3, C + 4];
  const operands = (vector: boolean): Step => {
    const ld = vector ? vload : load;
    return {
      data: range(nData).map((i) => ld(at(get(i), add(get(row), get(c))))),
      chan: range(nChan).map((i) => ld(at(get(nData + i), get(c)))),
      op: vector ? VECTOR : SCALAR,
    };
  };
  return {
    name,
    params: Array<number>(C + 1).fill(I32),
    locals: [I32, I32, I32, I32, ...extra],
    body: [
      ...prologue,
      ...set(c4, and(get(C), i32(-4))),
      ...forRange(r, i32(0), get(R), [
        ...set(row, mul(get(r), get(C))),
        ...forRange(c, i32(0), get(c4), step(operands(true), true), i32(4)),
        ...forRange(c, get(c4), get(C), step(operands(false), false)),
      ]),
    ],
  };
}

/** Parameter and local indices of a walk, for bodies that address its output or its locals. */
const walkIndices = (nData: number, nChan: number) => {
  const last = nData + nChan;
  return { last, C: last + 2, c: last + 4, row: last + 6, extra: last + 7 };
};

/**
 * name(data..., perChannel..., out, rows, C): out[r][c] = f(data[r][c]..., perChannel[c]...), float32.
 */
function rowMap(name: string, nData: number, nChan: number, f: (s: Step) => Code): FuncDef {
  const { last, c, row } = walkIndices(nData, nChan);
  return channelWalk(name, nData, nChan, [], (s, vector) => (vector ? vstore : store)(at(get(last), add(get(row), get(c))), f(s)));
}

/**
 * name(data..., perChannel..., sums, rows, C): sums, 2C doubles zeroed here, gets per channel c the sum over
 * the rows of the float32 term `first` in sums[c] and of `second` in sums[C + c] (squared in float64 first
 * when `squareSecond`).
 */
function rowSums(name: string, nData: number, nChan: number, terms: (s: Step) => [Code, Code], squareSecond: boolean): FuncDef {
  const { last: SUMS, C, c, extra } = walkIndices(nData, nChan);
  const [a, b, t, lo, hi, s] = range(6).map((i) => extra + i);
  // Byte addresses of channel c's two sums.
  const addresses = [...set(a, add(get(SUMS), shl(get(c), i32(3)))), ...set(b, add(get(a), shl(get(C), i32(3))))];
  const vectorAdd = (addr: number, term: Code, square: boolean): Code => {
    const wide = (l: number): Code => (square ? vdmul(get(l), get(l)) : get(l));
    return [
      ...set(t, term),
      ...set(lo, promoteLow(get(t))),
      ...set(hi, promoteLow(shuffle32(get(t), get(t), [2, 3, 2, 3]))),
      ...vstore(get(addr), vdadd(vload(get(addr)), wide(lo))),
      ...vstore(get(addr), vdadd(vload(get(addr), 16), wide(hi)), 16),
    ];
  };
  const scalarAdd = (addr: number, term: Code, square: boolean): Code => [
    ...set(s, promote(term)),
    ...dstore(get(addr), dadd(dload(get(addr)), square ? dmul(get(s), get(s)) : get(s))),
  ];
  const zero = forRange(c, i32(0), shl(get(C), i32(1)), dstore(add(get(SUMS), shl(get(c), i32(3))), f64(0)));
  return channelWalk(
    name,
    nData,
    nChan,
    [I32, I32, V128, V128, V128, F64],
    (step, vector) => {
      const [first, second] = terms(step);
      const accumulate = vector ? vectorAdd : scalarAdd;
      return [...addresses, ...accumulate(a, first, false), ...accumulate(b, second, squareSecond)];
    },
    zero,
  );
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
