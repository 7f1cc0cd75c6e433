// From decoded pixels to the model's input, in integer arithmetic anyone can reproduce exactly: alpha flattened
// onto black, colour converted with the ITU-R BT.601 luma weights, then a "cover" resize with a centre crop by
// exact area averaging. The same steps are written out in every encoder bundle's manifest (preprocessingSpec),
// so a client in any language gets the same bytes; libvips' resampling kernels could not be specified like that.
import type { Channels } from '../../shared/dto';

/** A decoded image at full resolution: 8-bit samples, row-major; 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/** Names this pipeline in cache keys and manifests; change it whenever any step's result could change. */
export const PREPROCESS_ID = 'latent-lab-preprocess/1';

/** round(v * a / 255): 255 is odd, so v * a / 255 never lies exactly halfway and no tie rule is needed. */
const flatten = (v: number, a: number): number => Math.floor((v * a + 127) / 255);
/** BT.601 luma in integers, halves rounded up: floor((299 R + 587 G + 114 B + 500) / 1000). */
const luma = (r: number, g: number, b: number): number => Math.floor((299 * r + 587 * g + 114 * b + 500) / 1000);

/** Step 1: alpha flattened onto black and converted to `out` channels, still at the image's own size. */
export function flattenAndConvert(img: RawImage, out: Channels): Uint8Array {
  const n = img.width * img.height;
  const src = img.data;
  const step = img.channels;
  if (src.length !== n * step) throw new Error(`flattenAndConvert: expected ${n * step} bytes, got ${src.length}`);
  const dst = new Uint8Array(n * out);
  for (let i = 0; i < n; i++) {
    const s = i * step;
    let r: number, g: number, b: number;
    if (step <= 2) {
      r = g = b = step === 2 ? flatten(src[s], src[s + 1]) : src[s];
    } else if (step === 4) {
      const a = src[s + 3];
      r = flatten(src[s], a);
      g = flatten(src[s + 1], a);
      b = flatten(src[s + 2], a);
    } else {
      r = src[s];
      g = src[s + 1];
      b = src[s + 2];
    }
    if (out === 1) dst[i] = step <= 2 ? r : luma(r, g, b);
    else {
      dst[i * 3] = r;
      dst[i * 3 + 1] = g;
      dst[i * 3 + 2] = b;
    }
  }
  return dst;
}

/** One output pixel's source span along an axis: the first source index and the integer weight of each. */
interface Span {
  first: number;
  weights: number[];
}

/**
 * Area weights along one axis of length `len`, centre-cropped to `side` and resized to `target`, in units of
 * 1 / (2 * target) source pixel: source pixel x covers [2T x, 2T (x + 1)), output pixel i covers
 * [T (len - side) + 2 side i, T (len - side) + 2 side (i + 1)). The weights are the overlaps; each span sums to 2 side.
 */
export function areaSpans(len: number, side: number, target: number): Span[] {
  const unit = 2 * target;
  const offset = target * (len - side);
  const spans: Span[] = [];
  for (let i = 0; i < target; i++) {
    const lo = offset + 2 * side * i;
    const hi = lo + 2 * side;
    const first = Math.floor(lo / unit);
    const weights: number[] = [];
    for (let x = first; x * unit < hi; x++) weights.push(Math.min(hi, (x + 1) * unit) - Math.max(lo, x * unit));
    spans.push({ first, weights });
  }
  return spans;
}

/**
 * Step 2: "cover" resize to size x size. The centred square of side min(width, height) is averaged over each
 * output pixel's exact footprint: out = floor((sum of w_y * w_x * v + 2 side^2) / (4 side^2)), all in integers
 * (at most 255 * 4 side^2, exact in a double for any image libvips will decode).
 */
export function resizeCover(px: Uint8Array, width: number, height: number, channels: number, size: number): Uint8Array {
  if (width === size && height === size) return px;
  const side = Math.min(width, height);
  const xs = areaSpans(width, side, size);
  const ys = areaSpans(height, side, size);
  const rowFirst = ys[0].first;
  const rowLast = ys[size - 1].first + ys[size - 1].weights.length;
  // Horizontal pass over the rows the crop uses: tmp[y][j][c] = sum_x w_x * v (at most 255 * 2 side).
  const tmp = new Float64Array((rowLast - rowFirst) * size * channels);
  for (let y = rowFirst; y < rowLast; y++) {
    const src = y * width * channels;
    const dst = (y - rowFirst) * size * channels;
    for (let j = 0; j < size; j++) {
      const { first, weights } = xs[j];
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < weights.length; k++) acc += weights[k] * px[src + (first + k) * channels + c];
        tmp[dst + j * channels + c] = acc;
      }
    }
  }
  const denom = 4 * side * side;
  const half = 2 * side * side;
  const out = new Uint8Array(size * size * channels);
  const rowLen = size * channels;
  const acc = new Float64Array(rowLen);
  for (let i = 0; i < size; i++) {
    const { first, weights } = ys[i];
    acc.fill(0);
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k];
      const row = (first + k - rowFirst) * rowLen;
      for (let j = 0; j < rowLen; j++) acc[j] += w * tmp[row + j];
    }
    for (let j = 0; j < rowLen; j++) out[i * rowLen + j] = Math.floor((acc[j] + half) / denom);
  }
  return out;
}

/** Decoded image -> size x size x channels uint8, the model's input before scaling by 1/255. */
export function preprocess(img: RawImage, size: number, channels: Channels): Uint8Array {
  return resizeCover(flattenAndConvert(img, channels), img.width, img.height, channels, size);
}
