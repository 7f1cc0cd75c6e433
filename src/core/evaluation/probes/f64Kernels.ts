// The evaluation's float64 hot loops in WebAssembly SIMD (f64x2), one problem at a time in a reused memory:
//   row products Z = X . W^T and G = Z^T . X (the logistic probe's scores and gradient, randomized PCA's range
//   finder); blocks of squared distances (or minus dot products) between kNN queries and references.
// On raw pixels (n x 784) these are ~99% of the work; each sums in its JS loop's order, so results are
// bit-identical to the JS paths' (and fits, components and neighbour lists with them).
import { WA, PAGE, type WasmMemory } from '../../wasm/api';
import { F64, I32, V128, add, and, assemble, bitselect, call, dadd, dconst2, ddiv, dlane, dload, dlt, dmax, dmul, dneg, dsplat, dstore, dsub, eqz, f64, forRange, geS, iload, loadSplat64, get, i32, ifThen, ltS, mul, pow2Biased, set, shl, sub, toF64, truncSat, vand, vdadd, vddiv, vdge, vdgt, vdle, vdsub, vdmul, vdtrunc, vi64allTrue, vi64bitmask, vi64shl, vload, vor, vstore, type Code, type FuncDef } from '../../wasm/asm';

const ROWS = 4;

/**
 * nt4(x, wt, z, d, K): z[r][k] = sum_j x[r][j] wt[j][k] for 4 rows, up to four classes per pass (two per
 * vector). wt is W transposed (d x Kp, Kp = K rounded up to even, pad lane ignored), so every score is summed in j
 * order exactly as the JS loop sums it: both engines give bit-identical objectives, hence identical fits.
 */
function ntKernel(): FuncDef {
  const [X, WT, Z, D, K] = [0, 1, 2, 3, 4];
  const [kp, j, xo, wo, kpad, kp4] = [5, 6, 7, 8, 9, 10];
  const rowPtr = (r: number): number => 11 + r;
  const acc = (r: number, q: number): number => 11 + ROWS + 2 * r + q;
  const wv = (q: number): number => 11 + 3 * ROWS + q;
  const xs = 11 + 3 * ROWS + 2;
  const rs = Array.from({ length: ROWS }, (_, r) => r);
  const bytes = (n: Code): Code => shl(n, i32(3));
  const zAt = (r: number, k: Code): Code => add(get(Z), bytes(add(mul(get(K), i32(r)), k)));
  /** One pass over j for classes kp .. kp + 2*pairs - 1. */
  const pass = (pairs: number): Code => {
    const qs = Array.from({ length: pairs }, (_, q) => q);
    return [
      ...rs.flatMap((r) => qs.flatMap((q) => set(acc(r, q), dsplat(f64(0))))),
      ...set(xo, i32(0)),
      ...set(wo, bytes(get(kp))),
      ...forRange(j, i32(0), get(D), [
        ...qs.flatMap((q) => set(wv(q), vload(add(get(WT), get(wo)), 16 * q))),
        ...rs.flatMap((r) => [
          ...set(xs, loadSplat64(add(get(rowPtr(r)), get(xo)))),
          ...qs.flatMap((q) => set(acc(r, q), vdadd(get(acc(r, q)), vdmul(get(xs), get(wv(q)))))),
        ]),
        ...set(xo, add(get(xo), i32(8))),
        ...set(wo, add(get(wo), bytes(get(kpad)))),
      ]),
      ...rs.flatMap((r) =>
        qs.flatMap((q) => {
          const k = (lane: number): Code => add(get(kp), i32(2 * q + lane));
          return [...dstore(zAt(r, k(0)), dlane(get(acc(r, q)), 0)), ...ifThen(ltS(k(1), get(K)), dstore(zAt(r, k(1)), dlane(get(acc(r, q)), 1)))];
        }),
      ),
    ];
  };
  return {
    name: 'nt4',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, ...rs.map(() => I32), ...rs.flatMap(() => [V128, V128]), V128, V128, V128],
    body: [
      ...rs.flatMap((r) => set(rowPtr(r), add(get(X), bytes(mul(get(D), i32(r)))))),
      ...set(kpad, and(add(get(K), i32(1)), i32(-2))),
      ...set(kp4, and(get(kpad), i32(-4))),
      ...forRange(kp, i32(0), get(kp4), pass(2), i32(4)),
      ...ifThen(ltS(get(kp4), get(kpad)), [...set(kp, get(kp4)), ...pass(1)]),
    ],
  };
}

/**
 * tnR(res, x, g, d, K): g[k][j] += sum_r res[r][k] x[r][j] for r < R rows (res rows K apart, x rows d apart),
 * the R products summed first, in row order, then added: the JS loop's order.
 */
function tnKernel(rows: number, sequential: boolean): FuncDef {
  const [RES, X, G, D, K] = [0, 1, 2, 3, 4];
  const [k, o, end, gk] = [5, 6, 7, 8];
  const rowPtr = (r: number): number => 9 + r;
  const coef = (r: number): number => 9 + rows + r;
  const sum = 9 + 2 * rows;
  const rs = Array.from({ length: rows }, (_, r) => r);
  const bytes = (n: Code): Code => shl(n, i32(3));
  const weighted = (load: (r: number) => Code, scale: (r: number) => Code, madd: (a: Code, b: Code) => Code, times: (a: Code, b: Code) => Code): Code =>
    rs.slice(1).reduce((accCode, r) => madd(accCode, times(scale(r), load(r))), times(scale(0), load(0)));
  // Sequential: g + t0 + t1 + ... one product at a time (the PCA loop's order) instead of g + (t0 + t1 + ...).
  const update = (g: Code, load: (r: number) => Code, scale: (r: number) => Code, madd: (a: Code, b: Code) => Code, times: (a: Code, b: Code) => Code): Code =>
    sequential ? rs.reduce((accCode, r) => madd(accCode, times(scale(r), load(r))), g) : madd(g, weighted(load, scale, madd, times));
  return {
    name: `tn${rows}${sequential ? 's' : ''}`,
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, ...rs.map(() => I32), ...rs.map(() => V128), V128],
    body: [
      ...rs.flatMap((r) => set(rowPtr(r), add(get(X), bytes(mul(get(D), i32(r)))))),
      ...set(end, bytes(and(get(D), i32(-2)))),
      ...forRange(k, i32(0), get(K), [
        ...rs.flatMap((r) => set(coef(r), dsplat(dload(add(get(RES), bytes(add(mul(get(K), i32(r)), get(k)))))))),
        ...set(gk, add(get(G), bytes(mul(get(k), get(D))))),
        ...forRange(o, i32(0), get(end), [
          ...set(sum, update(vload(add(get(gk), get(o))), (r) => vload(add(get(rowPtr(r)), get(o))), (r) => get(coef(r)), vdadd, vdmul)),
          ...vstore(add(get(gk), get(o)), get(sum)),
        ], i32(16)),
        ...ifThen(
          ltS(get(end), bytes(get(D))),
          dstore(add(get(gk), get(end)), update(dload(add(get(gk), get(end))), (r) => dload(add(get(rowPtr(r)), get(end))), (r) => dlane(get(coef(r)), 0), dadd, dmul)),
        ),
      ]),
    ],
  };
}

/** nt(x, wt, z, n, d, K) / tn(res, x, g, n, d, K) over n rows, n a multiple of 4 (the caller pads). */
function rowsDriver(name: 'nt' | 'tn' | 'tns', block: number): FuncDef {
  const [A, B, C, N, D, K] = [0, 1, 2, 3, 4, 5];
  const i = 6;
  const row = (base: number, width: number): Code => add(get(base), shl(mul(get(i), get(width)), i32(3)));
  // nt: x and z move with the rows, wt does not; tn: res and x move with the rows, g does not.
  const args = (): Code[] => (name === 'nt' ? [row(A, D), get(B), row(C, K), get(D), get(K)] : [row(A, K), row(B, D), get(C), get(D), get(K)]);
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32],
    locals: [I32],
    body: forRange(i, i32(0), get(N), call(block, args()), i32(ROWS)),
  };
}

/**
 * dist4(q, r2, out, d, pairs, cosine): for 4 query rows (q, rows d apart) against `pairs` pairs of reference rows
 * stored interleaved (r2[p][j][2]), out[r][2p + lane] = sum_j (q[r][j] - ref[j])^2, or -sum_j q[r][j] ref[j]
 * with cosine; summed in j order like the JS loop. Two pairs per pass, then one.
 */
function distKernel(): FuncDef {
  const [Q, R2, OUT, D, PAIRS, COS] = [0, 1, 2, 3, 4, 5];
  const [p, j, qo, ro, p2] = [6, 7, 8, 9, 10];
  const rowPtr = (r: number): number => 11 + r;
  const acc = (r: number, h: number): number => 11 + ROWS + 2 * r + h;
  const rv = (h: number): number => 11 + 3 * ROWS + h;
  const qs = 11 + 3 * ROWS + 2;
  const e = qs + 1;
  const rs = Array.from({ length: ROWS }, (_, r) => r);
  const bytes = (n: Code): Code => shl(n, i32(3));
  const pass = (pairs: number, cosine: boolean): Code => {
    const hs = Array.from({ length: pairs }, (_, h) => h);
    const term = (r: number, h: number): Code =>
      cosine
        ? set(acc(r, h), vdsub(get(acc(r, h)), vdmul(get(qs), get(rv(h)))))
        : [...set(e, vdsub(get(qs), get(rv(h)))), ...set(acc(r, h), vdadd(get(acc(r, h)), vdmul(get(e), get(e))))];
    return [
      ...rs.flatMap((r) => hs.flatMap((h) => set(acc(r, h), dsplat(f64(0))))),
      ...set(qo, i32(0)),
      // pair p's row j at r2 + (p*d + j)*16; the next pair's row j one pair-row (d*16 bytes) further.
      ...set(ro, add(get(R2), shl(mul(get(p), get(D)), i32(4)))),
      ...forRange(j, i32(0), get(D), [
        ...hs.flatMap((h) => set(rv(h), h === 0 ? vload(get(ro)) : vload(add(get(ro), shl(get(D), i32(4)))))),
        ...rs.flatMap((r) => [...set(qs, loadSplat64(add(get(rowPtr(r)), get(qo)))), ...hs.flatMap((h) => term(r, h))]),
        ...set(qo, add(get(qo), i32(8))),
        ...set(ro, add(get(ro), i32(16))),
      ]),
      ...rs.flatMap((r) => hs.flatMap((h) => vstore(add(get(OUT), bytes(add(mul(get(p2), i32(r)), shl(add(get(p), i32(h)), i32(1))))), get(acc(r, h))))),
    ];
  };
  const both = (pairs: number): Code => ifThen(get(COS), pass(pairs, true), pass(pairs, false));
  return {
    name: 'dist4',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, ...rs.map(() => I32), ...rs.flatMap(() => [V128, V128]), V128, V128, V128, V128],
    body: [
      ...rs.flatMap((r) => set(rowPtr(r), add(get(Q), bytes(mul(get(D), i32(r)))))),
      // out rows hold 2 * pairs values.
      ...set(p2, shl(get(PAIRS), i32(1))),
      ...forRange(p, i32(0), and(get(PAIRS), i32(-2)), both(2), i32(2)),
      ...ifThen(and(get(PAIRS), i32(1)), [...set(p, sub(get(PAIRS), i32(1))), ...both(1)]),
    ],
  };
}

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
function softmaxKernel(): FuncDef {
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
function interceptKernel(): FuncDef {
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

interface Exports {
  nt(x: number, w: number, z: number, n: number, d: number, k: number): void;
  tn(res: number, x: number, g: number, n: number, d: number, k: number): void;
  tns(res: number, x: number, g: number, n: number, d: number, k: number): void;
  dist4(q: number, r2: number, out: number, d: number, pairs: number, cosine: number): void;
  softmax(z: number, b: number, y: number, s: number, n: number, k: number, e: number): void;
  icpt(z: number, g: number, groups: number, k: number): void;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    // Function indices: 0 nt4, 1 tn4, 2 nt, 3 tn, 4 dist4, 5 tn4s, 6 tns, 7 softmax, 8 icpt.
    const bytes = assemble([ntKernel(), tnKernel(ROWS, false), rowsDriver('nt', 0), rowsDriver('tn', 1), distKernel(), tnKernel(ROWS, true), rowsDriver('tns', 5), softmaxKernel(), interceptKernel()]);
    compiled = WA.validate(bytes) ? new WA.Module(bytes) : null;
  }
  return compiled;
}

/**
 * Products with one fixed X (n x d, copied in once): Z = X . W^T and G = Z^T . X. Used by the logistic probe
 * (scores and gradient) and by randomized PCA (its range finder). Views are valid until the next object is made.
 */
export interface RowProducts {
  /** W transposed, d x Kp (Kp = K rounded up to even; the pad column is never read back): write before scores(). */
  wt: Float64Array;
  /** Z after scores() (n rows, then the pad rows'); the first n rows are the input of gradient(). */
  z: Float64Array;
  /** G = Z^T X (K x d) after gradient(). */
  g: Float64Array;
  scores(): void;
  /** Sums 4 rows' products, then adds them (the logistic loop's order). */
  gradient(): void;
  /** Adds one row's product at a time (the PCA loop's order). */
  gradientSequential(): void;
  /**
   * scores() and gradient() a block of rows at a time, so each block of X is read twice while it is in cache
   * (X of raw pixels does not fit): Z for rows [start, start + count), then G += their products, in gradient()'s
   * order when the blocks go in row order from a zeroed G. start and count are multiples of 4; the last block
   * holds the pad rows, whose residuals the caller zeroes.
   */
  scoresRows(start: number, count: number): void;
  addGradientRows(start: number, count: number): void;
  /** Intercepts (K values) for softmaxRows; written by the caller. */
  bias: Float64Array;
  /** Per row after softmaxRows: max score, sum of exponentials, the labelled score (3 values a row). */
  rowStats: Float64Array;
  /**
   * The multinomial loss's per-row work on rows [start, start + count) of Z (see softmaxKernel): only when the
   * products were made with labels (and K >= 2).
   */
  softmaxRows(start: number, count: number): void;
  /** The intercepts' gradient sums (K values), added to by addInterceptRows; zero it before a pass. */
  interceptGrad: Float64Array;
  /** interceptGrad[c] += the residuals of rows [start, start + count) of Z, 4 rows a term (count a multiple of 4). */
  addInterceptRows(start: number, count: number): void;
}

/** Largest memory the probe kernels take (beyond it the JS path runs, which needs no copy). */
const MAX_BYTES = 1 << 30;
/** Workspaces up to this size are kept and reused (a trainer scores every trial's codes); larger ones are one-off. */
const KEEP_BYTES = 64 << 20;

let kept: { memory: WasmMemory; exports: Exports } | null = null;

/**
 * Memory for one problem, and the kernels bound to it. The kept one is reused (grown when needed), so views
 * from an earlier problem may be detached: each problem's object is used only until the next one is made.
 */
function workspace(mod: object, bytes: number): { exports: Exports; buf: ArrayBuffer } | null {
  if (bytes > MAX_BYTES) return null;
  const pages = Math.ceil(bytes / PAGE);
  try {
    if (bytes <= KEEP_BYTES) {
      if (!kept) {
        const memory = new WA.Memory({ initial: pages });
        kept = { memory, exports: new WA.Instance(mod, { env: { memory } }).exports as unknown as Exports };
      } else if (kept.memory.buffer.byteLength < bytes) {
        kept.memory.grow(pages - kept.memory.buffer.byteLength / PAGE);
      }
      return { exports: kept.exports, buf: kept.memory.buffer };
    }
    const memory = new WA.Memory({ initial: pages });
    return { exports: new WA.Instance(mod, { env: { memory } }).exports as unknown as Exports, buf: memory.buffer };
  } catch {
    return null; // no room for the memory: the JS path needs none
  }
}

export function createRowProducts(x: Float32Array | Float64Array, n: number, d: number, k: number, labels?: Int32Array): RowProducts | null {
  const mod = module();
  if (!mod) return null;
  // Rows padded to a multiple of 4 with copies of the last row (their residuals are zero), as the JS loop does.
  const rows = Math.ceil(n / ROWS) * ROWS;
  const kp = k + (k % 2);
  // Then the softmax's intercepts, per-row stats, labels (int32) and one row's exponentials when labels are given.
  const softBytes = labels ? (k + rows * 3) * 8 + rows * 4 + k * 8 : 0;
  // Last, the intercepts' gradient sums (K values).
  const bytes = (rows * d + d * kp + k * d + rows * k) * 8 + softBytes + k * 8;
  const space = workspace(mod, bytes);
  if (!space) return null;
  const { exports, buf } = space;
  const xOff = 0;
  const wOff = xOff + rows * d * 8;
  const zOff = wOff + d * kp * 8;
  const gOff = zOff + rows * k * 8;
  const xs = new Float64Array(buf, xOff, rows * d);
  xs.set(x.subarray(0, n * d));
  for (let r = n; r < rows; r++) xs.copyWithin(r * d, (n - 1) * d, n * d);
  const z = new Float64Array(buf, zOff, rows * k);
  const g = new Float64Array(buf, gOff, k * d);
  const bOff = gOff + k * d * 8;
  const sOff = bOff + k * 8;
  const yOff = sOff + rows * 3 * 8;
  const eOff = yOff + rows * 4;
  const iOff = gOff + k * d * 8 + softBytes;
  if (labels) new Int32Array(buf, yOff, rows).set(labels.subarray(0, n));
  return {
    wt: new Float64Array(buf, wOff, d * kp),
    z,
    g,
    scores: () => exports.nt(xOff, wOff, zOff, rows, d, k),
    gradient: () => {
      z.fill(0, n * k);
      g.fill(0);
      exports.tn(zOff, xOff, gOff, rows, d, k);
    },
    gradientSequential: () => {
      z.fill(0, n * k);
      g.fill(0);
      exports.tns(zOff, xOff, gOff, rows, d, k);
    },
    scoresRows: (start, count) => exports.nt(xOff + start * d * 8, wOff, zOff + start * k * 8, count, d, k),
    addGradientRows: (start, count) => exports.tn(zOff + start * k * 8, xOff + start * d * 8, gOff, count, d, k),
    bias: labels ? new Float64Array(buf, bOff, k) : new Float64Array(0),
    rowStats: labels ? new Float64Array(buf, sOff, rows * 3) : new Float64Array(0),
    softmaxRows: (start, count) => {
      if (!labels || k < 2) throw new Error('softmaxRows: the products were made without labels');
      exports.softmax(zOff + start * k * 8, bOff, yOff + start * 4, sOff + start * 3 * 8, count, k, eOff);
    },
    interceptGrad: new Float64Array(buf, iOff, k),
    addInterceptRows: (start, count) => {
      if (count % ROWS) throw new Error(`addInterceptRows: ${count} rows is not a multiple of ${ROWS}`);
      exports.icpt(zOff + start * k * 8, iOff, count / ROWS, k);
    },
  };
}

/** Squared distances (or minus dot products) of blocks of 4 queries against runs of reference rows. */
export interface DistanceKernels {
  /** out[r][t - t0] for the 4 queries from row i0 (rows past the end repeat the last) and references t0..t1. */
  block(i0: number, t0: number, t1: number): Float64Array;
}

/** Queries and references copied in once (references interleaved in pairs); null when wasm is unavailable. */
export function createDistanceKernels(query: Float32Array | Float64Array, nq: number, ref: Float32Array | Float64Array, nr: number, d: number, tile: number, cosine: boolean): DistanceKernels | null {
  const mod = module();
  if (!mod) return null;
  const qRows = Math.ceil(nq / ROWS) * ROWS;
  const pairs = Math.ceil(nr / 2);
  const outFloats = ROWS * (tile + 2);
  const bytes = (qRows * d + pairs * 2 * d + outFloats) * 8;
  const space = workspace(mod, bytes);
  if (!space) return null;
  const { exports, buf } = space;
  const qOff = 0;
  const rOff = qRows * d * 8;
  const oOff = rOff + pairs * 2 * d * 8;
  const q = new Float64Array(buf, qOff, qRows * d);
  q.set(query.subarray(0, nq * d));
  for (let r = nq; r < qRows; r++) q.copyWithin(r * d, (nq - 1) * d, nq * d);
  const r2 = new Float64Array(buf, rOff, pairs * 2 * d);
  for (let t = 0; t < nr; t++) {
    const base = (t >> 1) * 2 * d + (t & 1);
    for (let j = 0; j < d; j++) r2[base + 2 * j] = ref[t * d + j];
  }
  const out = new Float64Array(buf, oOff, outFloats);
  return {
    block: (i0, t0, t1) => {
      // Pairs start at even rows: from an odd t0 the block starts one row early (its first column is skipped).
      const start = t0 & ~1;
      const n = Math.ceil((t1 - start) / 2);
      exports.dist4(qOff + i0 * d * 8, rOff + (start >> 1) * 2 * d * 8, oOff, d, n, cosine ? 1 : 0);
      return out.subarray(0, ROWS * 2 * n);
    },
  };
}
