// Exact PCA's float64 hot loops in WebAssembly SIMD (f64x2): the scatter matrix X^T X, and the O(n^3) loops of
// symmetricEigen (tred2's updates and accumulation, tql2's rotations). Each kernel performs the JS loop's IEEE
// operations in the JS loop's order for every output value (no fused multiply-add, no reassociation): SIMD lanes
// and interleaved chains only compute different values side by side, so results are bit-identical to the JS paths.
import { WA } from '../wasm/api';
import { keptWorkspace } from '../wasm/workspace';
import { F64, I32, V128, add, assemble, dadd, dload, dmul, dsplat, dstore, dsub, f64, forRange, get, i32, ifThen, loadSplat64, ltS, mul, set, shl, sub, vdadd, vdmul, vdsub, vload, vstore, type Code, type FuncDef } from '../wasm/asm';

const bytes = (n: Code): Code => shl(n, i32(3));

/**
 * scat(blk, c, quads, b, cp): c[r][s] += sum_i x[i][r] x[i][s] over one block of b rows, for 4 x 4 tiles on and
 * above the diagonal. blk holds the block four columns at a time (blk[q][i][4]), so a tile reads its four rows'
 * values as splats and its four columns as two vectors; each of the 16 sums starts at 0 and runs over i in order,
 * then is added to c (cp x cp, cp = 4 quads): the JS scatter's per-block order. Tiles on the diagonal also fill
 * a few entries below it, which the caller never reads.
 */
function scatterKernel(): FuncDef {
  const [BLK, C, Q, B, CP] = [0, 1, 2, 3, 4];
  const [jq, kq, pa, pb, end, crow] = [5, 6, 7, 8, 9, 10];
  const [s, bv0, bv1] = [11, 12, 13];
  const acc = (m: number, h: number): number => 14 + 2 * m + h;
  const ms = [0, 1, 2, 3];
  const hs = [0, 1];
  const panel = (q: number): Code => add(get(BLK), shl(mul(get(q), get(B)), i32(5)));
  return {
    name: 'scat',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, V128, V128, V128, ...ms.flatMap(() => [V128, V128])],
    body: forRange(jq, i32(0), get(Q), forRange(kq, get(jq), get(Q), [
      ...ms.flatMap((m) => hs.flatMap((h) => set(acc(m, h), dsplat(f64(0))))),
      ...set(pb, panel(kq)),
      ...set(end, add(panel(jq), shl(get(B), i32(5)))),
      ...forRange(pa, panel(jq), get(end), [
        ...set(bv0, vload(get(pb))),
        ...set(bv1, vload(get(pb), 16)),
        ...ms.flatMap((m) => [
          ...set(s, loadSplat64(add(get(pa), i32(8 * m)))),
          ...set(acc(m, 0), vdadd(get(acc(m, 0)), vdmul(get(s), get(bv0)))),
          ...set(acc(m, 1), vdadd(get(acc(m, 1)), vdmul(get(s), get(bv1)))),
        ]),
        ...set(pb, add(get(pb), i32(32))),
      ], i32(32)),
      ...set(crow, add(get(C), shl(add(mul(get(jq), get(CP)), get(kq)), i32(5)))),
      ...ms.flatMap((m) => hs.flatMap((h) => {
        const addr = m === 0 ? get(crow) : add(get(crow), mul(get(CP), i32(8 * m)));
        return vstore(addr, vdadd(vload(addr, 16 * h), get(acc(m, h))), 16 * h);
      })),
    ])),
  };
}

/**
 * rot(a, b, n, c, s): one QL rotation of rows a and b (byte addresses, n values each):
 * b[k] = s a[k] + c b[k], a[k] = c a[k] - s b[k] with the old b[k]: elementwise, two k per vector.
 */
function rotationKernel(): FuncDef {
  const [A, B, N, C, S] = [0, 1, 2, 3, 4];
  const [o, end, cv, sv, av, hv] = [5, 6, 7, 8, 9, 10];
  const [as, hs] = [11, 12];
  return {
    name: 'rot',
    params: [I32, I32, I32, F64, F64],
    locals: [I32, I32, V128, V128, V128, V128, F64, F64],
    body: [
      ...set(cv, dsplat(get(C))),
      ...set(sv, dsplat(get(S))),
      ...set(end, shl(sub(get(N), i32(1)), i32(3))),
      ...forRange(o, i32(0), get(end), [
        ...set(hv, vload(add(get(B), get(o)))),
        ...set(av, vload(add(get(A), get(o)))),
        ...vstore(add(get(B), get(o)), vdadd(vdmul(get(sv), get(av)), vdmul(get(cv), get(hv)))),
        ...vstore(add(get(A), get(o)), vdsub(vdmul(get(cv), get(av)), vdmul(get(sv), get(hv)))),
      ], i32(16)),
      ...ifThen(ltS(get(o), bytes(get(N))), [
        ...set(hs, dload(add(get(B), get(o)))),
        ...set(as, dload(add(get(A), get(o)))),
        ...dstore(add(get(B), get(o)), dadd(dmul(get(S), get(as)), dmul(get(C), get(hs)))),
        ...dstore(add(get(A), get(o)), dsub(dmul(get(C), get(as)), dmul(get(S), get(hs)))),
      ]),
    ],
  };
}

/**
 * Elementwise row[k] -= g d[k] (onlyD) or row[k] -= f e[k] + g d[k] over byte offsets [o, end): a vector loop,
 * then one scalar element when the count is odd. Uses locals o, fv, gv (vectors) and f, g (scalars).
 */
function rowUpdate(row: number, dAt: number, eAt: number | null, o: number, end: number, fv: number, gv: number, f: number, g: number): Code {
  const vterm = (p: Code): Code => (eAt === null ? vdmul(get(gv), vload(add(get(dAt), p))) : vdadd(vdmul(get(fv), vload(add(get(eAt), p))), vdmul(get(gv), vload(add(get(dAt), p)))));
  const sterm = (p: Code): Code => (eAt === null ? dmul(get(g), dload(add(get(dAt), p))) : dadd(dmul(get(f), dload(add(get(eAt), p))), dmul(get(g), dload(add(get(dAt), p)))));
  return [
    ...forRange(o, get(o), sub(get(end), i32(8)), vstore(add(get(row), get(o)), vdsub(vload(add(get(row), get(o))), vterm(get(o)))), i32(16)),
    ...ifThen(ltS(get(o), get(end)), dstore(add(get(row), get(o)), dsub(dload(add(get(row), get(o))), sterm(get(o))))),
  ];
}

/**
 * tredUpd(t, d, e, n, i): tred2's rank-2 update of rows j < i, t[j][k] -= f e[k] + g d[k] (k = j .. i-1, with
 * f = d[j], g = e[j]), then d[j] = t[j][i-1] and t[j][i] = 0.
 */
function tredUpdateKernel(): FuncDef {
  const [T, D, E, N, I] = [0, 1, 2, 3, 4];
  const [j, row, o, end] = [5, 6, 7, 8];
  const [fv, gv, f, g] = [9, 10, 11, 12];
  return {
    name: 'tredUpd',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, V128, V128, F64, F64],
    body: [
      ...set(end, bytes(get(I))),
      ...forRange(j, i32(0), get(I), [
        ...set(f, dload(add(get(D), bytes(get(j))))),
        ...set(g, dload(add(get(E), bytes(get(j))))),
        ...set(fv, dsplat(get(f))),
        ...set(gv, dsplat(get(g))),
        ...set(row, add(get(T), bytes(mul(get(j), get(N))))),
        ...set(o, bytes(get(j))),
        ...rowUpdate(row, D, E, o, end, fv, gv, f, g),
        ...dstore(add(get(D), bytes(get(j))), dload(add(get(row), sub(get(end), i32(8))))),
        ...dstore(add(get(row), get(end)), f64(0)),
      ]),
    ],
  };
}

/** Rows handled together by tredSymv and tredAcc: independent sums, so their latencies overlap. */
const GROUP = 4;

/**
 * tredSymv(t, d, e, n, i): tred2's product loop over rows j < i: t[i][j] = f = d[j];
 * e[j] = e[j] + t[j][j] f + sum_{k=j+1..i-1} t[j][k] d[k] (in k order), with e[k] += t[j][k] f along the way.
 * Rows go in groups of GROUP: the triangle where the group's rows feed each other's e first, row by row as in
 * JS, then the rest of the rows side by side, each e[k] still receiving the rows' terms in row order.
 */
function tredSymvKernel(): FuncDef {
  const [T, D, E, N, I] = [0, 1, 2, 3, 4];
  const [j, o, jo] = [5, 6, 7];
  const [dk, ek] = [8, 9];
  const row = (r: number): number => 10 + r;
  const f = (r: number): number => 10 + GROUP + r;
  const g = (r: number): number => 10 + 2 * GROUP + r;
  const tv = (r: number): number => 10 + 3 * GROUP + r;
  const group = (size: number): Code => {
    const rs = Array.from({ length: size }, (_, r) => r);
    const dAt = add(get(D), get(jo));
    const eAt = add(get(E), get(jo));
    return [
      ...set(jo, bytes(get(j))),
      ...rs.flatMap((r) => [
        ...set(row(r), add(get(T), bytes(mul(add(get(j), i32(r)), get(N))))),
        ...set(f(r), dload(dAt, 8 * r)),
        ...dstore(add(get(T), bytes(add(mul(get(I), get(N)), add(get(j), i32(r))))), get(f(r))),
      ]),
      ...rs.flatMap((r) => [
        ...set(g(r), dadd(dload(eAt, 8 * r), dmul(dload(add(get(row(r)), get(jo)), 8 * r), get(f(r))))),
        ...rs.slice(r + 1).flatMap((k) => [
          ...set(tv(r), dload(add(get(row(r)), get(jo)), 8 * k)),
          ...set(g(r), dadd(get(g(r)), dmul(get(tv(r)), dload(dAt, 8 * k)))),
          ...dstore(eAt, dadd(dload(eAt, 8 * k), dmul(get(tv(r)), get(f(r)))), 8 * k),
        ]),
      ]),
      ...forRange(o, add(get(jo), i32(8 * size)), bytes(get(I)), [
        ...set(dk, dload(add(get(D), get(o)))),
        ...set(ek, dload(add(get(E), get(o)))),
        ...rs.flatMap((r) => [
          ...set(tv(r), dload(add(get(row(r)), get(o)))),
          ...set(g(r), dadd(get(g(r)), dmul(get(tv(r)), get(dk)))),
          ...set(ek, dadd(get(ek), dmul(get(tv(r)), get(f(r))))),
        ]),
        ...dstore(add(get(E), get(o)), get(ek)),
      ], i32(8)),
      ...rs.flatMap((r) => dstore(eAt, get(g(r)), 8 * r)),
    ];
  };
  return {
    name: 'tredSymv',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, F64, F64, ...Array.from({ length: GROUP }, () => I32), ...Array.from({ length: 3 * GROUP }, () => F64)],
    body: [
      ...forRange(j, i32(0), sub(get(I), i32(GROUP - 1)), group(GROUP), i32(GROUP)),
      ...forRange(j, get(j), get(I), group(1)),
    ],
  };
}

/**
 * tredAcc(t, d, n, i): tred2's accumulation for rows j <= i: g = sum_k t[i+1][k] t[j][k] (k = 0 .. i, in order,
 * from 0), then t[j][k] -= g d[k]. Row j's update never feeds another row's sum, so GROUP rows sum side by side.
 */
function tredAccKernel(): FuncDef {
  const [T, D, N, I] = [0, 1, 2, 3];
  const [j, o, end, next] = [4, 5, 6, 7];
  const [u, gv, fv, zero] = [8, 9, 10, 11];
  const row = (r: number): number => 12 + r;
  const g = (r: number): number => 12 + GROUP + r;
  const group = (size: number): Code => {
    const rs = Array.from({ length: size }, (_, r) => r);
    return [
      ...rs.flatMap((r) => [...set(row(r), add(get(T), bytes(mul(add(get(j), i32(r)), get(N))))), ...set(g(r), f64(0))]),
      ...forRange(o, i32(0), get(end), [
        ...set(u, dload(add(get(next), get(o)))),
        ...rs.flatMap((r) => set(g(r), dadd(get(g(r)), dmul(get(u), dload(add(get(row(r)), get(o))))))),
      ], i32(8)),
      ...rs.flatMap((r) => [...set(gv, dsplat(get(g(r)))), ...set(o, i32(0)), ...rowUpdate(row(r), D, null, o, end, fv, gv, zero, g(r))]),
    ];
  };
  return {
    name: 'tredAcc',
    params: [I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, F64, V128, V128, F64, ...Array.from({ length: GROUP }, () => I32), ...Array.from({ length: GROUP }, () => F64)],
    body: [
      ...set(end, bytes(add(get(I), i32(1)))),
      ...set(next, add(get(T), bytes(mul(add(get(I), i32(1)), get(N))))),
      ...forRange(j, i32(0), sub(get(I), i32(GROUP - 2)), group(GROUP), i32(GROUP)),
      ...forRange(j, get(j), add(get(I), i32(1)), group(1)),
    ],
  };
}

interface Exports {
  scat(blk: number, c: number, quads: number, b: number, cp: number): void;
  rot(a: number, b: number, n: number, c: number, s: number): void;
  tredUpd(t: number, d: number, e: number, n: number, i: number): void;
  tredSymv(t: number, d: number, e: number, n: number, i: number): void;
  tredAcc(t: number, d: number, n: number, i: number): void;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    const bytesOut = assemble([scatterKernel(), rotationKernel(), tredUpdateKernel(), tredSymvKernel(), tredAccKernel()]);
    compiled = WA.validate(bytesOut) ? new WA.Module(bytesOut) : null;
  }
  return compiled;
}

/** These kernels' memory: up to 64 MB kept and reused, larger problems one-off, none past 1 GB (the JS paths run). */
const workspace = keptWorkspace<Exports>(module, 64 << 20, 1 << 30);

/** The JS scatter's row block: the same blocks, so the same per-block sums. */
const BLOCK = 256;

/**
 * X^T X of xc (rows x cols) in wasm, bit-identical to linalg's scatter; null when wasm is unavailable. The block
 * of rows is copied in four columns at a time (zero columns pad the last four), and the upper triangle read back
 * and mirrored as the JS function does.
 */
export function scatterWasm(xc: Float64Array, rows: number, cols: number): Float64Array | null {
  const quads = Math.ceil(cols / 4);
  const cp = quads * 4;
  const blkBytes = quads * BLOCK * 32;
  const space = workspace(blkBytes + cp * cp * 8);
  if (!space) return null;
  const { exports, buf } = space;
  const blk = new Float64Array(buf, 0, quads * BLOCK * 4);
  const cw = new Float64Array(buf, blkBytes, cp * cp);
  cw.fill(0);
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const b = Math.min(BLOCK, rows - r0);
    if (cp > cols) blk.fill(0, (quads - 1) * b * 4, quads * b * 4);
    for (let i = 0; i < b; i++) {
      const src = (r0 + i) * cols;
      for (let j = 0; j < cols; j++) blk[((j >> 2) * b + i) * 4 + (j & 3)] = xc[src + j];
    }
    exports.scat(0, blkBytes, quads, b, cp);
  }
  const c = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) {
    for (let k = j; k < cols; k++) c[j * cols + k] = cw[j * cp + k];
    for (let k = 0; k < j; k++) c[j * cols + k] = c[k * cols + j];
  }
  return c;
}

/**
 * symmetricEigen's working arrays in wasm memory (t: n x n, d and e: n values each) and its O(n^3) loops on
 * them; i, a and b are the row indices of the JS loops. Views are valid until the next workspace is made.
 */
export interface EigenKernels {
  t: Float64Array;
  d: Float64Array;
  e: Float64Array;
  /** tred2's product loop for step i (see tredSymvKernel). */
  symv(i: number): void;
  /** tred2's rank-2 update for step i. */
  update(i: number): void;
  /** tred2's accumulation for step i (d[0..i] already divided by h). */
  accumulate(i: number): void;
  /** tql2's rotation of rows a and b by cosine c and sine s. */
  rotate(a: number, b: number, c: number, s: number): void;
}

export function eigenKernels(n: number): EigenKernels | null {
  const tOff = 0;
  const dOff = n * n * 8;
  const eOff = dOff + n * 8;
  const space = workspace(eOff + n * 8);
  if (!space) return null;
  const { exports, buf } = space;
  const rowBytes = n * 8;
  return {
    t: new Float64Array(buf, tOff, n * n),
    d: new Float64Array(buf, dOff, n),
    e: new Float64Array(buf, eOff, n),
    symv: (i) => exports.tredSymv(tOff, dOff, eOff, n, i),
    update: (i) => exports.tredUpd(tOff, dOff, eOff, n, i),
    accumulate: (i) => exports.tredAcc(tOff, dOff, n, i),
    rotate: (a, b, c, s) => exports.rot(tOff + a * rowBytes, tOff + b * rowBytes, n, c, s),
  };
}
