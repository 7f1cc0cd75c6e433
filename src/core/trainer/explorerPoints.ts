// What the latent explorer needs per stored code and cannot get later (the decoder is not kept): each image's
// reconstruction as a thumbnail beside the original's, its reconstruction error, and the probe's prediction.
// Computed once at trial end for the rows of latents.json and written through the artifact layout.
import * as tf from '@tensorflow/tfjs';
import { forEachChunk } from '../data/imageRows';
import type { LoadedDataset } from '../data/types';
import type { Autoencoder } from '../model';
import type { StoredPoints } from '../storage/artifacts';

/** Thumbnails are at most this many pixels a side (area-averaged by a whole factor). */
export const THUMB_MAX = 32;
const CHUNK = 256;

/** The whole downscale factor and the thumbnail's side for an image side. */
export function thumbSize(side: number): { factor: number; side: number } {
  const factor = Math.max(1, Math.ceil(side / THUMB_MAX));
  return { factor, side: Math.floor(side / factor) };
}

/**
 * One flattened NHWC image in [0, 1] (at `offset` in `src`) as a thumbnail of bytes, each thumbnail pixel the
 * mean of its factor x factor block, written at `at` in `out`.
 */
export function downscaleInto(src: ArrayLike<number>, offset: number, w: number, h: number, c: number, factor: number, out: Uint8Array, at: number): void {
  const tw = Math.floor(w / factor);
  const th = Math.floor(h / factor);
  const n = factor * factor;
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = offset + ((ty * factor + dy) * w + tx * factor) * c + ch;
          for (let dx = 0; dx < factor; dx++) sum += src[row + dx * c];
        }
        out[at + (ty * tw + tx) * c + ch] = Math.round(Math.min(1, Math.max(0, sum / n)) * 255);
      }
    }
  }
}

export interface ExplorerPoints {
  points: StoredPoints;
  /** points.bin: per row the original's thumbnail, then the reconstruction's. */
  images: Uint8Array;
}

/**
 * Per-row data of the dataset rows `rows` (the order of latents.json): thumbnails, reconstruction MSE, and the
 * probe's prediction (`predictions` by dataset index; null without a probe). `codes` are the trial's stored
 * codes of every image (dataset order, latentSize each): the reconstruction decodes them rather than encoding
 * the images a second time (the same result in inference mode, and the encoder's half of the work saved).
 */
export function explorerPoints(ae: Autoencoder, ds: LoadedDataset, rows: readonly number[], codes: Float32Array, predictions: Map<number, number> | null): ExplorerPoints {
  const { width: w, height: h, channels: c } = ds;
  const dim = w * h * c;
  const k = ae.latentSize;
  if (codes.length !== ds.files.length * k) throw new Error(`explorerPoints: ${codes.length} code values for ${ds.files.length} images of ${k} features`);
  const z = new Float32Array(Math.min(CHUNK, rows.length) * k);
  const { factor, side: tw } = thumbSize(w);
  const th = Math.floor(h / factor);
  const thumb = tw * th * c;
  const images = new Uint8Array(rows.length * thumb * 2);
  const errors = new Array<number>(rows.length);
  forEachChunk(ds.images, rows, CHUNK, (floats, start, count) => {
    for (let i = 0; i < count; i++) z.set(codes.subarray(rows[start + i] * k, (rows[start + i] + 1) * k), i * k);
    // The tidy returns the tensor, not its values: tidy walks a returned typed array element by element
    // looking for tensors (~0.5 s per trial at 256 x 784 values a chunk).
    const out = tf.tidy(() => ae.decoder.apply(tf.tensor2d(z.subarray(0, count * k), [count, k]), { training: false }) as tf.Tensor2D);
    const rec = out.dataSync() as Float32Array;
    out.dispose();
    for (let i = 0; i < count; i++) {
      let se = 0;
      for (let j = 0; j < dim; j++) {
        const d = rec[i * dim + j] - floats[i * dim + j];
        se += d * d;
      }
      errors[start + i] = se / dim;
      const at = (start + i) * thumb * 2;
      downscaleInto(floats, i * dim, w, h, c, factor, images, at);
      downscaleInto(rec, i * dim, w, h, c, factor, images, at + thumb);
    }
  });
  const predicted = predictions
    ? rows.map((r) => {
        const p = predictions.get(r);
        return p === undefined || p < 0 ? null : (ds.classes[p] ?? null);
      })
    : null;
  return {
    points: { format: 'latent-lab-points', formatVersion: 1, files: rows.map((r) => ds.files[r]), errors, predicted, thumbWidth: tw, thumbHeight: th, channels: c },
    images,
  };
}
