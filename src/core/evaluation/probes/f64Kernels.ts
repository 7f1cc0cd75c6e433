// The logistic probe's two float64 products in WebAssembly SIMD (f64x2), on a memory of their own:
//   Z = X . W^T (scores, n x K) and G = R^T . X (gradient, K x d), X n x d row-major, K = classes.
// On raw pixels (n x 784) these are ~99% of a fit; plain JS ran them at ~1.9 GFLOP/s, these at ~9. Float64
// in the JS loop's summation order, so the objective and gradient are bit-identical to the JS path's.
import { WA, PAGE, type WasmMemory } from '../../wasm/api';
import { I32, V128, add, and, assemble, call, dadd, dlane, dload, dmul, dsplat, dstore, f64, forRange, loadSplat64, get, i32, ifThen, ltS, mul, set, shl, vdadd, vdmul, vload, vstore, type Code, type FuncDef } from '../../wasm/asm';

const ROWS = 4;

/**
 * nt4(x, wt, z, d, K): z[r][k] = sum_j x[r][j] wt[j][k] for 4 rows, up to four classes per pass (two per
 * vector). wt is W transposed (d x Kp, Kp = K rounded up to even, zero padded), so every score is summed in j
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
function tnKernel(rows: number): FuncDef {
  const [RES, X, G, D, K] = [0, 1, 2, 3, 4];
  const [k, o, end, gk] = [5, 6, 7, 8];
  const rowPtr = (r: number): number => 9 + r;
  const coef = (r: number): number => 9 + rows + r;
  const sum = 9 + 2 * rows;
  const rs = Array.from({ length: rows }, (_, r) => r);
  const bytes = (n: Code): Code => shl(n, i32(3));
  const weighted = (load: (r: number) => Code, scale: (r: number) => Code, madd: (a: Code, b: Code) => Code, times: (a: Code, b: Code) => Code): Code =>
    rs.slice(1).reduce((accCode, r) => madd(accCode, times(scale(r), load(r))), times(scale(0), load(0)));
  return {
    name: `tn${rows}`,
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, ...rs.map(() => I32), ...rs.map(() => V128), V128],
    body: [
      ...rs.flatMap((r) => set(rowPtr(r), add(get(X), bytes(mul(get(D), i32(r)))))),
      ...set(end, bytes(and(get(D), i32(-2)))),
      ...forRange(k, i32(0), get(K), [
        ...rs.flatMap((r) => set(coef(r), dsplat(dload(add(get(RES), bytes(add(mul(get(K), i32(r)), get(k)))))))),
        ...set(gk, add(get(G), bytes(mul(get(k), get(D))))),
        ...forRange(o, i32(0), get(end), [
          ...set(sum, weighted((r) => vload(add(get(rowPtr(r)), get(o))), (r) => get(coef(r)), vdadd, vdmul)),
          ...vstore(add(get(gk), get(o)), vdadd(vload(add(get(gk), get(o))), get(sum))),
        ], i32(16)),
        ...ifThen(
          ltS(get(end), bytes(get(D))),
          dstore(
            add(get(gk), get(end)),
            dadd(dload(add(get(gk), get(end))), weighted((r) => dload(add(get(rowPtr(r)), get(end))), (r) => dlane(get(coef(r)), 0), dadd, dmul)),
          ),
        ),
      ]),
    ],
  };
}

/** nt(x, wt, z, n, d, K) / tn(res, x, g, n, d, K) over n rows, n a multiple of 4 (the caller pads). */
function rowsDriver(name: 'nt' | 'tn', block: number): FuncDef {
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

interface Exports {
  nt(x: number, w: number, z: number, n: number, d: number, k: number): void;
  tn(res: number, x: number, g: number, n: number, d: number, k: number): void;
}

let compiled: object | null | undefined;

function module(): object | null {
  if (compiled === undefined) {
    // Function indices: 0 nt4, 1 tn4, 2 nt, 3 tn.
    const bytes = assemble([ntKernel(), tnKernel(ROWS), rowsDriver('nt', 0), rowsDriver('tn', 1)]);
    compiled = WA.validate(bytes) ? new WA.Module(bytes) : null;
  }
  return compiled;
}

/** The products of one logistic problem, with X copied in once; views are valid until the object is dropped. */
export interface LogisticKernels {
  /** Weights transposed, d x Kp (Kp = K rounded up to even; the pad column stays 0): write before scores(). */
  wt: Float64Array;
  /** Scores after scores() (n rows, then the pad rows'); overwrite the first n with the residuals before gradient(). */
  z: Float64Array;
  /** The weight gradient sum_i res[i][k] x[i][j] after gradient(). */
  g: Float64Array;
  scores(): void;
  gradient(): void;
}

/** Largest memory the probe kernels take (beyond it the JS path runs, which needs no copy). */
const MAX_BYTES = 1 << 30;

export function createLogisticKernels(x: Float32Array | Float64Array, n: number, d: number, k: number): LogisticKernels | null {
  const mod = module();
  if (!mod) return null;
  // Rows padded to a multiple of 4 with copies of the last row (their residuals are zero), as the JS loop does.
  const rows = Math.ceil(n / ROWS) * ROWS;
  const kp = k + (k % 2);
  const bytes = (rows * d + d * kp + k * d + rows * k) * 8;
  if (bytes > MAX_BYTES) return null;
  let memory: WasmMemory;
  try {
    memory = new WA.Memory({ initial: Math.ceil(bytes / PAGE) });
  } catch {
    return null; // no room for another memory: the JS path needs none
  }
  const exports = new WA.Instance(mod, { env: { memory } }).exports as unknown as Exports;
  const buf = memory.buffer;
  const xOff = 0;
  const wOff = xOff + rows * d * 8;
  const zOff = wOff + d * kp * 8;
  const gOff = zOff + rows * k * 8;
  const xs = new Float64Array(buf, xOff, rows * d);
  xs.set(x.subarray(0, n * d));
  for (let r = n; r < rows; r++) xs.copyWithin(r * d, (n - 1) * d, n * d);
  const z = new Float64Array(buf, zOff, rows * k);
  const g = new Float64Array(buf, gOff, k * d);
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
  };
}
