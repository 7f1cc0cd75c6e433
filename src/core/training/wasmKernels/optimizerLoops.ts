// RMSprop, Adagrad, momentum SGD (plain and Nesterov) and plain SGD steps in wasm SIMD: one pass over a
// variable, its gradient and its slots, where tf.train's optimizers issue 2-9 elementwise kernels per variable
// and step (on the dense reference model RMSprop took ~4 ms a step against ~0.5 for our fused Adam). Each
// applies tfjs's float32 operations in tfjs's order (optimizerKernels.ts says which), so the bits are tfjs's;
// lanes round like scalars, and the scalar tail is the same formula.
import { F32, I32, V128, and, at, forRange, get, i32, set, splat, type Code, type FuncDef } from '../../wasm/asm';
import { SCALAR, VECTOR, type Arith } from './simdMath';

/** The new value and slots from the operands (locals read through `x`), in tfjs's operation order. */
type Update = (o: Arith, x: (k: number) => Code, c: (k: number) => Code) => Code[];

/**
 * name(in_0..in_{ins-1}, out_0..out_{outs-1}, n, c_0..c_{consts-1}): out_j[i] = update(in[i])_j, four lanes then
 * one. Operands and results are float32 arrays by byte address; the constants are float32 scalars.
 */
function updateFunc(name: string, ins: number, outs: number, consts: number, update: Update): FuncDef {
  const N = ins + outs;
  const constAt = (k: number): number => N + 1 + k;
  const first = N + 1 + consts;
  const [i, n4] = [first, first + 1];
  const vIn = (k: number): number => first + 2 + k;
  const vConst = (k: number): number => first + 2 + ins + k;
  const sIn = (k: number): number => first + 2 + ins + consts + k;
  const body = (o: Arith, local: (k: number) => number, constant: (k: number) => Code): Code => [
    ...Array.from({ length: ins }, (_, k) => set(local(k), o.load(at(get(k), get(i))))).flat(),
    ...update(o, (k) => get(local(k)), constant).flatMap((v, j) => o.store(at(get(ins + j), get(i)), v)),
  ];
  return {
    name,
    params: [...Array<number>(N + 1).fill(I32), ...Array<number>(consts).fill(F32)],
    locals: [I32, I32, ...Array<number>(ins + consts).fill(V128), ...Array<number>(ins).fill(F32)],
    body: [
      ...Array.from({ length: consts }, (_, k) => set(vConst(k), splat(get(constAt(k))))).flat(),
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), body(VECTOR, vIn, (k) => get(vConst(k))), i32(4)),
      ...forRange(i, get(n4), get(N), body(SCALAR, sIn, (k) => get(constAt(k)))),
    ],
  };
}

// Operands: 0 value, 1 gradient, then slots. Constants as named per rule.
/** rmsprop(w, g, ms, mom, w1, ms1, mom1, n, decay, 1 - decay, lr, momentum, epsilon) */
const rmsprop = updateFunc('rmsprop', 4, 3, 5, (o, x, c) => {
  const ms1 = o.add(o.mul(x(2), c(0)), o.mul(o.mul(x(1), x(1)), c(1)));
  const mom1 = o.add(o.mul(x(3), c(3)), o.div(o.mul(x(1), c(2)), o.sqrt(o.add(ms1, c(4)))));
  return [o.sub(x(0), mom1), ms1, mom1];
});

/** adagrad(w, g, acc, w1, acc1, n, epsilon, -lr) */
const adagrad = updateFunc('adagrad', 3, 2, 2, (o, x, c) => {
  const acc1 = o.add(x(2), o.mul(x(1), x(1)));
  return [o.add(o.mul(o.div(x(1), o.sqrt(o.add(acc1, c(0)))), c(1)), x(0)), acc1];
});

/** momentum(w, g, acc, w1, acc1, n, momentum, -lr) and nesterov(...) alike */
const momentum = updateFunc('momentum', 3, 2, 2, (o, x, c) => {
  const acc1 = o.add(o.mul(c(0), x(2)), x(1));
  return [o.add(o.mul(c(1), acc1), x(0)), acc1];
});
const nesterov = updateFunc('nesterov', 3, 2, 2, (o, x, c) => {
  const acc1 = o.add(o.mul(c(0), x(2)), x(1));
  return [o.add(o.mul(c(1), o.add(x(1), o.mul(acc1, c(0)))), x(0)), acc1];
});

/** sgd(w, g, w1, n, -lr) */
const sgd = updateFunc('sgd', 2, 1, 1, (o, x, c) => [o.add(o.mul(c(0), x(1)), x(0))]);

export const OPTIMIZER_FUNCS: readonly FuncDef[] = [rmsprop, adagrad, momentum, nesterov, sgd];

export interface OptimizerLoops {
  rmsprop(w: number, g: number, ms: number, mom: number, w1: number, ms1: number, mom1: number, n: number, decay: number, omd: number, lr: number, mu: number, eps: number): void;
  adagrad(w: number, g: number, acc: number, w1: number, acc1: number, n: number, eps: number, negLr: number): void;
  momentum(w: number, g: number, acc: number, w1: number, acc1: number, n: number, mu: number, negLr: number): void;
  nesterov(w: number, g: number, acc: number, w1: number, acc1: number, n: number, mu: number, negLr: number): void;
  sgd(w: number, g: number, w1: number, n: number, negLr: number): void;
}

/** The same updates in JS (the heap not reachable), float32 operation by operation. */
const f = Math.fround;
export const OPTIMIZER_TWINS: Record<keyof OptimizerLoops, (x: number[], c: number[]) => number[]> = {
  rmsprop: ([w, g, ms, mom], [decay, omd, lr, mu, eps]) => {
    const ms1 = f(f(ms * decay) + f(f(g * g) * omd));
    const mom1 = f(f(mom * mu) + f(f(g * lr) / f(Math.sqrt(f(ms1 + eps)))));
    return [f(w - mom1), ms1, mom1];
  },
  adagrad: ([w, g, acc], [eps, negLr]) => {
    const acc1 = f(acc + f(g * g));
    return [f(f(f(g / f(Math.sqrt(f(acc1 + eps)))) * negLr) + w), acc1];
  },
  momentum: ([w, g, acc], [mu, negLr]) => {
    const acc1 = f(f(mu * acc) + g);
    return [f(f(negLr * acc1) + w), acc1];
  },
  nesterov: ([w, g, acc], [mu, negLr]) => {
    const acc1 = f(f(mu * acc) + g);
    return [f(f(negLr * f(g + f(acc1 * mu))) + w), acc1];
  },
  sgd: ([w, g], [negLr]) => [f(f(negLr * g) + w)],
};
