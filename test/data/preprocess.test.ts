import { describe, expect, it } from 'vitest';
import { areaSpans, flattenAndConvert, preprocess, resizeCover, type RawImage } from '../../src/core/data/preprocess';
import { bytes } from './fixtures';

/**
 * The resize written the slow, obvious way: for every output pixel and every source pixel, the overlap of the
 * two squares in units of 1 / (2 * size) source pixel, summed and rounded half up. Independent of areaSpans.
 */
function naiveCover(px: Uint8Array, w: number, h: number, ch: number, size: number): Uint8Array {
  const side = Math.min(w, h);
  const unit = 2 * size;
  const overlap = (a0: number, a1: number, b0: number, b1: number): number => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  const out = new Uint8Array(size * size * ch);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const y0 = size * (h - side) + 2 * side * i;
      const x0 = size * (w - side) + 2 * side * j;
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (let y = 0; y < h; y++) {
          const wy = overlap(y0, y0 + 2 * side, y * unit, (y + 1) * unit);
          if (!wy) continue;
          for (let x = 0; x < w; x++) sum += wy * overlap(x0, x0 + 2 * side, x * unit, (x + 1) * unit) * px[(y * w + x) * ch + c];
        }
        out[(i * size + j) * ch + c] = Math.floor((2 * sum + 4 * side * side) / (8 * side * side));
      }
    }
  }
  return out;
}

describe('preprocess (the pipeline the manifest specifies)', () => {
  it('flattens alpha onto black with round(v * a / 255) and converts colour with BT.601 integer luma', () => {
    const rgba: RawImage = { width: 3, height: 1, channels: 4, data: Uint8Array.from([200, 100, 50, 255, 200, 100, 50, 128, 255, 255, 255, 0]) };
    expect([...flattenAndConvert(rgba, 3)]).toEqual([200, 100, 50, 100, 50, 25, 0, 0, 0]);
    // floor((299 * 200 + 587 * 100 + 114 * 50 + 500) / 1000) = floor(124.7) = 124; (100, 50, 25) -> 62.
    expect([...flattenAndConvert(rgba, 1)]).toEqual([124, 62, 0]);
    const ga: RawImage = { width: 2, height: 1, channels: 2, data: Uint8Array.from([90, 255, 90, 1]) };
    expect([...flattenAndConvert(ga, 1)]).toEqual([90, 0]);
    expect([...flattenAndConvert(ga, 3)]).toEqual([90, 90, 90, 0, 0, 0]);
    const grey: RawImage = { width: 1, height: 1, channels: 1, data: Uint8Array.from([77]) };
    expect([...flattenAndConvert(grey, 3)]).toEqual([77, 77, 77]);
    // Grey delivered as equal RGB channels converts back to itself for every value.
    const equal: RawImage = { width: 256, height: 1, channels: 3, data: Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 3)) };
    expect([...flattenAndConvert(equal, 1)]).toEqual(Array.from({ length: 256 }, (_, i) => i));
  });

  it('crops the centred square and averages exact areas', () => {
    // 3x1 -> 1: the middle pixel; 4x2 -> 1: the mean of the middle 2x2, rounded half up.
    expect([...resizeCover(Uint8Array.from([10, 20, 30]), 3, 1, 1, 1)]).toEqual([20]);
    expect([...resizeCover(Uint8Array.from([0, 1, 2, 0, 0, 2, 3, 0]), 4, 2, 1, 1)]).toEqual([2]);
    // 4x3 -> 3: the crop starts half a pixel in, so the first column is the mean of columns 0 and 1.
    const spans = areaSpans(4, 3, 3);
    expect(spans.map((s) => [s.first, ...s.weights])).toEqual([[0, 3, 3], [1, 3, 3], [2, 3, 3]]);
    for (const s of areaSpans(37, 23, 16)) expect(s.weights.reduce((a, b) => a + b, 0)).toBe(2 * 23);
    // Upsampling 1x1 -> 3x3 repeats the pixel; the same size is the identity.
    expect([...resizeCover(Uint8Array.from([9]), 1, 1, 1, 3)]).toEqual(Array(9).fill(9));
    const px = bytes(5 * 5 * 3, 3);
    expect(resizeCover(px, 5, 5, 3, 5)).toBe(px);
  });

  it('matches the slow reference on random images, non-square, up and down, 1 and 3 channels', () => {
    const cases: [number, number, number, number][] = [[37, 23, 1, 16], [23, 37, 3, 16], [30, 30, 3, 7], [9, 14, 1, 32], [101, 64, 3, 28], [28, 28, 1, 20], [5, 3, 3, 4]];
    for (const [w, h, ch, size] of cases) {
      const px = bytes(w * h * ch, w * 31 + h);
      expect(Buffer.from(resizeCover(px, w, h, ch, size)).equals(Buffer.from(naiveCover(px, w, h, ch, size))), `${w}x${h}x${ch} -> ${size}`).toBe(true);
    }
  });

  it('preprocess = flatten, convert, then resize', () => {
    const img: RawImage = { width: 6, height: 4, channels: 4, data: bytes(6 * 4 * 4, 8) };
    const grey = preprocess(img, 3, 1);
    expect(grey).toEqual(resizeCover(flattenAndConvert(img, 1), 6, 4, 1, 3));
    expect(grey.length).toBe(9);
  });
});
