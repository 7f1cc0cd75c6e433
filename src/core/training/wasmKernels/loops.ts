// Hot loops in WebAssembly (JS ran them at 3-12 ns per element here; these at ~0.2-1), instantiated on the wasm backend's own memory so they read and write tensors in
// place by byte address. Each has a plain-JS twin in its caller, used when the memory is not reachable.
import { F32, I32, V128, add, and, assemble, at, bitselect, eq, geS, leS, f32, fadd, fdiv, fgt, fmul, fne, forRange, fsqrt, fsub, get, i32, ifThen, load, ltS, ltU, mul, select, set, shl, splat, store, sub, vadd, vdiv, vgt, vload, vmul, vne, vsqrt, vstore, vsub, vmadd, vzero, type Code, type FuncDef } from '../../wasm/asm';
import { WA } from '../../wasm/api';
import { BATCH_NORM_FUNCS, type BatchNormLoops } from './batchNormLoops';
import { CONV_BIAS_FUNCS, type ConvBiasLoops } from './convBiasLoops';
import { convDirectFuncs, type ConvDirectLoops } from './convDirectLoops';
import { gemmFuncs } from './gemm';
import { im2panelFunc } from './im2panel';
import { LOSS_FUNCS, type LossLoops } from './lossLoops';
import { RANDOM_FUNCS, type RandomLoops } from './randomLoops';
import { OPTIMIZER_FUNCS, type OptimizerLoops } from './optimizerLoops';

// adam(w, g, m, v, w1, m1, v1, n, a, ic2, b1, omb1, b2, omb2, eps): SIMD over 4 floats, scalar tail.
//   m1 = b1 m + (1-b1) g;  v1 = b2 v + (1-b2) g^2;  w1 = w - a m1 / (sqrt(v1 * ic2) + eps)
const adam: FuncDef = (() => {
  const [W, G, M, V, W1, M1, V1, N, A, IC2, B1, OMB1, B2, OMB2, EPS] = Array.from({ length: 15 }, (_, i) => i);
  const [i, g, m, v, va, vic2, vb1, vomb1, vb2, vomb2, veps, n4, gs, ms, vs] = Array.from({ length: 15 }, (_, k) => 15 + k);
  const o = shl(get(i), i32(2));
  const vector = [
    ...set(g, vload(add(get(G), o))),
    ...set(m, vadd(vmul(get(vb1), vload(add(get(M), o))), vmul(get(vomb1), get(g)))),
    ...set(v, vadd(vmul(get(vb2), vload(add(get(V), o))), vmul(get(vomb2), vmul(get(g), get(g))))),
    ...vstore(add(get(M1), o), get(m)),
    ...vstore(add(get(V1), o), get(v)),
    ...vstore(add(get(W1), o), vsub(vload(add(get(W), o)), vdiv(vmul(get(va), get(m)), vadd(vsqrt(vmul(get(v), get(vic2))), get(veps))))),
  ];
  const scalar = [
    ...set(gs, load(at(get(G), get(i)))),
    ...set(ms, fadd(fmul(get(B1), load(at(get(M), get(i)))), fmul(get(OMB1), get(gs)))),
    ...set(vs, fadd(fmul(get(B2), load(at(get(V), get(i)))), fmul(get(OMB2), fmul(get(gs), get(gs))))),
    ...store(at(get(M1), get(i)), get(ms)),
    ...store(at(get(V1), get(i)), get(vs)),
    ...store(at(get(W1), get(i)), fsub(load(at(get(W), get(i))), fdiv(fmul(get(A), get(ms)), fadd(fsqrt(fmul(get(vs), get(IC2))), get(EPS))))),
  ];
  return {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32],
    locals: [I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, I32, F32, F32, F32],
    body: [
      ...set(va, splat(get(A))),
      ...set(vic2, splat(get(IC2))),
      ...set(vb1, splat(get(B1))),
      ...set(vomb1, splat(get(OMB1))),
      ...set(vb2, splat(get(B2))),
      ...set(vomb2, splat(get(OMB2))),
      ...set(veps, splat(get(EPS))),
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), vector, i32(4)),
      ...forRange(i, get(n4), get(N), scalar),
    ],
  };
})();

// Geometry parameters shared by im2col and col2im (after the two pointers).
const GEO = ['n', 'inH', 'inW', 'inC', 'outH', 'outW', 'fh', 'fw', 'sh', 'sw', 'top', 'left'] as const;
const geo = (k: (typeof GEO)[number]): number => 2 + GEO.indexOf(k);
const P14 = Array<number>(14).fill(I32);
/** A geometry parameter's value. */
const geoArg = (k: (typeof GEO)[number]): Code => get(geo(k));

/**
 * dst[ci] (+)= src[ci] for ci < n: four floats at a time up to n4 (n rounded down to a multiple of 4), then the
 * last n mod 4 one by one, unrolled (a one-channel 3x3 filter row is just such a 3-float tail).
 */
const run = (ci: number, n4: Code, n: Code, dst: Code, src: Code, accumulate: boolean): Code => {
  const one = (offset: number): Code =>
    store(at(dst, get(ci)), accumulate ? fadd(load(at(dst, get(ci)), offset), load(at(src, get(ci)), offset)) : load(at(src, get(ci)), offset), offset);
  return [
    ...forRange(ci, i32(0), n4, vstore(at(dst, get(ci)), accumulate ? vadd(vload(at(dst, get(ci))), vload(at(src, get(ci)))) : vload(at(src, get(ci)))), i32(4)),
    // Here ci = n4.
    ...ifThen(ltS(get(ci), n), [...one(0), ...ifThen(ltS(add(get(ci), i32(1)), n), [...one(4), ...ifThen(ltS(add(get(ci), i32(2)), n), one(8))])]),
  ];
};

// Both walk the patches output row by output row and, inside one, filter row (kh) by filter row: the input row
// a kh reads or writes is then fixed, its address computed once, and the patch slots it fills sit K floats apart,
// so the inner loop over output columns only steps two pointers. (Patch by patch, the index arithmetic per tap
// and the per-run loop set-up cost ~2.5 ns a float on a one-channel image, more than the copy itself: with a
// 3-float run per filter row, im2row was half of a one-channel convolution's time.) A filter row that lies wholly
// inside the image moves as one run of fw * inC contiguous floats; edge columns go tap by tap.
// col2im adds each dx pixel's terms in the same order as the patch-by-patch loop did (output row, then output
// column, then tap: within one output row a pixel row is reached from one kh only), so its sums are unchanged.

/** Locals of im2row and col2im, after the 14 params. */
const rowLocals = (() => {
  const names = ['b', 'oh', 'ow', 'kh', 'kw', 'ci', 'ih', 'iw', 'iw0', 'L', 'L4', 'c4', 'K4', 'sw4', 'dst', 'src', 'srcRow', 'rowStart'] as const;
  return Object.fromEntries(names.map((n, i) => [n, 14 + i])) as Record<(typeof names)[number], number>;
})();
const ROW_LOCALS = Array<number>(Object.keys(rowLocals).length).fill(I32);

/**
 * The loop over one output row's patches for filter row kh: the whole filter row as one run when it is inside
 * the image, else tap by tap. iw0 (the row's first column) and src (its pixel) step by the stride.
 */
function patchRowLoop(move: (slot: Code, pixel: Code, n4: Code, n: Code) => Code, edgeTapOutside: (slot: Code) => Code): Code {
  const l = rowLocals;
  const pixel = (iw: Code): Code => add(get(l.srcRow), shl(mul(iw, geoArg('inC')), i32(2)));
  const tapSlot = add(get(l.dst), shl(mul(get(l.kw), geoArg('inC')), i32(2)));
  return [
    ...set(l.iw0, sub(i32(0), geoArg('left'))),
    ...set(l.src, pixel(get(l.iw0))),
    ...forRange(l.ow, i32(0), geoArg('outW'), [
      ...ifThen(
        // 0 <= iw0 and iw0 + fw <= inW: the filter row's columns are all inside.
        and(geS(get(l.iw0), i32(0)), leS(add(get(l.iw0), geoArg('fw')), geoArg('inW'))),
        move(get(l.dst), get(l.src), get(l.L4), get(l.L)),
        forRange(l.kw, i32(0), geoArg('fw'), [
          ...set(l.iw, add(get(l.iw0), get(l.kw))),
          ...ifThen(
            ltU(get(l.iw), geoArg('inW')),
            move(tapSlot, pixel(get(l.iw)), get(l.c4), geoArg('inC')),
            edgeTapOutside(tapSlot),
          ),
        ]),
      ),
      ...set(l.dst, add(get(l.dst), get(l.K4))),
      ...set(l.iw0, add(get(l.iw0), geoArg('sw'))),
      ...set(l.src, add(get(l.src), get(l.sw4))),
    ]),
  ];
}

/**
 * The shared walk: for each image b, output row oh and filter row kh with ih inside the image, `dst` is the
 * byte address of patch (b, oh, 0)'s slot for kh in the patch matrix, `srcRow` that of pixel (b, ih, 0).
 * `rowOutside` runs instead when ih is outside the image. `patches` is the patch matrix's parameter index.
 */
function rowWalk(patches: number, image: number, inRow: Code, rowOutside: Code): Code {
  const l = rowLocals;
  return [
    ...set(l.c4, and(geoArg('inC'), i32(-4))),
    ...set(l.L, mul(geoArg('fw'), geoArg('inC'))),
    ...set(l.L4, and(get(l.L), i32(-4))),
    ...set(l.K4, shl(mul(geoArg('fh'), get(l.L)), i32(2))),
    ...set(l.sw4, shl(mul(geoArg('sw'), geoArg('inC')), i32(2))),
    ...set(l.rowStart, get(patches)),
    ...forRange(l.b, i32(0), geoArg('n'), forRange(l.oh, i32(0), geoArg('outH'), [
      ...forRange(l.kh, i32(0), geoArg('fh'), [
        ...set(l.ih, add(sub(mul(get(l.oh), geoArg('sh')), geoArg('top')), get(l.kh))),
        ...set(l.dst, add(get(l.rowStart), shl(mul(get(l.kh), get(l.L)), i32(2)))),
        ...ifThen(
          ltU(get(l.ih), geoArg('inH')),
          [...set(l.srcRow, add(get(image), shl(mul(mul(add(mul(get(l.b), geoArg('inH')), get(l.ih)), geoArg('inW')), geoArg('inC')), i32(2)))), ...inRow],
          rowOutside,
        ),
      ]),
      ...set(l.rowStart, add(get(l.rowStart), mul(geoArg('outW'), get(l.K4)))),
    ])),
  ];
}

// im2row(x, out, geometry...): out[(b, oh, ow)][(kh, kw, ci)] = x[b, oh*sh - top + kh, ow*sw - left + kw, ci] or 0.
const im2row: FuncDef = (() => {
  const l = rowLocals;
  const copy = (dst: Code, src: Code, n4: Code, n: Code): Code => run(l.ci, n4, n, dst, src, false);
  const zero = (dst: Code, n: Code): Code => forRange(l.ci, i32(0), n, store(at(dst, get(l.ci)), f32(0)));
  const inRow = patchRowLoop(copy, (slot) => zero(slot, geoArg('inC')));
  const rowOutside = forRange(l.ow, i32(0), geoArg('outW'), [...zero(get(l.dst), get(l.L)), ...set(l.dst, add(get(l.dst), get(l.K4)))]);
  return { name: 'im2row', params: P14, locals: ROW_LOCALS, body: rowWalk(1, 0, inRow, rowOutside) };
})();

const im2panel = im2panelFunc(geo);

// col2im(cols, dx, geometry...): dx[b, ih, iw, :] += cols[(b, oh, ow)][(kh, kw, :)]; dx must be zeroed first.
// The walk's `dst` is here the patch slot read, `src` the pixel written.
const col2im: FuncDef = (() => {
  const l = rowLocals;
  const accumulate = (slot: Code, pixel: Code, n4: Code, n: Code): Code => run(l.ci, n4, n, pixel, slot, true);
  const inRow = patchRowLoop(accumulate, () => []);
  return { name: 'col2im', params: P14, locals: ROW_LOCALS, body: rowWalk(0, 1, inRow, []) };
})();

// colsum(src, dst, rows, cols): dst[c] += sum_r src[r][c] (dst zeroed by the caller); SIMD over columns. The
// last cols mod 4 columns are summed column by column in a register (a conv bias with one channel is one such
// column of 100k rows: through memory, each add waited for the previous store, ~3.5 ns a row). Every column
// still adds its rows in order from dst[c], so the result is the same either way.
const colsum: FuncDef = (() => {
  const [SRC, DST, R, C] = [0, 1, 2, 3];
  const [r, c, c4, rowBase, acc] = [4, 5, 6, 7, 8];
  const dst = (k: number[]): number[] => at(get(DST), k);
  return {
    name: 'colsum',
    params: [I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, F32],
    body: [
      ...set(c4, and(get(C), i32(-4))),
      ...ifThen(ltU(i32(0), get(c4)), forRange(r, i32(0), get(R), [
        ...set(rowBase, at(get(SRC), mul(get(r), get(C)))),
        ...forRange(c, i32(0), get(c4), vstore(dst(get(c)), vadd(vload(dst(get(c))), vload(at(get(rowBase), get(c))))), i32(4)),
      ])),
      ...forRange(c, get(c4), get(C), [
        ...set(acc, load(dst(get(c)))),
        ...forRange(r, i32(0), get(R), set(acc, fadd(get(acc), load(at(get(SRC), add(mul(get(r), get(C)), get(c))))))),
        ...store(dst(get(c)), get(acc)),
      ]),
    ],
  };
})();

/**
 * name(p, q, out, n): out[i] = f(p[i], q[i]) for i < n, four floats at a time then one. `vector` and `scalar`
 * get their operands as local reads and must apply the same float32 operations in the same order, so the
 * tail rounds like the body (and both like tfjs's chain of elementwise kernels they replace).
 */
function elementwise2(name: string, vector: (p: Code, q: Code) => Code, scalar: (p: Code, q: Code) => Code): FuncDef {
  const [P, Q, OUT, N] = [0, 1, 2, 3];
  const [i, n4, pv, qv, ps, qs] = [4, 5, 6, 7, 8, 9];
  return {
    name,
    params: [I32, I32, I32, I32],
    locals: [I32, I32, V128, V128, F32, F32],
    body: [
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), [
        ...set(pv, vload(at(get(P), get(i)))),
        ...set(qv, vload(at(get(Q), get(i)))),
        ...vstore(at(get(OUT), get(i)), vector(get(pv), get(qv))),
      ], i32(4)),
      ...forRange(i, get(n4), get(N), [
        ...set(ps, load(at(get(P), get(i)))),
        ...set(qs, load(at(get(Q), get(i)))),
        ...store(at(get(OUT), get(i)), scalar(get(ps), get(qs))),
      ]),
    ],
  };
}

// Gradients of elementwise ops in one pass each (see elementwiseGrads.ts for the formulas they reproduce).
// reluGrad(dy, x, dx, n): dx = dy * step(x), step = 1 where x > 0, NaN where x is NaN, else 0.
const reluGrad = elementwise2(
  'reluGrad',
  (dy, x) => vmul(dy, bitselect(x, bitselect(splat(f32(1)), vzero(), vgt(x, vzero())), vne(x, x))),
  (dy, x) => fmul(dy, select(x, select(f32(1), f32(0), fgt(x, f32(0))), fne(x, x))),
);
// sigmoidGrad(dy, y, dx, n): dx = dy * (y * (1 - y)), y the sigmoid's output.
const sigmoidGrad = elementwise2(
  'sigmoidGrad',
  (dy, y) => vmul(dy, vmul(y, vsub(splat(f32(1)), y))),
  (dy, y) => fmul(dy, fmul(y, fsub(f32(1), y))),
);

/**
 * leakyRelu(x, out, n, alpha): out = x > 0 ? x : alpha x; leakyReluGrad(dy, x, out, n, alpha): out = x > 0 ? dy :
 * alpha dy (tfjs's where(x > 0, dy, dy * alpha); a NaN x takes the alpha branch). `v` is the value scaled.
 */
function leakyFunc(name: string, withDy: boolean): FuncDef {
  const [DY, X] = withDy ? [0, 1] : [0, 0];
  const [OUT, N, ALPHA] = withDy ? [2, 3, 4] : [1, 2, 3];
  const [i, n4, av, xv, vv] = [ALPHA + 1, ALPHA + 2, ALPHA + 3, ALPHA + 4, ALPHA + 5];
  const [xs, vs] = [ALPHA + 6, ALPHA + 7];
  return {
    name,
    params: withDy ? [I32, I32, I32, I32, F32] : [I32, I32, I32, F32],
    locals: [I32, I32, V128, V128, V128, F32, F32],
    body: [
      ...set(av, splat(get(ALPHA))),
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), [
        ...set(xv, vload(at(get(X), get(i)))),
        ...set(vv, vload(at(get(DY), get(i)))),
        ...vstore(at(get(OUT), get(i)), bitselect(get(vv), vmul(get(vv), get(av)), vgt(get(xv), vzero()))),
      ], i32(4)),
      ...forRange(i, get(n4), get(N), [
        ...set(xs, load(at(get(X), get(i)))),
        ...set(vs, load(at(get(DY), get(i)))),
        ...store(at(get(OUT), get(i)), select(get(vs), fmul(get(vs), get(ALPHA)), fgt(get(xs), f32(0)))),
      ]),
    ],
  };
}
const leakyRelu = leakyFunc('leakyRelu', false);
const leakyReluGrad = leakyFunc('leakyReluGrad', true);

/** twiceDiffTimes(dy, p, q, out, n): out = dy * (2 * (p - q)): SquaredDifference's gradient for its input p. */
const twiceDiffTimes: FuncDef = (() => {
  const [DY, PP, QQ, OUT, N] = [0, 1, 2, 3, 4];
  const [i, n4] = [5, 6];
  const v = (base: number): Code => vload(at(get(base), get(i)));
  const f = (base: number): Code => load(at(get(base), get(i)));
  return {
    name: 'twiceDiffTimes',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32],
    body: [
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), vstore(at(get(OUT), get(i)), vmul(v(DY), vmul(splat(f32(2)), vsub(v(PP), v(QQ))))), i32(4)),
      ...forRange(i, get(n4), get(N), store(at(get(OUT), get(i)), fmul(f(DY), fmul(f32(2), fsub(f(PP), f(QQ)))))),
    ],
  };
})();

/**
 * addRows(a, bias, out, rows, c): out[r][j] = a[r][j] + bias[j] for r < rows, j < c (four at a time, then one);
 * with c = 1 (a one-channel conv) the whole array at once against the splatted bias.
 */
const addRows: FuncDef = (() => {
  const [A, BIAS, OUT, R, C] = [0, 1, 2, 3, 4];
  const [r, j, c4, row, bv, bs] = [5, 6, 7, 8, 9, 10];
  const oneChannel = [
    ...set(bs, load(get(BIAS))),
    ...set(bv, splat(get(bs))),
    ...set(c4, and(get(R), i32(-4))),
    ...forRange(j, i32(0), get(c4), vstore(at(get(OUT), get(j)), vadd(vload(at(get(A), get(j))), get(bv))), i32(4)),
    ...forRange(j, get(c4), get(R), store(at(get(OUT), get(j)), fadd(load(at(get(A), get(j))), get(bs)))),
  ];
  return {
    name: 'addRows',
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, V128, F32],
    body: ifThen(eq(get(C), i32(1)), oneChannel, [
      ...set(c4, and(get(C), i32(-4))),
      ...forRange(r, i32(0), get(R), [
        ...set(row, mul(get(r), get(C))),
        ...forRange(j, i32(0), get(c4), vstore(at(get(OUT), add(get(row), get(j))), vadd(vload(at(get(A), add(get(row), get(j)))), vload(at(get(BIAS), get(j))))), i32(4)),
        ...forRange(j, get(c4), get(C), store(at(get(OUT), add(get(row), get(j))), fadd(load(at(get(A), add(get(row), get(j)))), load(at(get(BIAS), get(j)))))),
      ]),
    ]),
  };
})();

export interface Loops extends BatchNormLoops, ConvBiasLoops, ConvDirectLoops, LossLoops, OptimizerLoops, RandomLoops {
  pack8(b: number, p: number, k: number, n: number, sbk: number, sbj: number): void;
  gemm(a: number, p: number, c: number, bias: number, m: number, n: number, k: number, rsA: number, ksA: number, ldc: number, relu: number, scratch: number, acc: number, packed: number): void;
  colsum(src: number, dst: number, rows: number, cols: number): void;
  adam(w: number, g: number, m: number, v: number, w1: number, m1: number, v1: number, n: number, a: number, ic2: number, b1: number, omb1: number, b2: number, omb2: number, eps: number): void;
  im2row(x: number, out: number, ...geometry: number[]): void;
  im2panel(x: number, out: number, ...geometry: number[]): void;
  col2im(cols: number, dx: number, ...geometry: number[]): void;
  reluGrad(dy: number, x: number, dx: number, n: number): void;
  sigmoidGrad(dy: number, y: number, dx: number, n: number): void;
  twiceDiffTimes(dy: number, p: number, q: number, out: number, n: number): void;
  addRows(a: number, bias: number, out: number, rows: number, c: number): void;
  leakyRelu(x: number, out: number, n: number, alpha: number): void;
  leakyReluGrad(dy: number, x: number, out: number, n: number, alpha: number): void;
}

export const GEOMETRY_ORDER = GEO;

export interface CompiledLoops {
  module: object;
  fma: boolean;
}

/** Pages a shared kernel memory may grow to (2 GB); a shared memory must declare its maximum. */
export const SHARED_MAX_PAGES = 32_768;

const compiled = new Map<'plain' | 'shared', CompiledLoops | null>();
const instances = new WeakMap<object, Loops>();

/**
 * The loops module, compiled once per process: 'plain' imports an ordinary memory (the wasm backend's own),
 * 'shared' a shared one that worker threads run on too (kernelThreads.ts). Both take the same flavour.
 */
export function compiledLoops(kind: 'plain' | 'shared'): CompiledLoops | null {
  if (compiled.has(kind)) return compiled.get(kind) ?? null;
  const base = [adam, im2row, im2panel, col2im, colsum, reluGrad, sigmoidGrad, twiceDiffTimes, addRows, leakyRelu, leakyReluGrad, ...BATCH_NORM_FUNCS, ...CONV_BIAS_FUNCS, ...LOSS_FUNCS, ...RANDOM_FUNCS, ...OPTIMIZER_FUNCS];
  let result: CompiledLoops | null = null;
  for (const fma of [true, false]) {
    const gemm = gemmFuncs(base.length, fma);
    const bytes = assemble([...base, ...gemm, ...convDirectFuncs(base.length + gemm.length, fma)], kind === 'shared' ? { sharedMaxPages: SHARED_MAX_PAGES } : {});
    if (WA.validate(bytes)) {
      result = { module: new WA.Module(bytes), fma };
      break;
    }
  }
  compiled.set(kind, result);
  return result;
}

/** The loops of a compiled module bound to a memory (one instance per memory). */
export function instantiateLoops(c: CompiledLoops, memory: object): Loops {
  let loops = instances.get(memory);
  if (!loops) {
    loops = new WA.Instance(c.module, { env: { memory } }).exports as unknown as Loops;
    instances.set(memory, loops);
  }
  return loops;
}

/**
 * Whether this engine runs relaxed SIMD (fused multiply-add in our gemm): on in Electron and Node >= 22; in
 * Node 20 only with --experimental-wasm-relaxed-simd, which the trainer processes get (see nodeSpawn.ts).
 */
export function hasRelaxedSimd(): boolean {
  return WA.validate(Uint8Array.from(relaxedSimdProbe()));
}

/** A module using one relaxed SIMD instruction, for a child process to validate (see nodeSpawn.ts). */
export const relaxedSimdProbe = (): number[] => [...assemble([{ name: 'probe', params: [], locals: [V128], body: set(0, vmadd(vzero(), vzero(), vzero())) }])];

/** 'simd+fma', 'simd', or null before the loops were first compiled or when they cannot be. */
export function loopsFlavour(): 'simd+fma' | 'simd' | null {
  const c = compiled.get('plain');
  return c ? (c.fma ? 'simd+fma' : 'simd') : null;
}

/** The loops bound to a backend's memory, or null when it is not reachable (the callers then use JS). */
export function loopsFor(backend: object): Loops | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WA.Memory)) return null;
  const c = compiledLoops('plain');
  return c ? instantiateLoops(c, memory) : null;
}

