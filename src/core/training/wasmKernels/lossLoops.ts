// The mean squared error in wasm SIMD (lossKernels.ts has the kernels): one pass forward and one backward, where
// tfjs ran five kernels (SquaredDifference and Mean forward; Tile, RealDiv and the difference's gradient
// backward), each a pass over the batch and a dispatch.
import {
  F32, F64, I32, V128, and, at, dadd, demote, dlane, ddiv, f32, fmul, forRange, fsub, get, i32, load, promote, promoteLow, set, shuffle32, splat,
  store, toF64, vdadd, vload, vmul, vstore, vsub, type Code, type FuncDef,
} from '../../wasm/asm';

/**
 * meanSquaredError(p, q, out, n): out[0] = sum((p - q)^2) / n. Each term is float32, as SquaredDifference makes
 * it; the sum is float64 (lanes widened exactly), so the loss of a large batch loses no digits to the order.
 */
const meanSquaredError: FuncDef = (() => {
  const [P, Q, OUT, N] = [0, 1, 2, 3];
  const [i, n4, d, lo, hi, s, ds] = [4, 5, 6, 7, 8, 9, 10];
  return {
    name: 'meanSquaredError',
    params: [I32, I32, I32, I32],
    locals: [I32, I32, V128, V128, V128, F64, F32],
    body: [
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), [
        ...set(d, vsub(vload(at(get(P), get(i))), vload(at(get(Q), get(i))))),
        ...set(d, vmul(get(d), get(d))),
        ...set(lo, vdadd(get(lo), promoteLow(get(d)))),
        ...set(hi, vdadd(get(hi), promoteLow(shuffle32(get(d), get(d), [2, 3, 0, 1])))),
      ], i32(4)),
      ...set(s, dadd(dadd(dlane(get(lo), 0), dlane(get(lo), 1)), dadd(dlane(get(hi), 0), dlane(get(hi), 1)))),
      ...forRange(i, get(n4), get(N), [
        ...set(ds, fsub(load(at(get(P), get(i))), load(at(get(Q), get(i))))),
        ...set(s, dadd(get(s), promote(fmul(get(ds), get(ds))))),
      ]),
      ...store(get(OUT), demote(ddiv(get(s), toF64(get(N))))),
    ],
  };
})();

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

export const LOSS_FUNCS: readonly FuncDef[] = [meanSquaredError, scaledTwiceDiff];

export interface LossLoops {
  meanSquaredError(p: number, q: number, out: number, n: number): void;
  scaledTwiceDiff(p: number, q: number, out: number, n: number, g: number): void;
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

export function scaledTwiceDiffTwin(p: Float32Array, q: Float32Array, out: Float32Array, g: number): void {
  for (let i = 0; i < out.length; i++) out[i] = fr(g * fr(2 * fr(p[i] - q[i])));
}
