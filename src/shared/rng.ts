// A small seeded PRNG (sfc32, seeded through splitmix32). Only 32-bit integer math (Math.imul, >>>), so a seed
// gives the same sequence on every machine and engine; Math.random is never used.

export interface Rng {
  /** Uniform float in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [lo, hi], both ends inclusive (like Optuna's suggest_int). */
  int(lo: number, hi: number): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(array: T[]): T[];
  shuffle<A extends Int32Array | Uint32Array | Float64Array | Float32Array>(array: A): A;
  /** Standard normal (mean 0, sd 1), Box-Muller. */
  normal(): number;
}

/** splitmix32: spreads any seed (even 0, 1, 2 ...) into well-mixed state words. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`createRng: seed must be a finite number, got ${seed}`);
  // Fold the seed to 32 bits; the high part of large integer seeds is mixed in rather than dropped.
  const hi = Math.floor(Math.abs(seed) / 0x100000000);
  const mix = splitmix32((seed >>> 0) ^ Math.imul(hi >>> 0, 0x27d4eb2d));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = 1;
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up so that nearby seeds diverge immediately.
  for (let i = 0; i < 12; i++) uint32();

  const next = (): number => uint32() / 0x100000000;

  const int = (lo: number, hi: number): number => {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new Error(`rng.int: need integers lo <= hi, got ${lo}, ${hi}`);
    }
    const span = hi - lo + 1;
    if (span > 0x100000000) return lo + Math.floor(next() * span); // huge ranges: float resolution is enough
    // Rejection sampling keeps small ranges exactly uniform.
    const limit = 0x100000000 - (0x100000000 % span);
    let x = uint32();
    while (x >= limit) x = uint32();
    return lo + (x % span);
  };

  function shuffle<T>(array: T[]): T[];
  function shuffle<A extends Int32Array | Uint32Array | Float64Array | Float32Array>(array: A): A;
  function shuffle(array: { length: number; [i: number]: unknown }): unknown {
    for (let i = array.length - 1; i > 0; i--) {
      const j = int(0, i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - next(); // (0, 1]: log(0) impossible
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };

  return { next, uint32, int, shuffle, normal };
}

/** k sorted row indices out of n, chosen by seed (all of them when n <= k). */
export function seededSubset(n: number, k: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= k) return all;
  return createRng(seed).shuffle(all).slice(0, k).sort((a, b) => a - b);
}
