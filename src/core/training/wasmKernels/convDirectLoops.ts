// Direct convolutions for layers with few input channels (the one-channel first layer of a conv autoencoder on
// 28x28 images, or RGB): with K = fh*fw*inC = 9 taps, im2row wrote 4-byte taps one by one and the gemm ran with
// k = 9 (and, for the input gradient, n = 9 of a 16-column strip), ~10-15 GFLOP/s where 16 -> 32 channels reach
// 35-45. These loops read the taps straight from the image instead.
// Each image is first copied into a zero-bordered scratch image (Hp x Wp, every pixel any output reads), so no
// tap ever needs a bounds check: a tap is one byte offset from the output pixel's top-left corner, from a table
// the caller builds. That copy is 1x the image, against 9x for the patches.
//   forward:     per 2 output pixels x 16 channels (4 x 8 when outC <= 8), 8 accumulators; per tap one splat
//                per pixel, four filter loads.
//   filter grad: per image, T taps x 8 (or 4) channels in accumulators over all the image's pixels in order;
//                each image's dW goes to its own slot and the caller sums the slots in image order, so the bits
//                do not depend on how images are split between threads.
//   input grad:  per 3 output pixels x up to 3 vectors of 4 taps side by side in a filter row (vectorised over
//                taps, summed over the output channels, so no horizontal sums), each vector then added into the
//                scratch image with one vector add; the scratch image is copied out.
import { I32, V128, add, and, at, call, divU, eq, extractLane, f32, forRange, get, i32, ifThen, iload, leS, load, loadSplat, ltS, mul, select, set, shl, store, sub, vadd, vand, vload, vmadd, vpmax, vmul, vstore, vzero, type Code, type FuncDef } from '../../wasm/asm';

/** Geometry parameters, after each driver's own (the order of loops.ts GEOMETRY_ORDER). */
const GEO = ['n', 'inH', 'inW', 'inC', 'outH', 'outW', 'fh', 'fw', 'sh', 'sw', 'top', 'left'] as const;
type Geo = (typeof GEO)[number];

/**
 * Most taps per filter-gradient tile, by vectors of channels: 8 accumulators. 5 x 2 (the registers allow 10)
 * ran at 24 GFLOP/s against 34 for 4 x 2 (9 taps as 3 + 3 + 3) on [128,28,28,1] x 16.
 */
const FILTER_TAPS = { 1: 8, 2: 4 } as const;
/** Input gradient: output pixels per tile and tap vectors per tile (3 x 3 = 9 accumulators). */
const INPUT_PIXELS = 3;
const INPUT_VECTORS = 3;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const doWhile = (body: Code, cond: Code): Code => [0x03, 0x40, ...body, ...cond, 0x0d, 0x00, 0x0b];
const minS = (a: Code, b: Code): Code => select(a, b, ltS(a, b));
const bytes = (floats: Code): Code => shl(floats, i32(2));

/** Local indices handed out after the params. */
function frame(params: number): { local: (type: number) => number; locals: number[] } {
  const locals: number[] = [];
  return { locals, local: (type) => params + locals.push(type) - 1 };
}

/** Padded size and byte steps shared by the drivers; `g(k)` reads a geometry parameter. */
function geometryLocals(g: (k: Geo) => Code, local: (type: number) => number) {
  const [Hp, Wp, K, pstep, rowStep] = range(5).map(() => local(I32));
  return {
    Hp, Wp, K, pstep, rowStep,
    init: [
      ...set(Hp, add(mul(sub(g('outH'), i32(1)), g('sh')), g('fh'))),
      ...set(Wp, add(mul(sub(g('outW'), i32(1)), g('sw')), g('fw'))),
      ...set(K, mul(mul(g('fh'), g('fw')), g('inC'))),
      ...set(pstep, bytes(mul(g('sw'), g('inC')))),
      ...set(rowStep, bytes(mul(mul(g('sh'), get(Wp)), g('inC')))),
    ],
  };
}

// cdZero(dst, n): n floats of zeros, four at a time then one.
const zeroFn: FuncDef = (() => {
  const [D, N] = [0, 1];
  const { local, locals } = frame(2);
  const [i, n4] = [local(I32), local(I32)];
  return {
    name: 'cdZero',
    params: [I32, I32],
    locals,
    body: [
      ...set(n4, and(get(N), i32(-4))),
      ...forRange(i, i32(0), get(n4), vstore(at(get(D), get(i)), vzero()), i32(4)),
      ...forRange(i, get(n4), get(N), store(at(get(D), get(i)), f32(0))),
    ],
  };
})();

/**
 * cdPad(img, pad, out, geometry...): out = 0 copies image `img` into the scratch image `pad` (whose border the
 * caller zeroed once: the copy always fills the same pixels); out = 1 copies it back out of `pad`, zeros where
 * `pad` does not reach (the rows and columns a 'valid' convolution leaves unread).
 */
function padFn(): FuncDef {
  const [IMG, PAD, OUT] = [0, 1, 2];
  const g = (k: Geo): Code => get(3 + GEO.indexOf(k));
  const { local, locals } = frame(3 + GEO.length);
  const geo = geometryLocals(g, local);
  const [ih, rows, cw, src, dst, i, n, n4] = range(8).map(() => local(I32));
  const padRow = add(get(PAD), bytes(mul(add(mul(add(get(ih), g('top')), get(geo.Wp)), g('left')), g('inC'))));
  const imgRow = add(get(IMG), bytes(mul(mul(get(ih), g('inW')), g('inC'))));
  // Inline rather than a call per row: a 28-float row took longer to call for than to move.
  const move = (from: number | null, count: Code): Code => [
    ...set(n, count),
    ...set(n4, and(get(n), i32(-4))),
    ...forRange(i, i32(0), get(n4), vstore(at(get(dst), get(i)), from === null ? vzero() : vload(at(get(from), get(i)))), i32(4)),
    ...forRange(i, get(n4), get(n), store(at(get(dst), get(i)), from === null ? f32(0) : load(at(get(from), get(i))))),
  ];
  return {
    name: 'cdPad',
    params: Array<number>(3 + GEO.length).fill(I32),
    locals,
    body: [
      ...geo.init,
      ...set(cw, minS(g('inW'), sub(get(geo.Wp), g('left')))),
      ...ifThen(ltS(get(cw), i32(0)), set(cw, i32(0))),
      ...set(rows, minS(g('inH'), sub(get(geo.Hp), g('top')))),
      ...ifThen(
        get(OUT),
        forRange(ih, i32(0), g('inH'), [
          ...set(dst, imgRow),
          ...ifThen(
            ltS(get(ih), get(rows)),
            [
              ...set(src, padRow),
              ...move(src, mul(get(cw), g('inC'))),
              ...set(dst, add(get(dst), bytes(mul(get(cw), g('inC'))))),
              ...move(null, mul(sub(g('inW'), get(cw)), g('inC'))),
            ],
            move(null, mul(g('inW'), g('inC'))),
          ),
        ]),
        forRange(ih, i32(0), get(rows), [...set(dst, padRow), ...set(src, imgRow), ...move(src, mul(get(cw), g('inC')))]),
      ),
    ],
  };
}

/** c[0..w) = v[0..w) for the 8 floats of two vectors: whole vectors when w >= 8, else lane by lane. */
const storeUpTo8 = (c: Code, w: Code, v: [Code, Code]): Code =>
  ifThen(
    leS(i32(8), w),
    [...vstore(c, v[0]), ...vstore(c, v[1], 16)],
    range(8).flatMap((l) => ifThen(ltS(i32(l), w), store(c, extractLane(v[l >> 2], l & 3), 4 * l))),
  );

/**
 * cdFwd{R}x{H}(xrow, pstep, tab, tabEnd, wp, bias, orow, ldc, relu, w, outW): outW pixels of an output row (a
 * multiple of R), 4H channels, R pixels at a time: c[ow][0..w) = relu?(bias + sum_k pad[xrow + ow*pstep + tab[k]]
 * * wp[k]), wp a packed filter strip (K x 4H), tab..tabEnd the taps' byte offsets, bias 4H floats or 0, output
 * pixels ldc bytes apart from orow. 2 x 16 ran at 0.296 ms where 4 x 8 took 0.334 on [128,28,28,1] x 16 (the
 * same 8 accumulators, half the splats per multiply-add); 2 x 8 and 3 x 8 were no faster than 4 x 8.
 */
function forwardTile(R: number, H: 2 | 4, fma: boolean): FuncDef {
  const madd = (a: Code, b: Code, c: Code): Code => (fma ? vmadd(a, b, c) : vadd(c, vmul(a, b)));
  const [XROW, PSTEP, TAB, TEND, WP, BIAS, OROW, LDC, RELU, W, OUTW] = range(11);
  const { local, locals } = frame(11);
  const [p0, t, wq, off, ow4, c] = range(6).map(() => local(I32));
  const acc = range(R).map(() => range(H).map(() => local(V128)));
  const bv = range(H).map(() => local(V128));
  const av = local(V128);
  const all = (f: (a: number, h: number) => Code): Code => acc.flatMap((row) => row.flatMap((a, h) => f(a, h)));
  return {
    name: `cdFwd${R}x${H}`,
    params: Array<number>(11).fill(I32),
    locals,
    body: [
      ...forRange(ow4, i32(0), get(OUTW), [
        ...set(p0, add(get(XROW), mul(get(PSTEP), get(ow4)))),
        ...set(c, add(get(OROW), mul(get(ow4), get(LDC)))),
        ...ifThen(get(BIAS), all((a, h) => set(a, vload(get(BIAS), 16 * h))), all((a) => set(a, vzero()))),
        ...set(t, get(TAB)),
        ...set(wq, get(WP)),
        ...doWhile(
          [
            ...set(off, iload(get(t))),
            ...range(H).flatMap((h) => set(bv[h], vload(get(wq), 16 * h))),
            ...set(off, add(get(p0), get(off))),
            ...range(R).flatMap((r) => [
              ...(r ? set(off, add(get(off), get(PSTEP))) : []),
              ...set(av, loadSplat(get(off))),
              ...range(H).flatMap((h) => set(acc[r][h], madd(get(av), get(bv[h]), get(acc[r][h])))),
            ]),
            ...set(wq, add(get(wq), i32(16 * H))),
            ...set(t, add(get(t), i32(4))),
          ],
          ltS(get(t), get(TEND)),
        ),
        // relu as pmax(sum, 0), one instruction where max takes several (gemm.ts panelKernel says why it is exact).
        ...ifThen(get(RELU), all((a) => set(a, vpmax(get(a), vzero())))),
        ...range(R).flatMap((r) => range(H / 2).flatMap((q) => storeUpTo8(add(add(get(c), mul(get(LDC), i32(r))), i32(32 * q)), sub(get(W), i32(8 * q)), [get(acc[r][2 * q]), get(acc[r][2 * q + 1])]))),
      ], i32(R)),
    ],
  };
}

/**
 * cdForward(x, wp, bias, out, pad, tab, relu, outC, wide, geometry...): out = relu?(conv(x, W) + bias), NHWC; wp
 * holds W in strips of 16 columns if wide, else 8 (strip s at wp + 4*width*s*K), bias likewise (or 0), tab the K
 * tap offsets for the scratch image `pad` (Hp*Wp*inC floats).
 */
function forwardDriver(zero: number, pad: number, tiles: Record<2 | 4, number[]>): FuncDef {
  const [X, WP, BIAS, OUT, PAD, TAB, RELU, OC, WIDE] = range(9);
  const g = (k: Geo): Code => get(9 + GEO.indexOf(k));
  const { local, locals } = frame(9 + GEO.length);
  const geo = geometryLocals(g, local);
  const [S, b, oh, s, xrow, orow, tabEnd, ldc, main, rem] = range(10).map(() => local(I32));
  /** The row by tiles of H vectors: R pixels at a time (R = 8 / H), then the last outW mod R by a tile of that many. */
  const row = (H: 2 | 4): Code => {
    const width = 4 * H;
    const R = 8 / H;
    const rowCall = (r: number, ow: Code, count: Code): Code =>
      forRange(s, i32(0), get(S), call(tiles[H][r - 1], [
        add(get(xrow), mul(ow, get(geo.pstep))), get(geo.pstep), get(TAB), get(tabEnd),
        add(get(WP), mul(mul(get(s), get(geo.K)), i32(4 * width))), select(add(get(BIAS), mul(get(s), i32(4 * width))), i32(0), get(BIAS)),
        add(add(get(orow), mul(ow, get(ldc))), mul(get(s), i32(4 * width))), get(ldc), get(RELU), sub(get(OC), mul(get(s), i32(width))), count,
      ]));
    return [
      ...set(S, divU(add(get(OC), i32(width - 1)), i32(width))),
      ...set(rem, sub(g('outW'), mul(divU(g('outW'), i32(R)), i32(R)))),
      ...set(main, sub(g('outW'), get(rem))),
      ...ifThen(get(main), rowCall(R, i32(0), get(main))),
      ...range(R - 1).flatMap((r) => ifThen(eq(get(rem), i32(r + 1)), rowCall(r + 1, get(main), get(rem)))),
    ];
  };
  return {
    name: 'cdForward',
    params: Array<number>(9 + GEO.length).fill(I32),
    locals,
    body: [
      ...geo.init,
      ...set(tabEnd, add(get(TAB), bytes(get(geo.K)))),
      ...set(ldc, bytes(get(OC))),
      ...call(zero, [get(PAD), mul(mul(get(geo.Hp), get(geo.Wp)), g('inC'))]),
      ...forRange(b, i32(0), g('n'), [
        ...call(pad, [add(get(X), bytes(mul(mul(mul(get(b), g('inH')), g('inW')), g('inC')))), get(PAD), i32(0), ...GEO.map(g)]),
        ...forRange(oh, i32(0), g('outH'), [
          ...set(xrow, add(get(PAD), mul(get(oh), get(geo.rowStep)))),
          ...set(orow, add(get(OUT), mul(mul(add(mul(get(b), g('outH')), get(oh)), g('outW')), get(ldc)))),
          ...ifThen(get(WIDE), row(4), row(2)),
        ]),
      ]),
    ],
  };
}

/**
 * cdFilt{T}x{V}(pad, pstep, rowStep, outH, outW, dyp, ldy, tab, dst, ldd): for T taps (offsets tab[0..T)) and 4V
 * channels, dst[t][0..4V) = sum over the image's output pixels, in order, of pad[pixel + tab[t]] * dy[pixel][0..4V);
 * dy rows ldy bytes apart from dyp, dst rows ldd bytes apart.
 */
function filterTile(T: number, V: number, fma: boolean): FuncDef {
  const madd = (a: Code, b: Code, c: Code): Code => (fma ? vmadd(a, b, c) : vadd(c, vmul(a, b)));
  const [PAD, PSTEP, ROWSTEP, OH, OW, DYP, LDY, TAB, DST, LDD] = range(10);
  const { local, locals } = frame(10);
  const off = range(T).map(() => local(I32));
  const [oh, ow, pix, dq] = range(4).map(() => local(I32));
  const acc = range(T).map(() => range(V).map(() => local(V128)));
  const dv = range(V).map(() => local(V128));
  const av = local(V128);
  return {
    name: `cdFilt${T}x${V}`,
    params: Array<number>(10).fill(I32),
    locals,
    body: [
      ...range(T).flatMap((t) => set(off[t], iload(add(get(TAB), i32(4 * t))))),
      ...acc.flat().flatMap((a) => set(a, vzero())),
      ...set(dq, get(DYP)),
      ...forRange(oh, i32(0), get(OH), [
        ...set(pix, add(get(PAD), mul(get(oh), get(ROWSTEP)))),
        ...forRange(ow, i32(0), get(OW), [
          ...range(V).flatMap((v) => set(dv[v], vload(get(dq), 16 * v))),
          ...range(T).flatMap((t) => [
            ...set(av, loadSplat(add(get(pix), get(off[t])))),
            ...range(V).flatMap((v) => set(acc[t][v], madd(get(av), get(dv[v]), get(acc[t][v])))),
          ]),
          ...set(pix, add(get(pix), get(PSTEP))),
          ...set(dq, add(get(dq), get(LDY))),
        ]),
      ]),
      ...range(T).flatMap((t) => range(V).flatMap((v) => vstore(add(get(DST), mul(get(LDD), i32(t))), get(acc[t][v]), 16 * v))),
    ],
  };
}

/**
 * cdFilter(x, dy, part, pad, tab, outC, geometry...): part[b] = image b's filter gradient, K x outC, for each
 * image (the caller sums them in order). outC >= 4: channels go 8 (or 4) at a time, the last group shifted
 * back to end at outC (its overlapping channels get the same operations again, so the same values).
 */
function filterDriver(zero: number, pad: number, tiles: Record<1 | 2, number[]>): FuncDef {
  const [X, DY, PART, PAD, TAB, OC] = range(6);
  const g = (k: Geo): Code => get(6 + GEO.indexOf(k));
  const { local, locals } = frame(6 + GEO.length);
  const geo = geometryLocals(g, local);
  const [wide, cw, nt, b, dyb, partb, cc, c, i, k0, T, ldy] = range(12).map(() => local(I32));
  const dispatch = (V: 1 | 2): Code => {
    const args = [
      get(PAD), get(geo.pstep), get(geo.rowStep), g('outH'), g('outW'), add(get(dyb), bytes(get(c))), get(ldy),
      add(get(TAB), bytes(get(k0))), add(get(partb), bytes(add(mul(get(k0), get(OC)), get(c)))), get(ldy),
    ];
    return tiles[V].flatMap((fn, t) => ifThen(eq(get(T), i32(t + 1)), call(fn, args)));
  };
  const tileBound = (j: Code): Code => divU(mul(j, get(geo.K)), get(nt));
  return {
    name: 'cdFilter',
    params: Array<number>(6 + GEO.length).fill(I32),
    locals,
    body: [
      ...geo.init,
      ...set(wide, leS(i32(8), get(OC))),
      ...set(cw, select(i32(8), i32(4), get(wide))),
      ...set(nt, select(i32(FILTER_TAPS[2]), i32(FILTER_TAPS[1]), get(wide))),
      // Tiles of near-equal size (9 taps: 5 + 4, not 5 + 4 + ... of a fixed size and a 1-tap tail).
      ...set(nt, divU(sub(add(get(geo.K), get(nt)), i32(1)), get(nt))),
      ...set(ldy, bytes(get(OC))),
      ...call(zero, [get(PAD), mul(mul(get(geo.Hp), get(geo.Wp)), g('inC'))]),
      ...forRange(b, i32(0), g('n'), [
        ...call(pad, [add(get(X), bytes(mul(mul(mul(get(b), g('inH')), g('inW')), g('inC')))), get(PAD), i32(0), ...GEO.map(g)]),
        ...set(dyb, add(get(DY), mul(mul(mul(get(b), g('outH')), g('outW')), get(ldy)))),
        ...set(partb, add(get(PART), mul(mul(get(b), get(geo.K)), get(ldy)))),
        ...forRange(cc, i32(0), get(OC), [
          ...set(c, minS(get(cc), sub(get(OC), get(cw)))),
          ...forRange(i, i32(0), get(nt), [
            ...set(k0, tileBound(get(i))),
            ...set(T, sub(tileBound(add(get(i), i32(1))), get(k0))),
            ...ifThen(get(wide), dispatch(2), dispatch(1)),
          ]),
        ], get(cw)),
      ]),
    ],
  };
}

/**
 * cdInp{R}x{V}(dyp, ldy, C, bt, ldb, base, pstep, tab, masks): for R output pixels (dy rows ldy bytes apart from
 * dyp, scratch-image corners base + r*pstep) and V tap vectors: v[r][j] = sum_co dy[r][co] * bt[co][j] (bt rows
 * ldb bytes apart), then the 4 floats at base + r*pstep + tab[j] += v[r][j] & masks[j]. A tap vector is 4 taps
 * side by side in one filter row, so its 4 sums go into the scratch image with one vector add; lanes past the
 * row's end have zero weights and are masked to +0 (so an Inf in dy cannot make a NaN there).
 */
function inputTile(R: number, V: number, fma: boolean): FuncDef {
  const madd = (a: Code, b: Code, c: Code): Code => (fma ? vmadd(a, b, c) : vadd(c, vmul(a, b)));
  const [DYP, LDY, C, BT, LDB, BASE, PSTEP, TAB, MASKS] = range(9);
  const { local, locals } = frame(9);
  const rowPtr = range(R).map(() => local(I32));
  const [co, koff, bq, addr] = range(4).map(() => local(I32));
  const acc = range(R).map(() => range(V).map(() => local(V128)));
  const bv = range(V).map(() => local(V128));
  const av = local(V128);
  const scatter = (r: number, v: number): Code => [
    ...set(addr, add(add(get(BASE), mul(get(PSTEP), i32(r))), iload(add(get(TAB), i32(4 * v))))),
    ...vstore(get(addr), vadd(vload(get(addr)), vand(get(acc[r][v]), vload(get(MASKS), 16 * v)))),
  ];
  return {
    name: `cdInp${R}x${V}`,
    params: Array<number>(9).fill(I32),
    locals,
    body: [
      ...range(R).flatMap((r) => set(rowPtr[r], add(get(DYP), mul(get(LDY), i32(r))))),
      ...acc.flat().flatMap((a) => set(a, vzero())),
      ...set(bq, get(BT)),
      ...forRange(co, i32(0), get(C), [
        ...set(koff, bytes(get(co))),
        ...range(V).flatMap((v) => set(bv[v], vload(get(bq), 16 * v))),
        ...range(R).flatMap((r) => [
          ...set(av, loadSplat(add(get(rowPtr[r]), get(koff)))),
          ...range(V).flatMap((v) => set(acc[r][v], madd(get(av), get(bv[v]), get(acc[r][v])))),
        ]),
        ...set(bq, add(get(bq), get(LDB))),
      ]),
      ...range(R).flatMap((r) => range(V).flatMap((v) => scatter(r, v))),
    ],
  };
}

/**
 * cdInput(dy, bt, dx, pad, tab, masks, nv, outC, geometry...): dx = the input gradient of conv(x, W), NHWC. The
 * filter is nv tap vectors (see inputTile): bt holds, for each output channel, their nv x 4 weights; tab their
 * byte offsets in the scratch image, masks their lanes. Per image: the scratch image (with 16 bytes to spare
 * after it) is zeroed, each output pixel's tap vectors added in (pixel by pixel, in order), and it is copied out.
 */
function inputDriver(zero: number, pad: number, tiles: Record<1 | 2 | 3, number[]>): FuncDef {
  const [DY, BT, DX, PAD, TAB, MASKS, NV, OC] = range(8);
  const g = (k: Geo): Code => get(8 + GEO.indexOf(k));
  const { local, locals } = frame(8 + GEO.length);
  const geo = geometryLocals(g, local);
  const [ldy, ldb, d, block, blocksEnd, b, dyb, oh, ow0, phase, ow, brow, drow, vb, V, left] = range(16).map(() => local(I32));
  /** R pixels from ow, `spacing` pixels apart. */
  const tileCall = (R: 1 | 2 | 3, spacing: Code): Code =>
    forRange(vb, i32(0), get(NV), [
      ...set(V, minS(i32(INPUT_VECTORS), sub(get(NV), get(vb)))),
      ...tiles[R].flatMap((fn, v) => ifThen(eq(get(V), i32(v + 1)), call(fn, [
        add(get(drow), mul(get(ow), get(ldy))), mul(get(ldy), spacing), get(OC), add(get(BT), shl(get(vb), i32(4))), get(ldb),
        add(get(brow), mul(get(ow), get(geo.pstep))), mul(get(geo.pstep), spacing), add(get(TAB), shl(get(vb), i32(2))), add(get(MASKS), shl(get(vb), i32(4))),
      ]))),
    ], i32(INPUT_VECTORS));
  return {
    name: 'cdInput',
    params: Array<number>(8 + GEO.length).fill(I32),
    locals,
    body: [
      ...geo.init,
      ...set(ldy, bytes(get(OC))),
      ...set(ldb, shl(get(NV), i32(4))),
      // d: pixels apart so that one tile's tap vectors do not overlap (4 floats at sw*inC floats a pixel).
      ...set(d, divU(add(i32(3), mul(g('sw'), g('inC'))), mul(g('sw'), g('inC')))),
      ...set(block, mul(get(d), i32(INPUT_PIXELS))),
      ...set(blocksEnd, mul(divU(g('outW'), get(block)), get(block))),
      ...forRange(b, i32(0), g('n'), [
        ...call(zero, [get(PAD), add(mul(mul(get(geo.Hp), get(geo.Wp)), g('inC')), i32(4))]),
        ...set(dyb, add(get(DY), mul(mul(mul(get(b), g('outH')), g('outW')), get(ldy)))),
        ...forRange(oh, i32(0), g('outH'), [
          ...set(brow, add(get(PAD), mul(get(oh), get(geo.rowStep)))),
          ...set(drow, add(get(dyb), mul(mul(get(oh), g('outW')), get(ldy)))),
          ...forRange(ow0, i32(0), get(blocksEnd), forRange(phase, i32(0), get(d), [...set(ow, add(get(ow0), get(phase))), ...tileCall(3, get(d))]), get(block)),
          // The last outW mod (3d) pixels: three, two or one at a time, side by side.
          ...set(ow, get(blocksEnd)),
          ...doWhile(
            [
              ...set(left, sub(g('outW'), get(ow))),
              ...ifThen(leS(i32(3), get(left)), tileCall(3, i32(1)), ifThen(eq(get(left), i32(2)), tileCall(2, i32(1)), ifThen(eq(get(left), i32(1)), tileCall(1, i32(1))))),
              ...set(ow, add(get(ow), minS(get(left), i32(3)))),
            ],
            ltS(get(ow), g('outW')),
          ),
        ]),
        ...call(pad, [add(get(DX), bytes(mul(mul(mul(get(b), g('inH')), g('inW')), g('inC')))), get(PAD), i32(1), ...GEO.map(g)]),
      ]),
    ],
  };
}

/** The direct-convolution functions, for a module in which they start at function index `base`. */
export function convDirectFuncs(base: number, fma: boolean): FuncDef[] {
  const funcs: FuncDef[] = [];
  const add1 = (f: FuncDef): number => base + funcs.push(f) - 1;
  const zero = add1(zeroFn);
  const pad = add1(padFn());
  add1(forwardDriver(zero, pad, { 2: range(4).map((r) => add1(forwardTile(r + 1, 2, fma))), 4: range(2).map((r) => add1(forwardTile(r + 1, 4, fma))) }));
  const filt = { 1: range(FILTER_TAPS[1]).map((t) => add1(filterTile(t + 1, 1, fma))), 2: range(FILTER_TAPS[2]).map((t) => add1(filterTile(t + 1, 2, fma))) };
  add1(filterDriver(zero, pad, filt));
  const inp = {
    1: range(INPUT_VECTORS).map((v) => add1(inputTile(1, v + 1, fma))),
    2: range(INPUT_VECTORS).map((v) => add1(inputTile(2, v + 1, fma))),
    3: range(INPUT_VECTORS).map((v) => add1(inputTile(INPUT_PIXELS, v + 1, fma))),
  };
  add1(inputDriver(zero, pad, inp));
  return funcs;
}

export interface ConvDirectLoops {
  cdForward(x: number, wp: number, bias: number, out: number, pad: number, tab: number, relu: number, outC: number, wide: number, ...geometry: number[]): void;
  cdFilter(x: number, dy: number, part: number, pad: number, tab: number, outC: number, ...geometry: number[]): void;
  cdInput(dy: number, bt: number, dx: number, pad: number, tab: number, masks: number, nv: number, outC: number, ...geometry: number[]): void;
}
