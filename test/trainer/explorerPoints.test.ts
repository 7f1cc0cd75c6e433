// The explorer's reconstructions come from the trial's stored codes (decoded), not from encoding the images a
// second time: the same thumbnails and errors as the whole autoencoder in inference mode, for every
// architecture whose training-time extras (noise, code dropout) are off at inference.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { memoryRows } from '../../src/core/data/imageRows';
import type { LoadedDataset } from '../../src/core/data/types';
import { buildAutoencoder, type Autoencoder } from '../../src/core/model';
import { selectBackend } from '../../src/core/training/backend';
import { encodeImages } from '../../src/core/trainer/encodeImages';
import { downscaleInto, explorerPoints, thumbSize } from '../../src/core/trainer/explorerPoints';
import { createRng } from '../../src/shared/rng';

const SIDE = 8;
const N = 40;

function dataset(): LoadedDataset {
  const rng = createRng(11);
  const pixels = Uint8Array.from({ length: N * SIDE * SIDE }, () => Math.floor(rng.next() * 256));
  return {
    root: '/x', files: Array.from({ length: N }, (_, i) => `${i}.png`), labels: Int32Array.from({ length: N }, (_, i) => i % 2), classes: ['a', 'b'],
    width: SIDE, height: SIDE, channels: 1, images: memoryRows(pixels, SIDE * SIDE), failures: [], cacheKey: 'k', fromCache: false,
  };
}

/** What explorerPoints computed before it decoded stored codes: the whole forward pass on each image. */
function reference(ae: Autoencoder, ds: LoadedDataset, rows: number[]): { errors: number[]; images: Uint8Array } {
  const dim = SIDE * SIDE;
  const { factor, side } = thumbSize(SIDE);
  const thumb = side * side;
  const images = new Uint8Array(rows.length * thumb * 2);
  const errors: number[] = [];
  rows.forEach((r, i) => {
    const x = new Float32Array(dim);
    const bytes = new Uint8Array(dim);
    ds.images.read([r], bytes);
    for (let j = 0; j < dim; j++) x[j] = bytes[j] / 255;
    const rec = tf.tidy(() => ae.forward(tf.tensor2d(x, [1, dim]), { training: false, seed: 0 }).reconstruction.dataSync() as Float32Array);
    let se = 0;
    for (let j = 0; j < dim; j++) se += (rec[j] - x[j]) ** 2;
    errors.push(se / dim);
    downscaleInto(x, 0, SIDE, SIDE, 1, factor, images, i * thumb * 2);
    downscaleInto(rec, 0, SIDE, SIDE, 1, factor, images, i * thumb * 2 + thumb);
  });
  return { errors, images };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('explorerPoints', () => {
  const cases: Array<[string, Partial<AutoencoderParams>]> = [
    ['dense', { architecture: 'dense', hiddenUnits: [16] }],
    ['denoising conv with code dropout', { architecture: 'conv', filters: [4, 8], convNoise: 0.2, codeDropout: 0.3 }],
    ['variational', { architecture: 'variational', hiddenUnits: [16] }],
  ];
  it.each(cases)('%s: decoding the stored codes gives the forward pass\'s thumbnails and errors', (_name, extra) => {
    const p = { ...DEFAULT_PARAMS, ...extra, latentSize: 3, seed: 2 } as AutoencoderParams;
    const ds = dataset();
    const ae = buildAutoencoder(p, { width: SIDE, height: SIDE, channels: 1 }, p.seed);
    try {
      const codes = encodeImages(ae, ds);
      const rows = [5, 0, 17, 33, 2];
      const before = tf.memory().numTensors;
      const got = explorerPoints(ae, ds, rows, codes, new Map([[5, 1], [0, 0]]));
      expect(tf.memory().numTensors).toBe(before);
      const want = reference(ae, ds, rows);
      got.points.errors.forEach((e, i) => expect(e).toBeCloseTo(want.errors[i], 6));
      // Thumbnail bytes may differ by one where a float lands on a rounding edge; never more.
      expect(got.images.length).toBe(want.images.length);
      expect(Math.max(...Array.from(got.images, (b, i) => Math.abs(b - want.images[i])))).toBeLessThanOrEqual(1);
      expect(got.points.files).toEqual(['5.png', '0.png', '17.png', '33.png', '2.png']);
      expect(got.points.predicted).toEqual(['b', 'a', null, null, null]);
    } finally {
      ae.dispose();
    }
  });

  it('refuses codes that are not one row per image of the model\'s code size', () => {
    const p = { ...DEFAULT_PARAMS, architecture: 'dense', hiddenUnits: [16], latentSize: 3, seed: 2 } as AutoencoderParams;
    const ds = dataset();
    const ae = buildAutoencoder(p, { width: SIDE, height: SIDE, channels: 1 }, p.seed);
    try {
      expect(() => explorerPoints(ae, ds, [0], new Float32Array(N * 2), null)).toThrow(/80 code values for 40 images of 3 features/);
    } finally {
      ae.dispose();
    }
  });
});
