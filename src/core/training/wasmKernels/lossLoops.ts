// The reconstruction losses in wasm SIMD (lossKernels.ts has the kernels): one pass forward and one backward
// each, where tfjs differentiated them op by op: the mean squared error was five kernels (SquaredDifference and
// Mean forward; Tile, RealDiv and the difference's gradient backward), the binary cross-entropy about twenty,
// each a pass over the batch and a dispatch.
import {
  F32, F64, I32, V128, and, at, dadd, ddiv, demote, dlane, dneg, f32, fmul, forRange, fsub, get, i32, load, promote, promoteLow, set,
  shuffle32, splat, store, toF64, vdadd, vload, vmul, vstore, vsub, type Code, type FuncDef,
} from '../../wasm/asm';
import { SCALAR, VECTOR, logOf, type Arith, type Scratch } from './simdMath';

/** A per-element term of a mean: statements, then the float32 value, for element address `at(base, i)`. */
type Term = (o: Arith, element: (base: number) => Code, s: Scratch) => [Code, Code];

/**
 * name(a, b, out, n, ...extra f32 params): out[0] = (negate ? -1 : 1) * sum(term) / n. Each term is float32,
 * as tfjs's elementwise kernels make it; the sum is float64 (lanes widened exactly), so the loss of a large batch
 * loses no digits to the order.
 */
function meanOf(name: string, extra: number, term: Term, scratch: number, negate: boolean): FuncDef {
  const [A, B, OUT, N] = [0, 1, 2, 3];
  const firstLocal = 4 + extra;
  const [i, n4, t, lo, hi, s, ts] = [0, 1, 2, 3, 4, 5, 6].map((k) => firstLocal + k);
  const vScratch = firstLocal + 7;
  const sScratch = vScratch + scratch;
  const element = (o: Arith) => (base: number) => o.load(at(get(base === 0 ? A : B), get(i)));
  const [vSetup, vValue] = term(VECTOR, element(VECTOR), (k) => vScratch + k);
  const [sSetup, sValue] = term(SCALAR, element(SCALAR), (k) => sScratch + k);
  const mean = ddiv(get(s), toF64(get(N)));
  return {
    name,
    params: [I32, I32, I32, I32, ...Array<number>(extra).fill(F32)],
    locals: [I32, I32, V128, V128, V128, F64, F32, ...Array<number>(scratch).fill(V128), ...Array<number>(scratch).fill(F32)],
    body: [
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), [
        ...vSetup,
        ...set(t, vValue),
        ...set(lo, vdadd(get(lo), promoteLow(get(t)))),
        ...set(hi, vdadd(get(hi), promoteLow(shuffle32(get(t), get(t), [2, 3, 0, 1])))),
      ], i32(4)),
      ...set(s, dadd(dadd(dlane(get(lo), 0), dlane(get(lo), 1)), dadd(dlane(get(hi), 0), dlane(get(hi), 1)))),
      ...forRange(i, get(n4), get(N), [...sSetup, ...set(ts, sValue), ...set(s, dadd(get(s), promote(get(ts))))]),
      ...store(get(OUT), demote(negate ? dneg(mean) : mean)),
    ],
  };
}

/** meanSquaredError(p, q, out, n): out[0] = mean((p - q)^2), SquaredDifference's float32 terms. */
const meanSquaredError = meanOf(
  'meanSquaredError',
  0,
  (o, el, s) => [set(s(0), o.sub(el(0), el(1))), o.mul(get(s(0)), get(s(0)))],
  1,
  false,
);

/**
 * binaryCrossEntropy(t, y, out, n, lo, hi): out[0] = -mean(t log p + (1 - t) log(1 - p)), p = y clamped to
 * [lo, hi], term by term the float32 operations of Keras's formula as blocks.ts writes it with tfjs ops.
 */
const binaryCrossEntropy = meanOf(
  'binaryCrossEntropy',
  2,
  (o, el, s) => {
    const [p, t] = [s(0), s(1)];
    const lohi = (k: number): Code => (o.lanes === 4 ? splat(get(4 + k)) : get(4 + k));
    const [logP, logPValue] = logOf(o, get(p), (k) => s(2 + k));
    const [logQ, logQValue] = logOf(o, o.sub(o.c(1), get(p)), (k) => s(5 + k));
    const setup = [...set(t, el(0)), ...set(p, o.clamp(el(1), lohi(0), lohi(1))), ...logP, ...set(s(8), logPValue), ...logQ];
    return [setup, o.add(o.mul(get(t), get(s(8))), o.mul(o.sub(o.c(1), get(t)), logQValue))];
  },
  9,
  true,
);

/**
 * scaledTwiceDiff(p, q, out, n, g): out[i] = g * (2 * (p[i] - q[i])): the mean squared error's gradient for p,
 * with g = dy / n, the same float32 operations as Mean's gradient followed by SquaredDifference's.
 */
const scaledTwiceDiff: FuncDef = (() => {
  const [P, Q, OUT, N, G] = [0, 1, 2, 3, 4];
  const [i, n4, gv] = [5, 6, 7];
  const v = (base: number): Code => vload(at(get(base), get(i)));
  const f = (base: number): Code => load(at(get(base), get(i)));
  return {
    name: 'scaledTwiceDiff',
    params: [I32, I32, I32, I32, F32],
    locals: [I32, I32, V128],
    body: [
      ...set(gv, splat(get(G))),
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), vstore(at(get(OUT), get(i)), vmul(get(gv), vmul(splat(f32(2)), vsub(v(P), v(Q))))), i32(4)),
      ...forRange(i, get(n4), get(N), store(at(get(OUT), get(i)), fmul(get(G), fmul(f32(2), fsub(f(P), f(Q)))))),
    ],
  };
})();

/**
 * binaryCrossEntropyGrad(t, y, out, n, g, lo, hi): the loss's gradient for y, g = -dy / n: where lo <= y <= hi,
 * (g t) / y - (g (1 - t)) / (1 - y), else 0 — tfjs's chain (Neg, Mean, Add, Mul, Log, Sub, ClipByValue) op by op,
 * so the same float32 bits.
 */
const binaryCrossEntropyGrad: FuncDef = (() => {
  const [T, Y, OUT, N, G, LO, HI] = [0, 1, 2, 3, 4, 5, 6];
  const [i, n4, gv, lov, hiv, t, y] = [7, 8, 9, 10, 11, 12, 13];
  const [ts, ys] = [14, 15];
  const body = (o: Arith, g: Code, lo: Code, hi: Code, tl: number, yl: number): Code => [
    ...set(tl, o.load(at(get(T), get(i)))),
    ...set(yl, o.load(at(get(Y), get(i)))),
    ...o.store(
      at(get(OUT), get(i)),
      o.keepWithin(o.sub(o.div(o.mul(g, get(tl)), get(yl)), o.div(o.mul(g, o.sub(o.c(1), get(tl))), o.sub(o.c(1), get(yl)))), get(yl), lo, hi),
    ),
  ];
  return {
    name: 'binaryCrossEntropyGrad',
    params: [I32, I32, I32, I32, F32, F32, F32],
    locals: [I32, I32, V128, V128, V128, V128, V128, F32, F32],
    body: [
      ...set(gv, splat(get(G))),
      ...set(lov, splat(get(LO))),
      ...set(hiv, splat(get(HI))),
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), body(VECTOR, get(gv), get(lov), get(hiv), t, y), i32(4)),
      ...forRange(i, get(n4), get(N), body(SCALAR, get(G), get(LO), get(HI), ts, ys)),
    ],
  };
})();

export const LOSS_FUNCS: readonly FuncDef[] = [meanSquaredError, scaledTwiceDiff, binaryCrossEntropy, binaryCrossEntropyGrad];

export interface LossLoops {
  meanSquaredError(p: number, q: number, out: number, n: number): void;
  scaledTwiceDiff(p: number, q: number, out: number, n: number, g: number): void;
  binaryCrossEntropy(t: number, y: number, out: number, n: number, lo: number, hi: number): void;
  binaryCrossEntropyGrad(t: number, y: number, out: number, n: number, g: number, lo: number, hi: number): void;
}

/** JS twins (the heap not reachable): the same float32 operations through Math.fround. */
const fr = Math.fround;

export function meanSquaredErrorTwin(p: Float32Array, q: Float32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const d = fr(p[i] - q[i]);
    s += fr(d * d);
  }
  return fr(s / p.length);
}

/** Math.log for Cephes' log: the value agrees to ~1e-7 relative, not to the bit. */
export function binaryCrossEntropyTwin(t: Float32Array, y: Float32Array, lo: number, hi: number): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const p = Number.isNaN(y[i]) ? Number.NaN : Math.min(Math.max(y[i], lo), hi);
    s += fr(fr(t[i] * fr(Math.log(p))) + fr(fr(1 - t[i]) * fr(Math.log(fr(1 - p)))));
  }
  return fr(-(s / t.length));
}

export function binaryCrossEntropyGradTwin(t: Float32Array, y: Float32Array, out: Float32Array, g: number, lo: number, hi: number): void {
  for (let i = 0; i < out.length; i++) {
    const d = fr(fr(fr(g * t[i]) / y[i]) - fr(fr(g * fr(1 - t[i])) / fr(1 - y[i])));
    out[i] = y[i] >= lo && y[i] <= hi ? d : 0;
  }
}

export function scaledTwiceDiffTwin(p: Float32Array, q: Float32Array, out: Float32Array, g: number): void {
  for (let i = 0; i < out.length; i++) out[i] = fr(g * fr(2 * fr(p[i] - q[i])));
}
