// im2panel: the forward convolution's patches written straight in the layout the gemm's micro-kernel reads
// (gemm.ts, packA), so the product needs no packing pass of its own. im2row wrote the patch matrix row by row
// and the gemm then copied it into panels of four rows: two passes over ~1 MB per run of images, 0.20 + 0.16
// ms per call for the reference conv model's 16 -> 32 layer (batch 128); this one pass takes 0.21.
import { I32, V128, add, and, f32, forRange, geS, get, i32, ifThen, leS, load, ltU, mul, select, set, shl, shrU, shuffle32, store, sub, vand, vload, vstore, vzero, type Code, type FuncDef } from '../../wasm/asm';

/** All bits set (i32x4.splat of -1): the mask of a tap inside the image. */
const ONES: Code = [...i32(-1), 0xfd, 0x11];

/** The geometry parameters after the two pointers, in the order of loops.ts (GEOMETRY_ORDER). */
type GeometryKey = 'n' | 'inH' | 'inW' | 'inC' | 'outH' | 'outW' | 'fh' | 'fw' | 'sh' | 'sw' | 'top' | 'left';

/**
 * im2panel(x, out, geometry...): the patches of im2row (row p = output pixel (b, oh, ow), column k = (kh, kw,
 * ci)) with every whole group of four rows stored as a panel, out[q][k][r] = patch(4q + r)[k], and the last
 * P mod 4 rows after them row-major, each where im2row would have put it: A for the gemm with `packed`.
 * Four floats of each of the four patches move as one 4 x 4 block transposed by shuffles: a whole filter row at
 * once when it is inside the image for all four, else tap by tap, a patch's tap in the padding loaded from x
 * itself and masked to 0; the last inC mod 4 channels of a tap float by float.
 */
export function im2panelFunc(geo: (k: GeometryKey) => number): FuncDef {
  const g = (k: GeometryKey): Code => get(geo(k));
  const [X, OUT] = [0, 1];
  const names = ['q', 'Q', 'b', 'oh', 'ow', 'kh', 'kw', 'ci', 'c4', 'dst', 'off', 'allIn', 'p', 'L', 'L4'] as const;
  const l = Object.fromEntries(names.map((n, i) => [n, 14 + i])) as Record<(typeof names)[number], number>;
  const ih0 = (r: number): number => 14 + names.length + r;
  const iw0 = (r: number): number => 18 + names.length + r;
  const base = (r: number): number => 22 + names.length + r;
  const v = (r: number): number => 26 + names.length + r;
  const t = (r: number): number => 30 + names.length + r;
  const mask = (r: number): number => 34 + names.length + r;
  const src = (r: number): number => 38 + names.length + r;
  /** The origin (ih0, iw0) and pixel address of the current patch, into slot r; then the next patch. */
  const origin = (r: number): Code => [
    ...set(ih0(r), sub(mul(get(l.oh), g('sh')), g('top'))),
    ...set(iw0(r), sub(mul(get(l.ow), g('sw')), g('left'))),
    ...set(base(r), add(get(X), shl(mul(add(mul(add(mul(get(l.b), g('inH')), get(ih0(r))), g('inW')), get(iw0(r))), g('inC')), i32(2)))),
    ...set(l.ow, add(get(l.ow), i32(1))),
    ...ifThen(geS(get(l.ow), g('outW')), [
      ...set(l.ow, i32(0)),
      ...set(l.oh, add(get(l.oh), i32(1))),
      ...ifThen(geS(get(l.oh), g('outH')), [...set(l.oh, i32(0)), ...set(l.b, add(get(l.b), i32(1)))]),
    ]),
  ];
  const inside = (r: number): Code => and(ltU(add(get(ih0(r)), get(l.kh)), g('inH')), ltU(add(get(iw0(r)), get(l.kw)), g('inW')));
  /** Float ci of tap (kh, kw) of patch slot r, or 0 outside the image (its address then stays on x itself). */
  const element = (r: number): Code => select(load(add(select(add(get(base(r)), get(l.off)), get(X), inside(r)), shl(get(l.ci), i32(2)))), f32(0), inside(r));
  /** Four floats ci.. of each patch slot's run: from src(r), masked to 0 where the slot's tap is outside. */
  const vectorBlocks = (n4: Code, masked: boolean): Code => forRange(l.ci, i32(0), n4, [
      ...[0, 1, 2, 3].flatMap((r) => {
        const loaded = vload(add(masked ? get(src(r)) : add(get(base(r)), get(l.off)), shl(get(l.ci), i32(2))));
        return set(v(r), masked ? vand(loaded, get(mask(r))) : loaded);
      }),
      ...set(t(0), shuffle32(get(v(0)), get(v(1)), [0, 4, 1, 5])),
      ...set(t(1), shuffle32(get(v(2)), get(v(3)), [0, 4, 1, 5])),
      ...set(t(2), shuffle32(get(v(0)), get(v(1)), [2, 6, 3, 7])),
      ...set(t(3), shuffle32(get(v(2)), get(v(3)), [2, 6, 3, 7])),
      ...vstore(get(l.dst), shuffle32(get(t(0)), get(t(1)), [0, 1, 4, 5])),
      ...vstore(get(l.dst), shuffle32(get(t(0)), get(t(1)), [2, 3, 6, 7]), 16),
      ...vstore(get(l.dst), shuffle32(get(t(2)), get(t(3)), [0, 1, 4, 5]), 32),
      ...vstore(get(l.dst), shuffle32(get(t(2)), get(t(3)), [2, 3, 6, 7]), 48),
      ...set(l.dst, add(get(l.dst), i32(64))),
    ], i32(4));
  const wholeRun = (n4: Code, n: Code): Code => [
    ...vectorBlocks(n4, false),
    ...forRange(l.ci, n4, n, [
      ...[0, 1, 2, 3].flatMap((r) => store(add(get(l.dst), i32(4 * r)), load(add(add(get(base(r)), get(l.off)), shl(get(l.ci), i32(2)))))),
      ...set(l.dst, add(get(l.dst), i32(16))),
    ]),
  ];
  const edgeTap = [
    ...[0, 1, 2, 3].flatMap((r) => [
      ...set(src(r), select(add(get(base(r)), get(l.off)), get(X), inside(r))),
      ...set(mask(r), select(ONES, vzero(), inside(r))),
    ]),
    ...vectorBlocks(get(l.c4), true),
    ...forRange(l.ci, get(l.c4), g('inC'), [
      ...[0, 1, 2, 3].flatMap((r) => store(add(get(l.dst), i32(4 * r)), element(r))),
      ...set(l.dst, add(get(l.dst), i32(16))),
    ]),
  ];
  const taps = (perTap: Code): Code =>
    forRange(l.kh, i32(0), g('fh'), forRange(l.kw, i32(0), g('fw'), [
      ...set(l.off, shl(mul(add(mul(get(l.kh), g('inW')), get(l.kw)), g('inC')), i32(2))),
      ...perTap,
    ]));
  // A filter row whose taps are inside for all four patches is one run of fw * inC floats per patch.
  const rowInside = (r: number): Code => and(and(ltU(add(get(ih0(r)), get(l.kh)), g('inH')), geS(get(iw0(r)), i32(0))), leS(add(get(iw0(r)), g('fw')), g('inW')));
  const panel = forRange(l.kh, i32(0), g('fh'), [
    ...set(l.off, shl(mul(mul(get(l.kh), g('inW')), g('inC')), i32(2))),
    ...ifThen(
      and(and(rowInside(0), rowInside(1)), and(rowInside(2), rowInside(3))),
      wholeRun(get(l.L4), get(l.L)),
      forRange(l.kw, i32(0), g('fw'), [
        ...set(l.off, shl(mul(add(mul(get(l.kh), g('inW')), get(l.kw)), g('inC')), i32(2))),
        ...set(l.allIn, and(and(inside(0), inside(1)), and(inside(2), inside(3)))),
        ...ifThen(get(l.allIn), wholeRun(get(l.c4), g('inC')), edgeTap),
      ]),
    ),
  ]);
  // A tail row: slot 0 only, stepping dst by one float.
  const tailRow = taps(forRange(l.ci, i32(0), g('inC'), [...store(get(l.dst), element(0)), ...set(l.dst, add(get(l.dst), i32(4)))]));
  return {
    name: 'im2panel',
    params: Array<number>(14).fill(I32),
    locals: [...names.map(() => I32), ...Array<number>(12).fill(I32), ...Array<number>(12).fill(V128), ...Array<number>(4).fill(I32)],
    body: [
      ...set(l.c4, and(g('inC'), i32(-4))),
      ...set(l.L, mul(g('fw'), g('inC'))),
      ...set(l.L4, and(get(l.L), i32(-4))),
      ...set(l.Q, shrU(mul(mul(g('n'), g('outH')), g('outW')), i32(2))),
      ...set(l.b, i32(0)),
      ...set(l.oh, i32(0)),
      ...set(l.ow, i32(0)),
      ...set(l.dst, get(OUT)),
      ...forRange(l.q, i32(0), get(l.Q), [...origin(0), ...origin(1), ...origin(2), ...origin(3), ...panel]),
      ...forRange(l.p, shl(get(l.Q), i32(2)), mul(mul(g('n'), g('outH')), g('outW')), [...origin(0), ...tailRow]),
    ],
  };
}

/** im2panel's layout from im2row's patch matrix (P rows of K), for the JS side and tests. */
export function panelsFromRows(rows: Float32Array, P: number, K: number): Float32Array {
  const out = rows.slice();
  for (let q = 0; q < P >> 2; q++) for (let k = 0; k < K; k++) for (let r = 0; r < 4; r++) out[q * 4 * K + 4 * k + r] = rows[(4 * q + r) * K + k];
  return out;
}
