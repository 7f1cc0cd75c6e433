import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDenseAutoencoder } from '../../src/core/model/dense';
import { selectBackend } from '../../src/core/training/backend';
import { fitAutoencoder } from '../../src/core/training/fit';
import { createOptimizer } from '../../src/core/training/optimizer';
import { createRng } from '../../src/shared/rng';

const DIM = 36;
function data(n: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  // Smooth low-rank patterns so an autoencoder has something to learn.
  const v = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    const b = rng.next();
    for (let j = 0; j < DIM; j++) v[i * DIM + j] = 0.5 + 0.25 * Math.sin(a * 6 + j / 3) + 0.2 * Math.cos(b * 5 + j / 5);
  }
  return tf.tensor2d(v, [n, DIM]);
}

const params = { latentSize: 4, hiddenUnits: [16], activation: 'relu', outputActivation: 'sigmoid' } as const;

async function trainOnce(seed: number, epochs: number, lr = 0.01, signal?: AbortSignal, onBatchAbort?: () => void) {
  const train = data(96, 1);
  const val = data(32, 2);
  const ae = buildDenseAutoencoder(params, DIM, seed);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: lr, momentum: 0.9, nesterov: false });
  const counts: number[] = [];
  const res = await fitAutoencoder({
    ae,
    optimizer,
    train,
    val,
    batchSize: 16,
    epochs,
    seed,
    signal,
    onBatch: () => onBatchAbort?.(),
    onEpoch: () => void counts.push(tf.memory().numTensors),
  });
  optimizer.dispose();
  ae.dispose();
  train.dispose();
  val.dispose();
  return { res, counts };
}

describe('fitAutoencoder', () => {
  beforeAll(async () => {
    const b = await selectBackend();
    expect(['wasm', 'tensorflow']).toContain(b.name);
  });

  it('learns: validation loss falls, and no tensor leaks across epochs or trials', async () => {
    const before = tf.memory().numTensors;
    const { res, counts } = await trainOnce(3, 6);
    expect(res.state).toBe('COMPLETE');
    expect(res.epochs).toHaveLength(6);
    expect(res.epochs[5].valLoss).toBeLessThan(res.epochs[0].valLoss);
    expect(res.epochs.every((e) => e.samplesPerSec > 0 && e.seconds > 0)).toBe(true);
    // Same count after every epoch (optimizer slots are created in the first step).
    expect(new Set(counts.slice(1)).size).toBe(1);
    for (let t = 0; t < 3; t++) await trainOnce(3 + t, 2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed on the same backend', async () => {
    const a = await trainOnce(11, 2);
    const b = await trainOnce(11, 2);
    const c = await trainOnce(12, 2);
    expect(a.res.epochs.map((e) => e.valLoss)).toEqual(b.res.epochs.map((e) => e.valLoss));
    expect(a.res.epochs.map((e) => e.trainLoss)).toEqual(b.res.epochs.map((e) => e.trainLoss));
    expect(a.res.epochs[1].valLoss).not.toEqual(c.res.epochs[1].valLoss);
  });

  it('fails within one batch on a non-finite loss, without leaking', async () => {
    const before = tf.memory().numTensors;
    const { res } = await trainOnce(1, 3, 1e9);
    expect(res.state).toBe('FAILED');
    expect(res.state === 'FAILED' && res.reason).toMatch(/non-finite loss .* lower the learning rate/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops within one batch when cancelled', async () => {
    const abort = new AbortController();
    let batches = 0;
    const { res } = await trainOnce(1, 5, 0.01, abort.signal, () => {
      batches++;
      if (batches === 3) abort.abort();
    });
    expect(res.state).toBe('CANCELLED');
    expect(batches).toBe(3);
    expect(res.epochs).toHaveLength(0);
  });
});
