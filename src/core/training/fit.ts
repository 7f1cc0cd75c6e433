// The training loop: seeded shuffles, one optimizer step per batch, a NaN guard and a cancel check after
// every batch, and per-epoch metrics. Written by hand (not model.fit) so later losses (KL, sparsity, noise)
// and the pruning bridge fit in, and so cancel and NaN stop within one batch.
import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics } from '../../shared/dto';
import type { Autoencoder } from '../model/dense';
import { createRng } from '../search/rng';

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  samplesPerSec: number;
}

export interface FitOptions {
  ae: Autoencoder;
  optimizer: tf.Optimizer;
  train: tf.Tensor2D;
  val: tf.Tensor2D;
  batchSize: number;
  epochs: number;
  seed: number;
  signal?: AbortSignal;
  onBatch?: (p: BatchProgress) => void;
  /** Called after every epoch; returning 'prune' stops the trial there (the pruning bridge). */
  onEpoch?: (m: EpochMetrics) => void | 'prune' | Promise<void | 'prune'>;
}

export type FitOutcome =
  | { state: 'COMPLETE'; epochs: EpochMetrics[] }
  | { state: 'CANCELLED'; epochs: EpochMetrics[] }
  | { state: 'PRUNED'; epochs: EpochMetrics[] }
  | { state: 'FAILED'; reason: string; epochs: EpochMetrics[] };

const EVAL_BATCH = 1024;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function reconstruct(ae: Autoencoder, x: tf.Tensor): tf.Tensor {
  return ae.decoder.apply(ae.encoder.apply(x, { training: true }), { training: true }) as tf.Tensor;
}

/** Mean squared reconstruction error over a dataset, evaluated in batches to bound memory. */
export function evaluateMse(ae: Autoencoder, x: tf.Tensor2D, batchSize = EVAL_BATCH): number {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    sum += tf.tidy(() => {
      const xb = x.slice([start, 0], [size, -1]);
      const y = ae.decoder.predict(ae.encoder.predict(xb) as tf.Tensor) as tf.Tensor;
      return tf.losses.meanSquaredError(xb, y).mul(size).dataSync()[0];
    });
  }
  return sum / n;
}

export async function fitAutoencoder(opts: FitOptions): Promise<FitOutcome> {
  const { ae, optimizer, train, val, batchSize, epochs, signal } = opts;
  const n = train.shape[0];
  const batches = Math.ceil(n / batchSize);
  const rng = createRng(opts.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const varList = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const done: EpochMetrics[] = [];

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = performance.now();
    rng.shuffle(order);
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      if (signal?.aborted) return { state: 'CANCELLED', epochs: done };
      const idx = order.slice(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const loss = tf.tidy(() => {
        const xb = tf.gather(train, tf.tensor1d(idx, 'int32'));
        const cost = optimizer.minimize(() => tf.losses.meanSquaredError(xb, reconstruct(ae, xb)) as tf.Scalar, true, varList);
        return cost as tf.Scalar;
      });
      const value = (await loss.data())[0];
      loss.dispose();
      if (!Number.isFinite(value)) {
        return {
          state: 'FAILED',
          reason: `non-finite loss (${value}) at epoch ${epoch}, batch ${b + 1}: lower the learning rate, or use a sigmoid output for data in [0,1]`,
          epochs: done,
        };
      }
      lossSum += value * idx.length;
      const elapsed = (performance.now() - epochStart) / 1000;
      opts.onBatch?.({ epoch, batch: b + 1, batches, samplesPerSec: elapsed > 0 ? Math.min(n, (b + 1) * batchSize) / elapsed : 0 });
      // Lets a cancel message (or a UI event) through between batches.
      await yieldToEventLoop();
    }
    const trainSeconds = (performance.now() - epochStart) / 1000;
    const valLoss = evaluateMse(ae, val);
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / n,
      valLoss,
      seconds: (performance.now() - epochStart) / 1000,
      samplesPerSec: n / trainSeconds,
    };
    done.push(metrics);
    if (!Number.isFinite(valLoss)) {
      await opts.onEpoch?.(metrics);
      return { state: 'FAILED', reason: `non-finite validation loss at epoch ${epoch}: lower the learning rate`, epochs: done };
    }
    if ((await opts.onEpoch?.(metrics)) === 'prune') return { state: 'PRUNED', epochs: done };
  }
  return { state: 'COMPLETE', epochs: done };
}
