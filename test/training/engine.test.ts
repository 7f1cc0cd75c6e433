// The training engine's guarantees, for every architecture: reproducible for a seed, no tensor leaks (per epoch
// and over 20 consecutive trials), NaN guard / cancel / prune within one batch, early stopping with restore.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { buildAutoencoder } from '../../src/core/model';
import { selectBackend } from '../../src/core/training/backend';
import { evaluate, fitAutoencoder, type FitOptions, type FitOutcome } from '../../src/core/training/fit';
import { createOptimizer } from '../../src/core/training/optimizer';
import { createRng } from '../../src/shared/rng';

const SIDE = 8;
const DIM = SIDE * SIDE;

function images(n: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  const v = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    const b = rng.next();
    for (let j = 0; j < DIM; j++) v[i * DIM + j] = 0.5 + 0.25 * Math.sin(a * 6 + (j % SIDE) / 2) + 0.2 * Math.cos(b * 5 + Math.floor(j / SIDE) / 3);
  }
  return tf.tensor2d(v, [n, DIM]);
}

const base: AutoencoderParams = { ...DEFAULT_PARAMS, hiddenUnits: [16], latentSize: 4, filters: [4, 8], imageSize: SIDE, batchSize: 16, learningRate: 0.01 };

const VARIANTS: Array<[string, Partial<AutoencoderParams>]> = [
  ['dense', { architecture: 'dense' }],
  ['conv', { architecture: 'conv' }],
  ['denoising gaussian', { architecture: 'denoising', noiseType: 'gaussian' }],
  ['denoising masking', { architecture: 'denoising', noiseType: 'masking' }],
  ['sparse', { architecture: 'sparse', l1: 1e-3 }],
  ['variational', { architecture: 'variational', klBeta: 1 }],
  ['dense + dropout/bn/l2/leaky/sgd', { dropout: 0.2, batchNorm: true, weightDecay: 1e-3, activation: 'leakyRelu', optimizer: 'sgd', nesterov: true }],
  ['conv + dropout/bn/bce/rmsprop', { architecture: 'conv', dropout: 0.2, batchNorm: true, loss: 'bce', optimizer: 'rmsprop', learningRate: 0.003 }],
  ['dense + adagrad/elu', { optimizer: 'adagrad', activation: 'elu' }],
];

interface Trial {
  out: FitOutcome;
  counts: number[];
  initial: number[];
  batches: number;
}

async function trial(over: Partial<AutoencoderParams>, epochs: number, extra: Partial<FitOptions> = {}, seed = 5): Promise<Trial> {
  const p = { ...base, ...over, seed };
  const train = (extra.train as tf.Tensor2D | undefined) ?? images(48, 1);
  const val = images(16, 2);
  const ae = buildAutoencoder(p, { width: SIDE, height: SIDE, channels: 1 }, seed);
  const optimizer = createOptimizer(p);
  const initial = ae.weights.flatMap((w) => [...w.read().dataSync()]).slice(0, 50);
  const counts: number[] = [];
  let batches = 0;
  const out = await fitAutoencoder({
    ae,
    optimizer,
    train,
    val,
    batchSize: p.batchSize,
    epochs,
    seed,
    ...extra,
    onBatch: (b) => {
      batches++;
      extra.onBatch?.(b);
    },
    onEpoch: async (m) => {
      counts.push(tf.memory().numTensors);
      return extra.onEpoch?.(m);
    },
  });
  optimizer.dispose();
  ae.dispose();
  train.dispose();
  val.dispose();
  return { out, counts, initial, batches };
}

describe('training engine', () => {
  beforeAll(async () => {
    const b = await selectBackend();
    expect(['wasm', 'tensorflow']).toContain(b.name);
  });

  it('tells the user which backend runs and why the faster one did not', async () => {
    const b = await selectBackend();
    if (b.name === 'wasm') expect(b.note).toMatch(/^wasm \(WebAssembly, SIMD( \+ FMA)?\): tfjs-node (is not installed|failed)/);
    else expect(b.note).toBe('native TensorFlow (tfjs-node)');
  });

  it.each(VARIANTS)('%s: learns, same tensor count after every epoch, nothing left after the trial', async (_, over) => {
    const before = tf.memory().numTensors;
    const { out, counts } = await trial(over, 4, { earlyStopping: { patience: 10, minDelta: 0, restoreBestWeights: true } });
    expect(out.state).toBe('COMPLETE');
    expect(out.epochs).toHaveLength(4);
    expect(out.epochs.every((e) => Number.isFinite(e.valLoss) && Number.isFinite(e.valMse) && e.samplesPerSec > 0)).toBe(true);
    expect(out.epochs[3].valMse).toBeLessThan(out.epochs[0].valMse * 1.05);
    // Optimizer slots and the best-weights snapshot appear in epoch 1; nothing grows after it.
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(VARIANTS)('%s: the same seed gives the same initial weights, shuffles and metrics', async (_, over) => {
    const a = await trial(over, 2);
    const b = await trial(over, 2);
    const c = await trial(over, 2, {}, 6);
    expect(b.initial).toEqual(a.initial);
    expect(b.out.epochs.map((e) => [e.trainLoss, e.valLoss, e.valMse])).toEqual(a.out.epochs.map((e) => [e.trainLoss, e.valLoss, e.valMse]));
    expect(c.initial).not.toEqual(a.initial);
    expect(c.out.epochs[1].trainLoss).not.toEqual(a.out.epochs[1].trainLoss);
  });

  it('20 consecutive trials in one process leave the tensor count where it was', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const [, over] = VARIANTS[i % VARIANTS.length];
      const { out } = await trial(over, 1, {}, 100 + i);
      expect(out.state).toBe('COMPLETE');
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('fails within one batch on a non-finite loss (NaN input or a diverging learning rate)', async () => {
    const before = tf.memory().numTensors;
    const bad = images(48, 1);
    const poisoned = tf.tidy(() => tf.concat([tf.fill([1, DIM], NaN), bad.slice([1, 0], [47, -1])]) as tf.Tensor2D);
    bad.dispose();
    // Batch 1 of the shuffled order may not hold row 0; the guard must trip in the batch that does.
    const nan = await trial({ architecture: 'conv' }, 3, { train: poisoned });
    expect(nan.out.state).toBe('FAILED');
    expect(nan.out.state === 'FAILED' && nan.out.reason).toMatch(/^non-finite loss \(NaN\) at epoch 1, batch \d/);
    const failedBatch = Number(/batch (\d+)/.exec(nan.out.state === 'FAILED' ? nan.out.reason : '')?.[1]);
    expect(nan.batches).toBe(failedBatch - 1);
    const diverged = await trial({ outputActivation: 'linear' }, 3, {}, 1);
    const huge = await trial({ outputActivation: 'linear', learningRate: 1e9 }, 3, {}, 1);
    expect(diverged.out.state).toBe('COMPLETE');
    expect(huge.out.state).toBe('FAILED');
    expect(huge.out.state === 'FAILED' && huge.out.reason).toMatch(/non-finite loss .* lower the learning rate/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['dense', 'conv', 'variational'] as const)('%s: cancel and prune stop within one batch', async (architecture) => {
    const before = tf.memory().numTensors;
    const abort = new AbortController();
    let seen = 0;
    const cancelled = await trial({ architecture }, 5, {
      signal: abort.signal,
      onBatch: () => {
        if (++seen === 4) abort.abort();
      },
    });
    expect(cancelled.out.state).toBe('CANCELLED');
    expect(cancelled.batches).toBe(4);
    expect(cancelled.out.epochs).toHaveLength(1);
    const pruned = await trial({ architecture }, 5, { onEpoch: (m) => (m.epoch === 2 ? 'prune' : undefined) });
    expect(pruned.out.state).toBe('PRUNED');
    expect(pruned.out.epochs).toHaveLength(2);
    expect(pruned.batches).toBe(2 * 3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const before = tf.memory().numTensors;
    const p = { ...base, seed: 9 };
    const train = images(48, 1);
    const val = images(16, 2);
    const ae = buildAutoencoder(p, { width: SIDE, height: SIDE, channels: 1 }, 9);
    const optimizer = createOptimizer(p);
    // minDelta larger than any possible gain: epoch 1 is the best, training stops after epoch 3.
    const out = await fitAutoencoder({ ae, optimizer, train, val, batchSize: 16, epochs: 10, seed: 9, earlyStopping: { patience: 2, minDelta: 10, restoreBestWeights: true } });
    expect(out.state).toBe('COMPLETE');
    expect(out.epochs).toHaveLength(3);
    expect(out.stoppedEarly).toBe(true);
    expect(out.bestEpoch).toBe(1);
    expect(evaluate(ae, val).loss).toBeCloseTo(out.epochs[0].valLoss, 6);
    optimizer.dispose();
    ae.dispose();
    tf.dispose([train, val]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reconstructs the fixed sample every k epochs and after the last', async () => {
    const sample = images(3, 4);
    const calls: Array<[number, number]> = [];
    const { out } = await trial({ architecture: 'conv' }, 5, {
      reconstructions: { sample, every: 2, onReconstruct: (epoch, rec) => void calls.push([epoch, rec.length]) },
    });
    expect(out.state).toBe('COMPLETE');
    expect(calls).toEqual([
      [2, 3 * DIM],
      [4, 3 * DIM],
      [5, 3 * DIM],
    ]);
    sample.dispose();
  });
});
