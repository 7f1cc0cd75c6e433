// The evaluation's float64 hot loops in WebAssembly SIMD (f64x2), one problem at a time in a reused memory:
//   row products Z = X . W^T and G = Z^T . X (the logistic probe's scores and gradient, randomized PCA's range
//   finder); blocks of squared distances (or minus dot products) between kNN queries and references; and the
//   probe's per-row softmax and intercept sums (logisticKernels.ts), assembled into the same module.
// On raw pixels (n x 784) these are ~99% of the work; each sums in its JS loop's order, so results are
// bit-identical to the JS paths' (and fits, components and neighbour lists with them).
import { WA } from '../../wasm/api';
import { keptWorkspace } from '../../wasm/workspace';
import { interceptKernel, softmaxKernel } from './logisticKernels';
import { I32, V128, add, and, assemble, call, dadd, dlane, dload, dmul, dsplat, dstore, f64, forRange, loadSplat64, get, i32, ifThen, ltS, mul, set, shl, sub, vdadd, vdsub, vdmul, vload, vstore, type Code, type FuncDef } from '../../wasm/asm';

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

/**
 * The probe kernels' memory: up to 64 MB kept and reused (a trainer scores every trial's codes), larger problems
 * one-off, none past 1 GB (the JS path runs there, which needs no copy).
 */
const workspace = keptWorkspace<Exports>(module, 64 << 20, 1 << 30);

export function createRowProducts(x: Float32Array | Float64Array, n: number, d: number, k: number, labels?: Int32Array): RowProducts | null {
  if (!module()) return null;
  // Rows padded to a multiple of 4 with copies of the last row (their residuals are zero), as the JS loop does.
  const rows = Math.ceil(n / ROWS) * ROWS;
  const kp = k + (k % 2);
  // Then the softmax's intercepts, per-row stats, labels (int32) and one row's exponentials when labels are given.
  const softBytes = labels ? (k + rows * 3) * 8 + rows * 4 + k * 8 : 0;
  // Last, the intercepts' gradient sums (K values).
  const bytes = (rows * d + d * kp + k * d + rows * k) * 8 + softBytes + k * 8;
  const space = workspace(bytes);
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
  if (!module()) return null;
  const qRows = Math.ceil(nq / ROWS) * ROWS;
  const pairs = Math.ceil(nr / 2);
  const outFloats = ROWS * (tile + 2);
  const bytes = (qRows * d + pairs * 2 * d + outFloats) * 8;
  const space = workspace(bytes);
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
