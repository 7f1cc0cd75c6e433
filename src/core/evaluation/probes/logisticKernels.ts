// The logistic probe's per-row kernels in WebAssembly, assembled into f64Kernels.ts's module: the multinomial
// loss's softmax (fdlibm's exp, Math.exp's to the bit, two classes per f64x2) and the intercepts' gradient sums.
// Each gives exactly what logistic.ts's JS loop gives, so the two engines fit identical probes.
import { F64, I32, V128, add, and, bitselect, dadd, dconst2, ddiv, dlane, dload, dlt, dmax, dmul, dneg, dsplat, dstore, dsub, eqz, f64, forRange, geS, get, i32, ifThen, iload, ltS, mul, pow2Biased, set, shl, toF64, truncSat, vand, vdadd, vddiv, vdge, vdgt, vdle, vdmul, vdsub, vdtrunc, vi64allTrue, vi64bitmask, vi64shl, vload, vor, vstore, type Code, type FuncDef } from '../../wasm/asm';

// fdlibm's exp (__ieee754_exp, which V8's Math.exp runs) for the softmax's arguments x <= 0, in the same
// double operations, so every value is Math.exp's to the bit (tested against it). The high-word range tests
// are comparisons of |x| with the doubles those words start; the 0.5..1.5 ln2 branch is the general one at k = -1.
const EXP = {
  underflow: -7.45133219101941108420e2,
  tiny: 2 ** -28, // high word 0x3E300000
  halfLn2: 0.3465735912322998, // 0x3FD62E43_00000000: |x| above 0.5 ln2 (high word > 0x3FD62E42)
  invLn2: 1.44269504088896338700e0,
  ln2Hi: 6.93147180369123816490e-1,
  ln2Lo: 1.90821492927058770002e-10,
  p: [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8],
  twoM1000: 9.33263618503218878990e-302,
};

/** Sets local `out` to exp(local `x`), x <= 0 (or NaN); f64 scratch locals t, c, hi, lo; i32 scratch k. */
function expInto(x: number, out: number, t: number, c: number, hi: number, lo: number, k: number): Code {
  // c = r - t*(P1 + t*(P2 + t*(P3 + t*(P4 + t*P5)))) with t = r*r, r in local `r`.
  const horner = EXP.p.slice(0, -1).reduceRight((inner: Code, coef) => dadd(f64(coef), dmul(get(t), inner)), f64(EXP.p[EXP.p.length - 1]));
  const poly = (r: number): Code => [...set(t, dmul(get(r), get(r))), ...set(c, dsub(get(r), dmul(get(t), horner)))];
  const reduced: Code = [
    ...set(k, truncSat(dsub(dmul(f64(EXP.invLn2), get(x)), f64(0.5)))),
    ...set(hi, dsub(get(x), dmul(toF64(get(k)), f64(EXP.ln2Hi)))),
    ...set(lo, dmul(toF64(get(k)), f64(EXP.ln2Lo))),
    ...set(x, dsub(get(hi), get(lo))),
    ...poly(x),
    // y = 1 - ((lo - (r*c)/(2 - c)) - hi), then y * 2^k (or y * 2^(k+1000) * 2^-1000 deep in the subnormals).
    ...set(t, dsub(f64(1), dsub(dsub(get(lo), ddiv(dmul(get(x), get(c)), dsub(f64(2), get(c)))), get(hi)))),
    ...ifThen(
      geS(get(k), i32(-1021)),
      set(out, dmul(get(t), pow2Biased(add(get(k), i32(1023))))),
      set(out, dmul(dmul(get(t), pow2Biased(add(get(k), i32(2023)))), f64(EXP.twoM1000))),
    ),
  ];
  return ifThen(
    dlt(get(x), f64(EXP.underflow)),
    set(out, f64(0)),
    ifThen(
      dlt(dneg(get(x)), f64(EXP.tiny)),
      set(out, dadd(f64(1), get(x))),
      ifThen(
        dlt(dneg(get(x)), f64(EXP.halfLn2)),
        [...poly(x), ...set(out, dsub(f64(1), dsub(ddiv(dmul(get(x), get(c)), dsub(get(c), f64(2))), get(x))))],
        reduced,
      ),
    ),
  );
}

/**
 * 1.5 * 2^52 + 1023: an integer k in -1076..0 added to it gives a double whose low 12 bits are k + 1023, so shifted
 * left by 52 they are 2^k's exponent field (sign and mantissa zero) for k >= -1022.
 */
const POW2_MAGIC = 1.5 * 2 ** 52 + 1023;

/** k of fdlibm's reduction, as doubles: trunc(x / ln2 - 0.5) as expInto's i32.trunc_sat gives it (|k| < 2^31). */
const reductionK = (x: Code): Code => vdtrunc(vdsub(vdmul(dconst2(EXP.invLn2), x), dconst2(0.5)));

/**
 * Lanes where expPairInto's value is expInto's: -x < 2^-28 (1 + x there); k >= -1021 on the reduced path taken
 * where -x >= 0.5 ln2 (k >= -1021 also puts x above the underflow bound); k = 0 where -x < 0.5 ln2 (fdlibm's
 * short path: with k = 0, hi = x, lo = 0 and the reduced formula 1 - ((0 - (x c)/(2 - c)) - x) is the short
 * one's 1 - ((x c)/(c - 2) - x) to the bit, as a - b = -(b - a) and a / -b = -(a / b) exactly; near 0.5 ln2 k
 * can be -1 there, and those lanes go to expInto). Comparisons are false for NaN.
 */
const pairOk = (tiny: Code, x: Code, kf: Code): Code =>
  vor(tiny, vand(vor(vdgt(kf, dconst2(-1)), vdle(x, dconst2(-EXP.halfLn2))), vdge(kf, dconst2(-1021))));

/**
 * Sets v128 local `out` to exp of both lanes of v128 local `x` (x <= 0 or NaN), in the lanes that pairOk marks
 * in local `ok` Math.exp's to the bit: fdlibm's reduced path for both lanes at once in the same double operations
 * as expInto (every IEEE op rounds alike in f64x2 and scalar form, and none is fused), and 1 + x where
 * -x < 2^-28 (the row's maximum, x = 0). The other lanes (k = -1 within 0.5 ln2 of 0, underflow, subnormal
 * results, NaN) are left to expInto. v128 scratch: kf (k as doubles), hi, lo, r, t, c.
 */
function expPairInto(x: number, out: number, ok: number, v: { kf: number; hi: number; lo: number; r: number; t: number; c: number }): Code {
  const horner = EXP.p.slice(0, -1).reduceRight((inner: Code, coef) => vdadd(dconst2(coef), vdmul(get(v.t), inner)), dconst2(EXP.p[EXP.p.length - 1]));
  return [
    ...set(v.kf, reductionK(get(x))),
    ...set(v.hi, vdsub(get(x), vdmul(get(v.kf), dconst2(EXP.ln2Hi)))),
    ...set(v.lo, vdmul(get(v.kf), dconst2(EXP.ln2Lo))),
    ...set(v.r, vdsub(get(v.hi), get(v.lo))),
    ...set(v.t, vdmul(get(v.r), get(v.r))),
    ...set(v.c, vdsub(get(v.r), vdmul(get(v.t), horner))),
    // y = 1 - ((lo - (r*c)/(2 - c)) - hi), times 2^k: exponent field k + 1023 (k >= -1021 in the lanes kept).
    ...set(v.t, vdsub(dconst2(1), vdsub(vdsub(get(v.lo), vddiv(vdmul(get(v.r), get(v.c)), vdsub(dconst2(2), get(v.c)))), get(v.hi)))),
    ...set(out, vdmul(get(v.t), vi64shl(vdadd(get(v.kf), dconst2(POW2_MAGIC)), i32(52)))),
    ...set(ok, vdgt(get(x), dconst2(-EXP.tiny))),
    ...set(out, bitselect(vdadd(dconst2(1), get(x)), get(out), get(ok))),
    ...set(ok, pairOk(get(ok), get(x), get(v.kf))),
  ];
}

/**
 * softmax(z, b, y, s, n, K, e): for n rows of K scores (z rows K apart), the multinomial logistic loss's per-row
 * work exactly as logistic.ts's lossAndResidual does it: scores += intercepts b, then each score replaced by its
 * residual softmax - onehot(y), and (max, sum of exponentials, labelled score) stored per row in s, from which
 * the caller sums the loss; e is scratch for one row's exponentials (K doubles).
 * The intercepts, exponentials and divisions go two classes at a time (f64x2), each lane's value the scalar
 * one; a row with a lane expPairInto leaves to expInto takes a second pass over its pairs for those lanes (most
 * rows need none: one branch a row, not one a pair). The max and the sum run in class order, one class at a time.
 */
export function softmaxKernel(): FuncDef {
  const params = [I32, I32, I32, I32, I32, I32, I32];
  const locals: number[] = [];
  const local = (type: number): number => locals.push(type) + params.length - 1;
  const [Z, B, Y, S, N, K, E] = params.map((_, j) => j);
  const [i, c, row, yi, k, m, kEven] = [I32, I32, I32, I32, I32, I32, I32].map(local);
  const [mx, sum, zy, x, e, t, cc, hi, lo] = [F64, F64, F64, F64, F64, F64, F64, F64, F64].map(local);
  const [xv, ev, ok, allOk, sumv] = [V128, V128, V128, V128, V128].map(local);
  const scratch = { kf: local(V128), hi: local(V128), lo: local(V128), r: local(V128), t: local(V128), c: local(V128) };
  const bytes = (n: Code): Code => shl(n, i32(3));
  const zc = (): Code => add(get(row), bytes(get(c)));
  const bc = (): Code => add(get(B), bytes(get(c)));
  const ec = (): Code => add(get(E), bytes(get(c)));
  /** Pairs of classes as v128, then the last class of an odd K as a double. */
  const classes = (pair: Code, single: Code): Code => [...forRange(c, i32(0), get(kEven), pair, i32(2)), ...ifThen(ltS(get(kEven), get(K)), [...set(c, get(kEven)), ...single])];
  const scalarLane = (lane: number): Code =>
    ifThen(eqz(and(get(m), i32(1 << lane))), [...set(x, dlane(get(xv), lane)), ...expInto(x, e, t, cc, hi, lo, k), ...dstore(ec(), get(e), 8 * lane)]);
  return {
    name: 'softmax',
    params,
    locals,
    body: [
      ...set(kEven, and(get(K), i32(-2))),
      ...forRange(i, i32(0), get(N), [
        ...set(row, add(get(Z), bytes(mul(get(i), get(K))))),
        ...set(yi, iload(add(get(Y), shl(get(i), i32(2))))),
        ...classes(vstore(zc(), vdadd(vload(zc()), vload(bc()))), dstore(zc(), dadd(dload(zc()), dload(bc())))),
        ...set(mx, f64(-Infinity)),
        ...forRange(c, i32(0), get(K), set(mx, dmax(get(mx), dload(zc())))),
        ...set(zy, dload(add(get(row), bytes(get(yi))))),
        ...set(xv, dsplat(get(mx))),
        ...set(allOk, vdge(get(xv), get(xv))),
        ...classes(
          [
            ...set(xv, vdsub(vload(zc()), dsplat(get(mx)))),
            ...expPairInto(xv, ev, ok, scratch),
            ...vstore(ec(), get(ev)),
            ...set(allOk, vand(get(allOk), get(ok))),
          ],
          [...set(x, dsub(dload(zc()), get(mx))), ...expInto(x, e, t, cc, hi, lo, k), ...dstore(ec(), get(e))],
        ),
        // Rare: the lanes left to expInto, found again pair by pair.
        ...ifThen(
          eqz(vi64allTrue(get(allOk))),
          forRange(c, i32(0), get(kEven), [
            ...set(xv, vdsub(vload(zc()), dsplat(get(mx)))),
            ...set(m, vi64bitmask(pairOk(vdgt(get(xv), dconst2(-EXP.tiny)), get(xv), reductionK(get(xv))))),
            ...ifThen(ltS(get(m), i32(3)), [...scalarLane(0), ...scalarLane(1)]),
          ], i32(2)),
        ),
        ...set(sum, f64(0)),
        ...forRange(c, i32(0), get(K), set(sum, dadd(get(sum), dload(ec())))),
        ...dstore(add(get(S), mul(get(i), i32(24))), get(mx)),
        ...dstore(add(get(S), mul(get(i), i32(24))), get(sum), 8),
        ...dstore(add(get(S), mul(get(i), i32(24))), get(zy), 16),
        ...set(sumv, dsplat(get(sum))),
        ...classes(vstore(zc(), vddiv(vload(ec()), get(sumv))), dstore(zc(), ddiv(dload(ec()), get(sum)))),
        // softmax - onehot: the labelled class's quotient minus 1, as the scalar loop subtracts it.
        ...set(c, get(yi)),
        ...dstore(zc(), dsub(dload(zc()), f64(1))),
      ]),
    ],
  };
}

/**
 * icpt(z, g, groups, K): for `groups` groups of 4 rows of K residuals (z rows K apart), g[c] += z0[c] + z1[c] +
 * z2[c] + z3[c] per group, summed left to right as logistic.ts's JS loop sums the intercepts' gradient; two
 * classes per f64x2 (each lane the scalar sum), the last class of an odd K alone.
 */
export function interceptKernel(): FuncDef {
  const [Z, G, GROUPS, K] = [0, 1, 2, 3];
  const [grp, c, row, kEven] = [4, 5, 6, 7];
  const bytes = (n: Code): Code => shl(n, i32(3));
  const at = (r: number): Code => add(get(row), bytes(add(mul(get(K), i32(r)), get(c))));
  const gc = (): Code => add(get(G), bytes(get(c)));
  const sum = (load: (a: Code) => Code, plus: (a: Code, b: Code) => Code): Code => [0, 1, 2, 3].slice(1).reduce((acc: Code, r) => plus(acc, load(at(r))), load(at(0)));
  return {
    name: 'icpt',
    params: [I32, I32, I32, I32],
    locals: [I32, I32, I32, I32],
    body: [
      ...set(kEven, and(get(K), i32(-2))),
      ...forRange(grp, i32(0), get(GROUPS), [
        ...set(row, add(get(Z), bytes(mul(mul(get(grp), i32(4)), get(K))))),
        ...forRange(c, i32(0), get(kEven), vstore(gc(), vdadd(vload(gc()), sum((a) => vload(a), vdadd))), i32(2)),
        ...ifThen(ltS(get(kEven), get(K)), [...set(c, get(kEven)), ...dstore(gc(), dadd(dload(gc()), sum((a) => dload(a), dadd)))]),
      ]),
    ],
  };
}
