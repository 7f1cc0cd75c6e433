// A very small WebAssembly assembler: just enough structured control flow, i32/f32/f64 arithmetic and SIMD
// f32x4/f64x2 to write the few hot loops JavaScript runs 5-20x slower than wasm (the training kernels' gemm,
// Adam and im2col; the probes' float64 products).
// There is no C toolchain here, and the modules are tiny, so they are assembled at run time.
// Reference: WebAssembly core spec 2.0, binary format (sections 5.x) and the fixed-width SIMD opcodes.

export type Code = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(n: number): Code {
  const out: Code = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const name = (s: string): Code => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];
const simd = (op: number): Code => [0xfd, ...uleb(op)];

// Expressions: each helper returns the bytes that leave its value on the stack.
export const get = (l: number): Code => [0x20, ...uleb(l)];
export const set = (l: number, v: Code): Code => [...v, 0x21, ...uleb(l)];
export const i32 = (c: number): Code => [0x41, ...sleb(c)];
export const f32 = (c: number): Code => {
  const b = new Uint8Array(new Float32Array([c]).buffer);
  return [0x43, ...b];
};
const bin = (op: number) => (a: Code, b: Code): Code => [...a, ...b, op];
export const add = bin(0x6a);
export const sub = bin(0x6b);
export const mul = bin(0x6c);
export const ltS = bin(0x48);
export const geS = bin(0x4e);
export const or = bin(0x72);
export const and = bin(0x71);
export const ltU = bin(0x49);
export const shl = bin(0x74);
export const shrU = bin(0x76);
export const xor = bin(0x73);
export const divU = bin(0x6e);
export const eq = bin(0x46);
export const leS = bin(0x4c);
/** i32.eqz. */
export const eqz = (a: Code): Code => [...a, 0x45];
export const fadd = bin(0x92);
export const fsub = bin(0x93);
export const fmul = bin(0x94);
export const fdiv = bin(0x95);
export const fmax = bin(0x97);
export const fsqrt = (a: Code): Code => [...a, 0x91];
export const fgt = bin(0x5e);
export const fne = bin(0x5c);
/** f32.demote_f64 (rounds to nearest). */
export const demote = (a: Code): Code => [...a, 0xb6];
export const fmin = bin(0x96);
export const flt = bin(0x5d);
export const fge = bin(0x60);
export const fle = bin(0x5f);
export const shrS = bin(0x75);
/** f32.convert_i32_s. */
export const fromI32 = (a: Code): Code => [...a, 0xb2];
/** i32.reinterpret_f32 and f32.reinterpret_i32: the same 32 bits read as the other type. */
export const bitsOfF32 = (a: Code): Code => [...a, 0xbc];
export const asF32 = (a: Code): Code => [...a, 0xbe];
/** a if cond (an i32) is non-zero, else b. */
export const select = (a: Code, b: Code, cond: Code): Code => [...a, ...b, ...cond, 0x1b];
export const dadd = bin(0xa0);
export const dsub = bin(0xa1);
export const dmul = bin(0xa2);
export const ddiv = bin(0xa3);
export const dmax = bin(0xa5);
export const dlt = bin(0x63);
export const dneg = (a: Code): Code => [...a, 0x9a];
/** f64.promote_f32: a float widened to a double (exact). */
export const promote = (a: Code): Code => [...a, 0xbb];
/** i32.trunc_sat_f64_s: toward zero, saturating (NaN gives 0, never a trap). */
export const truncSat = (a: Code): Code => [...a, 0xfc, 0x02];
/** f64.convert_i32_s. */
export const toF64 = (a: Code): Code => [...a, 0xb7];
/** 2^e as a double from an i32 biased exponent e + 1023 in 1..2046 (the exponent field, zero mantissa). */
export const pow2Biased = (biased: Code): Code => [...biased, 0xac, 0x42, ...sleb(52), 0x86, 0xbf];
/** i32.load by byte address. */
export const iload = (addr: Code): Code => [...addr, 0x28, 0x02, 0x00];
export const f64 = (c: number): Code => [0x44, ...new Uint8Array(new Float64Array([c]).buffer)];
/** f64 loads and stores by byte address; `offset` is an immediate byte offset. */
export const dload = (addr: Code, offset = 0): Code => [...addr, 0x2b, 0x03, ...uleb(offset)];
export const dstore = (addr: Code, v: Code, offset = 0): Code => [...addr, ...v, 0x39, 0x03, ...uleb(offset)];
/** f64x2: two doubles per v128 (loads and stores are vload/vstore). */
export const dsplat = (a: Code): Code => [...a, ...simd(0x14)];
/** v128.load64_splat: one double from memory into both lanes. */
export const loadSplat64 = (addr: Code): Code => [...addr, ...simd(0x0a), 0x03, 0x00];
export const dlane = (v: Code, lane: number): Code => [...v, ...simd(0x21), lane];
/** Byte address of float element `index` in the array starting at byte `base`. */
export const at = (base: Code, index: Code): Code => add(base, shl(index, i32(2)));
export const load = (addr: Code, offset = 0): Code => [...addr, 0x2a, 0x02, ...uleb(offset)];
export const store = (addr: Code, v: Code, offset = 0): Code => [...addr, ...v, 0x38, 0x02, ...uleb(offset)];
export const vload = (addr: Code, offset = 0): Code => [...addr, ...simd(0x00), 0x04, ...uleb(offset)];
export const vstore = (addr: Code, v: Code, offset = 0): Code => [...addr, ...v, ...simd(0x0b), 0x04, ...uleb(offset)];
/** v128.load32_splat: one float from memory into all four lanes. */
export const loadSplat = (addr: Code): Code => [...addr, ...simd(0x09), 0x02, 0x00];
export const extractLane = (v: Code, lane: number): Code => [...v, ...simd(0x1f), lane];
export const splat = (a: Code): Code => [...a, ...simd(0x13)];
/** f64x2.promote_low_f32x4: float lanes 0 and 1 widened to doubles (exact). */
export const promoteLow = (a: Code): Code => [...a, ...simd(0x5f)];
const vbin = (op: number) => (a: Code, b: Code): Code => [...a, ...b, ...simd(op)];
export const vadd = vbin(0xe4);
export const vsub = vbin(0xe5);
export const vmul = vbin(0xe6);
export const vdiv = vbin(0xe7);
export const vmax = vbin(0xe9);
export const vdadd = vbin(0xf0);
export const vdsub = vbin(0xf1);
export const vdmul = vbin(0xf2);
/** f32x4.relaxed_madd (relaxed SIMD): a*b + c, fused where the CPU has FMA. */
export const vmadd = (a: Code, b: Code, c: Code): Code => [...a, ...b, ...c, ...simd(0x105)];
export const vsqrt = (a: Code): Code => [...a, ...simd(0xe3)];
export const vzero = (): Code => splat(f32(0));
/** f32x4 comparisons (all-ones lanes where true) and v128.bitselect(a, b, mask): a where mask bits are set, else b. */
/** i8x16.shuffle of two vectors by float lanes: lanes 0-3 pick from a, 4-7 from b. */
export const shuffle32 = (a: Code, b: Code, lanes: readonly [number, number, number, number]): Code => [...a, ...b, ...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
export const vgt = vbin(0x44);
export const vne = vbin(0x42);
export const bitselect = (a: Code, b: Code, mask: Code): Code => [...a, ...b, ...mask, ...simd(0x52)];
/** v128.const of two doubles (the second defaults to the first). */
export const dconst2 = (lo: number, hi = lo): Code => [...simd(0x0c), ...new Uint8Array(new Float64Array([lo, hi]).buffer)];
export const vddiv = vbin(0xf3);
/** f64x2 comparisons: all-ones 64-bit lanes where true (false for NaN, as the scalar ones). */
export const vdgt = vbin(0x4a);
export const vdle = vbin(0x4b);
export const vdge = vbin(0x4c);
export const vand = vbin(0x4e);
export const vor = vbin(0x50);
/** f32x4.lt / ge / le: all-ones lanes where true (false for NaN). */
export const vlt = vbin(0x43);
export const vge = vbin(0x46);
export const vle = vbin(0x45);
/** f32x4.pmin / pmax: b < a ? b : a and a < b ? b : a, one x86 instruction each (min and max take several, for
 * their NaN and -0 rules); a NaN in a comes out as a. */
export const vpmin = vbin(0xea);
export const vpmax = vbin(0xeb);
/** Integer lanes (v128 is untyped, so these read a float vector's bits): i32x4.splat, add, shr_s by an i32 count. */
export const isplat = (a: Code): Code => [...a, ...simd(0x11)];
export const vi32add = vbin(0xae);
export const vi32shrS = (a: Code, count: Code): Code => [...a, ...count, ...simd(0xac)];
/** f32x4.convert_i32x4_s. */
export const vfromI32 = (a: Code): Code => [...a, ...simd(0xfa)];
export const vi32mul = vbin(0xb5);
export const vi32shrU = (a: Code, count: Code): Code => [...a, ...count, ...simd(0xad)];
export const vxor = vbin(0x51);
export const vi32shl = (a: Code, count: Code): Code => [...a, ...count, ...simd(0xab)];
/** i32x4.eq: all-ones lanes where equal. */
export const vi32eq = vbin(0x37);
/** v128.const of four int32 lanes. */
export const iconst4 = (lanes: readonly [number, number, number, number]): Code => [...simd(0x0c), ...new Uint8Array(new Int32Array(lanes).buffer)];
/** f64x2.trunc: both lanes rounded toward zero (exact; an integer-valued double stays itself). */
export const vdtrunc = (a: Code): Code => [...a, ...simd(0x7a)];
/** i64x2.shl by an i32 count. */
export const vi64shl = (a: Code, count: Code): Code => [...a, ...count, ...simd(0xcb)];
/** i64x2.bitmask: bit i set where 64-bit lane i has its top bit set (an i32 in 0..3). */
export const vi64bitmask = (a: Code): Code => [...a, ...simd(0xc4)];
/** i64x2.all_true: 1 when both 64-bit lanes are non-zero. */
export const vi64allTrue = (a: Code): Code => [...a, ...simd(0xc3)];

/** Calls function `index` of the same module (its result, if any, stays on the stack). */
export const call = (index: number, args: Code[]): Code => [...args.flat(), 0x10, ...uleb(index)];

// Statements.
export const ifThen = (cond: Code, then: Code, otherwise?: Code): Code =>
  otherwise ? [...cond, 0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b] : [...cond, 0x04, 0x40, ...then, 0x0b];
/** for (l = from; l < to; l += step) body — `to` is re-evaluated every iteration, so keep it cheap. */
export const forRange = (l: number, from: Code, to: Code, body: Code, step: Code = i32(1)): Code => [
  ...set(l, from),
  0x02, 0x40, // block
  0x03, 0x40, // loop
  ...geS(get(l), to),
  0x0d, 0x01, // br_if 1: leave the block
  ...body,
  ...set(l, add(get(l), step)),
  0x0c, 0x00, // br 0: next iteration
  0x0b,
  0x0b,
];

export interface FuncDef {
  name: string;
  params: number[];
  /** Types of the extra locals, numbered after the params. */
  locals: number[];
  body: Code;
}

export interface AssembleOptions {
  /**
   * Import a shared memory (the threads proposal) of at most this many pages, so that instances in several
   * worker threads can run on the same memory; by default the import is a plain memory.
   */
  sharedMaxPages?: number;
}

/** A module that imports its memory as env.memory and exports the functions by name. */
export function assemble(funcs: FuncDef[], options: AssembleOptions = {}): Uint8Array {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])]);
  // Memory limits: flag 0 = min only; flag 3 = shared, min and max (a shared memory must declare its max).
  const limits = options.sharedMaxPages === undefined ? [0x00, ...uleb(0)] : [0x03, ...uleb(0), ...uleb(options.sharedMaxPages)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const codes = funcs.map((f) => {
    const locals = vec(f.locals.map((t) => [...uleb(1), t]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes)),
  ];
  return Uint8Array.from(bytes);
}
