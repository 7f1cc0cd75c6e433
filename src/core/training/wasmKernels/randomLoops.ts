// Seeded random numbers for training (dropout masks, input noise) as a counter-based generator: element i of a
// stream is a hash of (i, seed), so any element can be made on its own, in SIMD lanes, on any thread, and the
// JS twin below gives the same bits on every backend. tfjs's own seeded generator (seedrandom's Alea, one call
// per element in JS) took ~20 ns an element: a dropout layer on [128, 14, 14, 16] cost ~14 ms, about as much
// as the rest of the conv model's training step.
// The hash is Chris Wellons' lowbias32 (a 32-bit bijection with low bias) applied twice: once to the counter
// plus one key, then to that xor a second key, so streams of different seeds are not shifted copies of each
// other. Uniforms take the top 24 bits: k * 2^-24, exact in float32, in [0, 1).
import {
  F32, I32, V128, add, and, at, bitselect, f32, fadd, fge, fmul, forRange, fromI32, get, i32, iconst4, isplat, load, mul, select, set, shrU, splat,
  store, vadd, vand, vfromI32, vge, vi32add, vi32eq, vi32mul, vi32shl, vi32shrU, vload, vmul, vsqrt, vstore, vsub, vxor, vzero, xor, type Code, type FuncDef,
} from '../../wasm/asm';
import { VECTOR, cosSmall, logOf, sinSmall } from './simdMath';

const M1 = 0x7feb352d;
const M2 = 0x846ca68b;
const TWO_M24 = 2 ** -24;

/** Integer arithmetic on four lanes or one. */
interface IntOps {
  c(v: number): Code;
  add(a: Code, b: Code): Code;
  mul(a: Code, b: Code): Code;
  xor(a: Code, b: Code): Code;
  shrU(a: Code, bits: number): Code;
  /** The uniform float k * 2^-24 of k < 2^24. */
  toUniform(k: Code): Code;
}

const LANES: IntOps = {
  c: (v) => isplat(i32(v | 0)),
  add: vi32add,
  mul: vi32mul,
  xor: vxor,
  shrU: (a, bits) => vi32shrU(a, i32(bits)),
  toUniform: (k) => vmul(vfromI32(k), splat(f32(TWO_M24))),
};

const ONE: IntOps = {
  c: (v) => i32(v | 0),
  add,
  mul,
  xor,
  shrU: (a, bits) => shrU(a, i32(bits)),
  toUniform: (k) => fmul(fromI32(k), f32(TWO_M24)),
};

/** lowbias32 of a value held in local `x` (overwritten; its final value is the hash). */
function lowbias(o: IntOps, x: number): Code {
  return [
    ...set(x, o.xor(get(x), o.shrU(get(x), 16))),
    ...set(x, o.mul(get(x), o.c(M1))),
    ...set(x, o.xor(get(x), o.shrU(get(x), 15))),
    ...set(x, o.mul(get(x), o.c(M2))),
    ...set(x, o.xor(get(x), o.shrU(get(x), 16))),
  ];
}

/** Statements leaving element `counter`'s 32-bit hash in local `x` (of the integer lane type). */
function hashOf(o: IntOps, counter: Code, k1: Code, k2: Code, x: number): Code {
  return [...set(x, o.add(counter, k1)), ...lowbias(o, x), ...set(x, o.xor(get(x), k2)), ...lowbias(o, x)];
}

/** Statements leaving element `counter`'s uniform in local `u` (scratch local `x` of the integer lane type). */
function uniformOf(o: IntOps, counter: Code, k1: Code, k2: Code, x: number, u: number): Code {
  return [...hashOf(o, counter, k1, k2, x), ...set(u, o.toUniform(o.shrU(get(x), 8)))];
}

/**
 * A loop over n elements, four lanes then one: `body(ops, u, i)` writes element i (lanes i..i+3) given its
 * uniform in local u. Params (after the function's own): k1, k2 as i32.
 */
function streamFunc(name: string, params: number[], k1: number, k2: number, n: number, body: (vector: boolean, u: number, i: number) => Code): FuncDef {
  const base = params.length;
  const [i, n4, idx, x, u, xs, us] = [base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6];
  return {
    name,
    params,
    locals: [I32, I32, V128, V128, V128, I32, F32],
    body: [
      ...set(idx, iconst4([0, 1, 2, 3])),
      ...set(n4, and(get(n), i32(-4))),
      ...forRange(i, i32(0), get(n4), [
        ...uniformOf(LANES, get(idx), isplat(get(k1)), isplat(get(k2)), x, u),
        ...body(true, u, i),
        ...set(idx, vi32add(get(idx), isplat(i32(4)))),
      ], i32(4)),
      ...forRange(i, get(n4), get(n), [...uniformOf(ONE, get(i), get(k1), get(k2), xs, us), ...body(false, us, i)]),
    ],
  };
}

/** uniform(out, n, k1, k2): out[i] = element i's uniform. */
const uniform = (() => {
  const [OUT, N, K1, K2] = [0, 1, 2, 3];
  return streamFunc('uniform', [I32, I32, I32, I32], K1, K2, N, (vector, u, i) =>
    vector ? vstore(at(get(OUT), get(i)), get(u)) : store(at(get(OUT), get(i)), get(u)),
  );
})();

/**
 * dropout(x, out, n, k1, k2, keep, scale): out[i] = x[i] * (float32(u + keep) >= 1 ? scale : 0), tfjs's
 * dropout formula x * (floor(u + keep) / keep) with scale = 1 / keep in float32: the same bits for the same
 * uniforms (x * 0 keeps -0 and NaN as tfjs's multiply does). Its gradient is the same function applied to dy.
 */
const dropout = (() => {
  const [X, OUT, N, K1, K2, KEEP, SCALE] = [0, 1, 2, 3, 4, 5, 6];
  return streamFunc('dropout', [I32, I32, I32, I32, I32, F32, F32], K1, K2, N, (vector, u, i) => {
    if (vector) {
      const kept = vge(vadd(get(u), splat(get(KEEP))), splat(f32(1)));
      return vstore(at(get(OUT), get(i)), vmul(vload(at(get(X), get(i))), bitselect(splat(get(SCALE)), vzero(), kept)));
    }
    return store(at(get(OUT), get(i)), fmul(load(at(get(X), get(i))), select(get(SCALE), f32(0), fge(fadd(get(u), get(KEEP)), f32(1)))));
  });
})();

/**
 * normal(out, n, k1, k2, mean, std), n a multiple of 4: Box-Muller on element pairs. Pair (2k, 2k + 1) takes
 * radius sqrt(-2 ln(1 - u)) from counter 2k's uniform u, and its angle from counter 2k + 1's 24 bits: the top
 * two pick a quadrant q, the other 22 an angle phi uniform in [-pi/4, pi/4), so the angle q pi/2 + phi is
 * uniform on the circle and needs only the small-angle sine and cosine. Element 2k is the radius times the
 * angle's cosine, element 2k + 1 times its sine (the quadrant turns (cos phi, sin phi) by q right angles).
 */
const normal: FuncDef = (() => {
  const [OUT, N, K1, K2, MEAN, STD] = [0, 1, 2, 3, 4, 5];
  const [i, idx, x, h, q, phi, value, rad] = [6, 7, 8, 9, 10, 11, 12, 13];
  const scratch = (k: number): number => 14 + k;
  const o = VECTOR;
  const parity = vand(get(idx), isplat(i32(1)));
  const [logSetup, logValue] = logOf(o, vsub(splat(f32(1)), get(rad)), scratch);
  const takeCos = vi32eq(vand(vxor(get(q), parity), isplat(i32(1))), vzero());
  const negate = vand(vxor(vi32shrU(get(q), i32(1)), vand(get(q), vxor(parity, isplat(i32(1))))), isplat(i32(1)));
  return {
    name: 'normal',
    params: [I32, I32, I32, I32, F32, F32],
    locals: [I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      ...set(idx, iconst4([0, 1, 2, 3])),
      ...forRange(i, i32(0), get(N), [
        // The angle from counter 2k + 1, then the radius's uniform from counter 2k (into rad).
        ...hashOf(LANES, vi32add(vand(get(idx), isplat(i32(-2))), isplat(i32(1))), isplat(get(K1)), isplat(get(K2)), h),
        ...set(h, vi32shrU(get(h), i32(8))),
        ...set(q, vi32shrU(get(h), i32(22))),
        ...set(phi, vmul(vsub(vmul(vfromI32(vand(get(h), isplat(i32(0x3fffff)))), splat(f32(2 ** -22))), splat(f32(0.5))), splat(f32(Math.PI / 2)))),
        ...set(value, bitselect(cosSmall(o, get(phi)), sinSmall(o, get(phi)), takeCos)),
        ...set(value, vxor(get(value), vi32shl(negate, i32(31)))),
        ...uniformOf(LANES, vand(get(idx), isplat(i32(-2))), isplat(get(K1)), isplat(get(K2)), x, rad),
        ...logSetup,
        ...set(rad, vsqrt(vmul(splat(f32(-2)), logValue))),
        ...vstore(at(get(OUT), get(i)), vadd(splat(get(MEAN)), vmul(splat(get(STD)), vmul(get(rad), get(value))))),
        ...set(idx, vi32add(get(idx), isplat(i32(4)))),
      ], i32(4)),
    ],
  };
})();

export const RANDOM_FUNCS: readonly FuncDef[] = [uniform, dropout, normal];

export interface RandomLoops {
  uniform(out: number, n: number, k1: number, k2: number): void;
  dropout(x: number, out: number, n: number, k1: number, k2: number, keep: number, scale: number): void;
  normal(out: number, n: number, k1: number, k2: number, mean: number, std: number): void;
}

// JS twins: the same integer operations (Math.imul wraps like i32.mul), so the same bits.
function lowbias32(v: number): number {
  let x = v | 0;
  x ^= x >>> 16;
  x = Math.imul(x, M1);
  x ^= x >>> 15;
  x = Math.imul(x, M2);
  x ^= x >>> 16;
  return x;
}

/** The two keys of a seed's stream (any integer seed; only its low 32 bits count). */
export function streamKeys(seed: number): [number, number] {
  return [lowbias32(seed), lowbias32(seed ^ 0x9e3779b9)];
}

/** Element i's uniform for the keys [k1, k2]. */
export function uniformAt(i: number, k1: number, k2: number): number {
  return Math.fround((lowbias32(lowbias32((i + k1) | 0) ^ k2) >>> 8) * TWO_M24);
}

export function uniformTwin(out: Float32Array, k1: number, k2: number): void {
  for (let i = 0; i < out.length; i++) out[i] = uniformAt(i, k1, k2);
}

/**
 * The normal loop's numbers in JS: the same uniforms, quadrant and angle; Math's log, sqrt, sin and cos for
 * the float32 polynomials, so values agree with the loop's to a few float32 ulps, not to the bit.
 */
export function normalTwin(out: Float32Array, k1: number, k2: number, mean: number, std: number): void {
  for (let i = 0; i < out.length; i++) {
    const pair = i & ~1;
    const bits = lowbias32(lowbias32((pair + 1 + k1) | 0) ^ k2) >>> 8;
    const quadrant = bits >>> 22;
    const phi = ((bits & 0x3fffff) * 2 ** -22 - 0.5) * (Math.PI / 2);
    const angle = quadrant * (Math.PI / 2) + phi;
    const radius = Math.sqrt(-2 * Math.log(1 - uniformAt(pair, k1, k2)));
    out[i] = mean + std * radius * (i % 2 === 0 ? Math.cos(angle) : Math.sin(angle));
  }
}

export function dropoutTwin(x: Float32Array, out: Float32Array, k1: number, k2: number, keep: number, scale: number): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(x[i] * (Math.fround(uniformAt(i, k1, k2) + keep) >= 1 ? scale : 0));
}
