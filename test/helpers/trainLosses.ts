// Training losses of a fresh autoencoder for a few steps on the current backend, for tests that compare a fused
// path with tfjs's own: batches of 16 rows cycling over the first 48 images, and a check that the tensor count
// holds after the first step (when the optimizer's slots appear).
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { AutoencoderParams } from '../../src/shared/dto';
import { buildAutoencoder } from '../../src/core/model';
import { batchLoss } from '../../src/core/training/fit';
import { createOptimizer } from '../../src/core/training/optimizer';

type Autoencoder = ReturnType<typeof buildAutoencoder>;

/** `images` ([>= 48, imageSize^2], one channel) is disposed here; `onTrained` sees the model before it is. */
export function trainLosses(p: AutoencoderParams, images: tf.Tensor2D, steps: number, onTrained?: (ae: Autoencoder) => void): number[] {
  const ae = buildAutoencoder(p, { width: p.imageSize, height: p.imageSize, channels: 1 }, p.seed);
  const optimizer = createOptimizer(p);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = tf.tidy(() => {
      const xb = images.slice([(s % 3) * 16, 0], [16, images.shape[1]]);
      return optimizer.minimize(() => batchLoss(ae, xb, true, s), true, ae.trainableVariables) as tf.Scalar;
    });
    losses.push(loss.dataSync()[0]);
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  expect(new Set(counts.slice(1)).size).toBe(1);
  onTrained?.(ae);
  images.dispose();
  optimizer.dispose();
  ae.dispose();
  return losses;
}
