// Float32 math in wasm SIMD shared by the loops (lossLoops.ts, randomLoops.ts): one formula written once for
// four lanes (the SIMD body) and for one (a scalar tail), so both round alike. Plain multiplies and adds only
// (no fused multiply-add): every machine computes the same bits.
import {
  F32, V128, add, and, asF32, bitsOfF32, f32, fadd, fdiv, fge, fle, flt, fmax, fmin, fmul, fromI32, fsqrt, fsub, get, i32, load, or, select, set, shrS,
  splat, store, vadd, vand, vdiv, vfromI32, vge, vi32add, vi32shrS, vle, vload, vlt, vmul, vor, vpmax, vpmin, vsqrt, vstore, vsub, isplat, type Code,
} from '../../wasm/asm';

/** float32 arithmetic on four lanes or one, so one formula serves both the SIMD body and the scalar tail. */
export interface Arith {
  lanes: 4 | 1;
  type: number;
  c(value: number): Code;
  load(addr: Code): Code;
  store(addr: Code, v: Code): Code;
  add(a: Code, b: Code): Code;
  sub(a: Code, b: Code): Code;
  mul(a: Code, b: Code): Code;
  div(a: Code, b: Code): Code;
  sqrt(a: Code): Code;
  /** a < lo ? lo : a, then hi < a ? hi : a: a NaN stays NaN. */
  clamp(a: Code, lo: Code, hi: Code): Code;
  /** a where lo <= x <= hi, else +0 (also for a NaN x). */
  keepWithin(a: Code, x: Code, lo: Code, hi: Code): Code;
  /** For a positive normal x: its mantissa m in [0.5, 1), and its exponent e (x = m 2^e) as a float. */
  mantissa(x: Code): Code;
  exponent(x: Code): Code;
  /** The pieces of Cephes' log reduction for m in [0.5, 1): where m < sqrt(1/2), e - 1 and 2m - 1, else e and m - 1. */
  reducedExponent(e: Code, m: Code): Code;
  reducedMantissa(m: Code): Code;
}

const SQRT_HALF = 0.707106781186547524;
export const VECTOR: Arith = {
  lanes: 4,
  type: V128,
  c: (v) => splat(f32(v)),
  load: (addr) => vload(addr),
  store: (addr, v) => vstore(addr, v),
  add: vadd,
  sub: vsub,
  mul: vmul,
  div: vdiv,
  sqrt: vsqrt,
  clamp: (a, lo, hi) => vpmin(vpmax(a, lo), hi),
  keepWithin: (a, x, lo, hi) => vand(a, vand(vge(x, lo), vle(x, hi))),
  // v128 is untyped: these read the float lanes' bits as int32 lanes.
  mantissa: (x) => vor(vand(x, isplat(i32(0x007fffff))), isplat(i32(0x3f000000))),
  exponent: (x) => vfromI32(vi32add(vi32shrS(x, i32(23)), isplat(i32(-126)))),
  // A true comparison lane is all ones: as an int32 it is -1, as a mask it keeps m.
  reducedExponent: (e, m) => vadd(e, vfromI32(vlt(m, splat(f32(SQRT_HALF))))),
  reducedMantissa: (m) => vadd(vsub(m, splat(f32(1))), vand(m, vlt(m, splat(f32(SQRT_HALF))))),
};
export const SCALAR: Arith = {
  lanes: 1,
  type: F32,
  c: (v) => f32(v),
  load: (addr) => load(addr),
  store: (addr, v) => store(addr, v),
  add: fadd,
  sub: fsub,
  mul: fmul,
  div: fdiv,
  sqrt: fsqrt,
  clamp: (a, lo, hi) => fmin(fmax(a, lo), hi),
  keepWithin: (a, x, lo, hi) => select(a, f32(0), and(fge(x, lo), fle(x, hi))),
  mantissa: (x) => asF32(or(and(bitsOfF32(x), i32(0x007fffff)), i32(0x3f000000))),
  exponent: (x) => fromI32(add(shrS(bitsOfF32(x), i32(23)), i32(-126))),
  reducedExponent: (e, m) => fsub(e, fromI32(flt(m, f32(SQRT_HALF)))),
  reducedMantissa: (m) => fadd(fsub(m, f32(1)), select(m, f32(0), flt(m, f32(SQRT_HALF)))),
};

/** Locals a term may use, handed out from `first` on, all of the arithmetic's lane type. */
export type Scratch = (k: number) => number;

/**
 * Cephes' logf for x positive and normal, or NaN (a clamped probability): x = m 2^e, m reduced to
 * [sqrt(1/2), sqrt(2)), log(1 + x) by a degree-8 polynomial, ln 2 split in two so e ln 2 adds exactly.
 * Relative error ~1e-7. Needs 3 scratch locals; leaves statements to run first and the value.
 */
const LOG_POLY = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1];
export function logOf(o: Arith, x: Code, s: Scratch): [Code, Code] {
  const [xin, e, r] = [s(0), s(1), s(2)];
  const setup = [
    ...set(xin, x),
    ...set(r, o.mantissa(get(xin))),
    ...set(e, o.reducedExponent(o.exponent(get(xin)), get(r))),
    ...set(r, o.reducedMantissa(get(r))),
  ];
  const z = o.mul(get(r), get(r));
  let poly = o.c(LOG_POLY[0]);
  for (const c of LOG_POLY.slice(1)) poly = o.add(o.mul(poly, get(r)), o.c(c));
  let y = o.mul(o.mul(poly, get(r)), z);
  y = o.add(y, o.mul(get(e), o.c(-2.12194440e-4)));
  y = o.sub(y, o.mul(z, o.c(0.5)));
  // x - x is 0, or NaN for a NaN x: the bit tricks above would have made a NaN finite.
  const value = o.add(o.add(o.add(get(r), y), o.mul(get(e), o.c(0.693359375))), o.sub(get(xin), get(xin)));
  return [setup, value];
}


// Cephes' sinf and cosf on [-pi/4, pi/4] (relative error ~1e-7 there): callers reduce the angle themselves.
const SIN_POLY = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1];
const COS_POLY = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2];

/** sin(x) for |x| <= pi/4, x a local read. */
export function sinSmall(o: Arith, x: Code): Code {
  const z = o.mul(x, x);
  let p = o.c(SIN_POLY[0]);
  for (const c of SIN_POLY.slice(1)) p = o.add(o.mul(p, z), o.c(c));
  return o.add(o.mul(o.mul(p, z), x), x);
}

/** cos(x) for |x| <= pi/4, x a local read. */
export function cosSmall(o: Arith, x: Code): Code {
  const z = o.mul(x, x);
  let p = o.c(COS_POLY[0]);
  for (const c of COS_POLY.slice(1)) p = o.add(o.mul(p, z), o.c(c));
  return o.add(o.sub(o.mul(o.mul(p, z), z), o.mul(z, o.c(0.5))), o.c(1));
}
