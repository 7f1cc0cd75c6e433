// The training loop: seeded shuffles and per-batch noise seeds, one optimizer step per batch, a NaN guard and a
// cancel check after every batch, per-epoch metrics, early stopping with best-weight restore, and periodic
// reconstructions. Written by hand (not model.fit) so the architectures' extra losses fit in and so cancel,
// NaN and pruning stop within one batch. Every tensor made here is freed here: the tensor count is the same
// after every epoch and after the trial as before it.
import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics } from '../../shared/dto';
import type { Autoencoder } from '../model/types';
import { reconstructionLoss } from '../model/blocks';
import { createRng } from '../../shared/rng';
import type { ImageRows } from '../data/imageRows';

/**
 * The rows a training run reads by position: a tensor already in memory, or images converted to floats a
 * batch at a time (imageSource), so a large folder is never held as float32.
 */
export interface RowSource {
  readonly rows: number;
  /** Rows at positions idx as a fresh [idx.length, dim] tensor (the caller disposes it). */
  take(idx: readonly number[]): tf.Tensor2D;
  /** Rows start..start+count-1 as a fresh tensor. */
  slice(start: number, count: number): tf.Tensor2D;
}

export function tensorSource(t: tf.Tensor2D): RowSource {
  return {
    rows: t.shape[0],
    take: (idx) => tf.tidy(() => tf.gather(t, tf.tensor1d(idx as number[], 'int32')) as tf.Tensor2D),
    slice: (start, count) => t.slice([start, 0], [count, -1]),
  };
}

/** Images positions[0..] of `images` (a split), as pixel / 255 floats, read and converted per batch. */
export function imageSource(images: ImageRows, positions: Int32Array): RowSource {
  const dim = images.rowLength;
  let bytes = new Uint8Array(0);
  let floats = new Float32Array(0);
  const rowsAt = (at: (r: number) => number, count: number): tf.Tensor2D => {
    if (floats.length < count * dim) {
      bytes = new Uint8Array(count * dim);
      floats = new Float32Array(count * dim);
    }
    const idx = Array.from({ length: count }, (_, r) => positions[at(r)]);
    images.read(idx, bytes);
    const out = floats.subarray(0, count * dim);
    for (let i = 0; i < out.length; i++) out[i] = bytes[i] / 255;
    // tf.tensor2d copies the values into the backend, so the buffers are reused for the next batch.
    return tf.tensor2d(out, [count, dim]);
  };
  return { rows: positions.length, take: (idx) => rowsAt((r) => idx[r], idx.length), slice: (start, count) => rowsAt((r) => start + r, count) };
}

const asSource = (x: tf.Tensor2D | RowSource): RowSource => (x instanceof tf.Tensor ? tensorSource(x) : x);

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  samplesPerSec: number;
}

/** EpochMetrics plus the plain reconstruction MSE on validation data (valLoss also holds KL/L1/L2 terms). */
export interface FitEpochMetrics extends EpochMetrics {
  valMse: number;
}

export interface EarlyStoppingOptions {
  /** Epochs without improvement of the validation loss before stopping; 0 turns early stopping off. */
  patience: number;
  /** An improvement must lower the best validation loss by more than this. */
  minDelta: number;
  /** On stopping (or at the end), put back the weights of the best epoch. */
  restoreBestWeights: boolean;
}

export interface ReconstructionOptions {
  /** The fixed validation images to reconstruct, [k, inputDim]. */
  sample: tf.Tensor2D;
  /** Every this many epochs, and after the last one. */
  every: number;
  onReconstruct: (epoch: number, reconstructions: Float32Array) => void;
}

export interface FitOptions {
  ae: Autoencoder;
  optimizer: tf.Optimizer;
  train: tf.Tensor2D | RowSource;
  val: tf.Tensor2D | RowSource;
  batchSize: number;
  epochs: number;
  seed: number;
  signal?: AbortSignal;
  earlyStopping?: EarlyStoppingOptions;
  reconstructions?: ReconstructionOptions;
  onBatch?: (p: BatchProgress) => void;
  /** Called after every epoch; returning 'prune' stops the trial there (the pruning bridge). */
  onEpoch?: (m: FitEpochMetrics) => void | 'prune' | Promise<void | 'prune'>;
}

interface Run {
  epochs: FitEpochMetrics[];
  /** Epoch whose weights the model ends with when early stopping restored them. */
  bestEpoch?: number;
  stoppedEarly?: boolean;
}

export type FitOutcome =
  | ({ state: 'COMPLETE' } & Run)
  | ({ state: 'CANCELLED' } & Run)
  | ({ state: 'PRUNED' } & Run)
  | ({ state: 'FAILED'; reason: string } & Run);

const EVAL_BATCH = 512;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The training objective for one batch: reconstruction loss + architecture term + weight decay. */
export function batchLoss(ae: Autoencoder, x: tf.Tensor2D, training: boolean, seed: number): tf.Scalar {
  const input = training && ae.corrupt ? ae.corrupt(x, seed) : x;
  const f = ae.forward(input, { training, seed });
  let loss = ae.lossFn(x, f.reconstruction);
  if (f.extraLoss) loss = tf.add(loss, f.extraLoss);
  const reg = ae.regularization();
  if (reg) loss = tf.add(loss, reg);
  return loss;
}

/** Validation loss (same objective as training, without noise/dropout/sampling) and plain MSE, in batches. */
export function evaluate(ae: Autoencoder, data: tf.Tensor2D | RowSource, batchSize = EVAL_BATCH): { loss: number; mse: number } {
  const x = asSource(data);
  const n = x.rows;
  let loss = 0;
  let mse = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [l, m] = tf.tidy(() => {
      const xb = x.slice(start, size);
      const f = ae.forward(xb, { training: false, seed: 0 });
      const rec = f.extraLoss ? tf.add(ae.lossFn(xb, f.reconstruction), f.extraLoss) : ae.lossFn(xb, f.reconstruction);
      // The MSE as an MSE-trained model's loss computes it, so the two agree to the bit.
      return tf.stack([rec, reconstructionLoss('mse', xb, f.reconstruction)]).dataSync();
    });
    loss += l * size;
    mse += m * size;
  }
  const reg = tf.tidy(() => ae.regularization()?.dataSync()[0] ?? 0);
  return { loss: loss / n + reg, mse: mse / n };
}

function reconstruct(ae: Autoencoder, sample: tf.Tensor2D): Float32Array {
  // Values read outside the tidy: it would walk a returned typed array element by element.
  const out = tf.tidy(() => ae.forward(sample, { training: false, seed: 0 }).reconstruction);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

/** Best-epoch weights for early stopping; copies, replaced on every improvement. */
class Snapshot {
  private copies: tf.Tensor[] | null = null;
  take(ae: Autoencoder): void {
    this.dispose();
    this.copies = ae.weights.map((w) => tf.clone(w.read()));
  }
  restore(ae: Autoencoder): void {
    if (!this.copies) return;
    ae.weights.forEach((w, i) => w.write(this.copies![i]));
  }
  dispose(): void {
    if (this.copies) tf.dispose(this.copies);
    this.copies = null;
  }
}

export async function fitAutoencoder(opts: FitOptions): Promise<FitOutcome> {
  const { ae, optimizer, batchSize, epochs, signal } = opts;
  const train = asSource(opts.train);
  const val = asSource(opts.val);
  const n = train.rows;
  const batches = Math.ceil(n / batchSize);
  const shuffleRng = createRng(opts.seed);
  // A separate stream for dropout/noise/sampling seeds, so turning noise on does not change the shuffles.
  const noiseRng = createRng(opts.seed ^ 0x5bd1e995);
  const order = Array.from({ length: n }, (_, i) => i);
  const es = opts.earlyStopping && opts.earlyStopping.patience > 0 ? opts.earlyStopping : null;
  const snapshot = new Snapshot();
  const done: FitEpochMetrics[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let wait = 0;
  const rec = opts.reconstructions;

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      shuffleRng.shuffle(order);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) return { state: 'CANCELLED', epochs: done };
        const idx = order.slice(b * batchSize, Math.min(n, (b + 1) * batchSize));
        const stepSeed = noiseRng.uint32();
        const loss = tf.tidy(() => {
          const xb = train.take(idx);
          return optimizer.minimize(() => batchLoss(ae, xb, true, stepSeed), true, ae.trainableVariables) as tf.Scalar;
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
      const v = evaluate(ae, val);
      const metrics: FitEpochMetrics = {
        epoch,
        trainLoss: lossSum / n,
        valLoss: v.loss,
        valMse: v.mse,
        seconds: (performance.now() - epochStart) / 1000,
        samplesPerSec: n / trainSeconds,
      };
      done.push(metrics);
      if (!Number.isFinite(v.loss)) {
        await opts.onEpoch?.(metrics);
        return { state: 'FAILED', reason: `non-finite validation loss at epoch ${epoch}: lower the learning rate`, epochs: done };
      }
      let stop = false;
      if (es) {
        if (v.loss < best - es.minDelta) {
          best = v.loss;
          bestEpoch = epoch;
          wait = 0;
          if (es.restoreBestWeights) snapshot.take(ae);
        } else if (++wait >= es.patience) {
          stop = true;
        }
      }
      const last = stop || epoch === epochs;
      if (rec && !last && epoch % rec.every === 0) rec.onReconstruct(epoch, reconstruct(ae, rec.sample));
      if ((await opts.onEpoch?.(metrics)) === 'prune') return { state: 'PRUNED', epochs: done };
      if (last) break;
    }
    const lastEpoch = done.length;
    const restored = es?.restoreBestWeights === true && bestEpoch > 0 && bestEpoch !== lastEpoch;
    if (restored) snapshot.restore(ae);
    if (rec && lastEpoch > 0) rec.onReconstruct(lastEpoch, reconstruct(ae, rec.sample));
    return { state: 'COMPLETE', epochs: done, stoppedEarly: lastEpoch < epochs, bestEpoch: restored ? bestEpoch : lastEpoch };
  } finally {
    snapshot.dispose();
  }
}
