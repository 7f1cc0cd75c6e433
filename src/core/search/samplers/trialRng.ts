// The random stream of one proposal, keyed by a hash of (seed, trial number, sampler): proposals do not depend
// on each other's draws, so the same spec and seed propose the same params in any order, process or machine.
import { createRng, type Rng } from '../../../shared/rng';

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** murmur3-style hash of 32-bit words and a text salt. */
function hashWords(words: readonly number[], salt = ''): number {
  let h = 0x9747b28c;
  const mix = (w: number): void => {
    let k = Math.imul(w >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) >>> 0;
  };
  for (const w of words) mix(w);
  for (let i = 0; i < salt.length; i++) mix(salt.charCodeAt(i));
  return fmix32(h ^ (words.length + salt.length));
}

/**
 * The random stream of one proposal: a hash of (seed, trial number, sampler), so proposal N never depends on
 * how many numbers earlier proposals drew, and a resumed study continues exactly.
 */
export function trialRng(seed: number, trialNumber: number, salt: string): Rng {
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / 0x100000000) >>> 0;
  return createRng(hashWords([lo, hi, trialNumber >>> 0, Math.floor(trialNumber / 0x100000000) >>> 0], salt));
}
