// The encoder's codes of a dataset's images, read a chunk at a time: codes are kept, pixels are not.
import * as tf from '@tensorflow/tfjs';
import { forEachChunk } from '../data/imageRows';
import type { LoadedDataset } from '../data/types';
import { encodeAll } from '../export/encoderBundle';
import type { Autoencoder } from '../model';

/** Images per chunk when encoding: bounds the float pixels held at once whatever the folder's size. */
const ENCODE_CHUNK = 1024;

/**
 * Codes [n, k] row-major, indexed by dataset row. `rows` limits the pass to those images (the other rows stay
 * zero): the downstream prune signal encodes a subset at each rung, the finished trial every image.
 */
export function encodeImages(ae: Autoencoder, ds: LoadedDataset, rows?: Int32Array): Float32Array {
  const k = ae.latentSize;
  const codes = new Float32Array(ds.files.length * k);
  const idx = rows ?? Int32Array.from({ length: ds.files.length }, (_, i) => i);
  forEachChunk(ds.images, idx, ENCODE_CHUNK, (floats, start, count) => {
    const x = tf.tensor2d(floats, [count, ds.images.rowLength]);
    try {
      const out = encodeAll(ae.encoder, x);
      if (!rows) codes.set(out, start * k);
      else for (let i = 0; i < count; i++) codes.set(out.subarray(i * k, (i + 1) * k), idx[start + i] * k);
    } finally {
      x.dispose();
    }
  });
  return codes;
}
