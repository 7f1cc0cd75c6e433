// Training on images read a batch at a time (from memory or from a cache file) gives exactly what training on
// the split held as one float tensor gives, for the same seed: the same shuffles, the same batches, the same
// losses. And no tensor is left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { fileRows, memoryRows, type ImageRows } from '../../src/core/data/imageRows';
import { buildAutoencoder } from '../../src/core/model';
import { createRng } from '../../src/shared/rng';
import { selectBackend } from '../../src/core/training/backend';
import { fitAutoencoder, imageSource, type RowSource } from '../../src/core/training/fit';
import { createOptimizer } from '../../src/core/training/optimizer';

const N = 90;
const D = 64;
let tmp: string;
let pixels: Uint8Array;

beforeAll(async () => {
  await selectBackend('wasm');
  const rng = createRng(5);
  pixels = Uint8Array.from({ length: N * D }, () => Math.floor(rng.next() * 256));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-stream-'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Images 0, 2, 4, ... train and 1, 3, 5, ... validate, as runTrial's splits pick positions in the folder. */
const trainIdx = Int32Array.from({ length: N / 2 }, (_, i) => 2 * i);
const valIdx = Int32Array.from({ length: N / 2 }, (_, i) => 2 * i + 1);

async function losses(train: tf.Tensor2D | RowSource, val: tf.Tensor2D | RowSource): Promise<number[]> {
  const p = { ...DEFAULT_PARAMS, architecture: 'denoising' as const, noiseType: 'gaussian' as const, hiddenUnits: [16], latentSize: 4, batchSize: 16, epochs: 3, seed: 4 };
  const ae = buildAutoencoder(p, { width: 8, height: 8, channels: 1 }, p.seed);
  const optimizer = createOptimizer(p);
  try {
    const out = await fitAutoencoder({ ae, optimizer, train, val, batchSize: p.batchSize, epochs: p.epochs, seed: p.seed });
    return out.epochs.flatMap((e) => [e.trainLoss, e.valLoss, e.valMse]);
  } finally {
    optimizer.dispose();
    ae.dispose();
  }
}

const asTensor = (idx: Int32Array): tf.Tensor2D => tf.tensor2d(Float32Array.from({ length: idx.length * D }, (_, i) => pixels[idx[Math.floor(i / D)] * D + (i % D)] / 255), [idx.length, D]);

describe('training on streamed images', () => {
  it('gives the losses of the in-memory float tensor, from memory rows and from a file, and leaks no tensor', async () => {
    const train = asTensor(trainIdx);
    const val = asTensor(valIdx);
    const expected = await losses(train, val);
    tf.dispose([train, val]);

    const file = path.join(tmp, 'rows.bin');
    fs.writeFileSync(file, pixels);
    const sources: ImageRows[] = [memoryRows(pixels, D), fileRows(file, N, D)];
    for (const rows of sources) {
      const before = tf.memory().numTensors;
      expect(await losses(imageSource(rows, trainIdx), imageSource(rows, valIdx)), rows.backing).toEqual(expected);
      expect(tf.memory().numTensors, `${rows.backing}: tensors left`).toBe(before);
      rows.close();
    }
  });
});
