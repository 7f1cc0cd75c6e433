// The shape every autoencoder builder returns. Encoder and decoder are separate LayersModels so the encoder
// exports alone (model.json + weights.bin, loadable by plain tfjs); the training-only parts (noise, dropout
// seeds, the VAE's log-variance head and sampling, extra loss terms) live in the functions around them.
import type * as tf from '@tensorflow/tfjs';
import type { AutoencoderParams } from '../../shared/dto';

export interface InputShape {
  width: number;
  height: number;
  channels: number;
}

export interface ForwardOptions {
  /** Enables dropout, batch-norm batch statistics and VAE sampling. */
  training: boolean;
  /** Seeds this pass's randomness (dropout masks, VAE noise); vary it per batch. */
  seed: number;
}

export interface ForwardResult {
  reconstruction: tf.Tensor2D;
  /** The code the exported encoder gives (the VAE's mean). */
  code: tf.Tensor2D;
  /** Architecture-specific penalty (KL for the VAE, L1 activity for sparse), or null. */
  extraLoss: tf.Scalar | null;
}

export interface Autoencoder {
  readonly architecture: AutoencoderParams['architecture'];
  /** Input [n, h*w*c] (flattened NHWC) -> code [n, latentSize]; for the VAE, the mean. This is exported. */
  readonly encoder: tf.LayersModel;
  /** Code -> reconstruction [n, h*w*c]. */
  readonly decoder: tf.LayersModel;
  readonly input: InputShape;
  readonly inputDim: number;
  readonly latentSize: number;
  /** What the optimizer updates. */
  readonly trainableVariables: tf.Variable[];
  /** Every weight, trainable or not (batch-norm statistics), for best-weight snapshots. */
  readonly weights: tf.LayerVariable[];
  /** Denoising only: corrupts a training batch (never validation data). */
  corrupt?(x: tf.Tensor2D, seed: number): tf.Tensor2D;
  forward(x: tf.Tensor2D, opts: ForwardOptions): ForwardResult;
  /** Reconstruction loss (mse or bce), a mean over elements. */
  lossFn(target: tf.Tensor2D, reconstruction: tf.Tensor2D): tf.Scalar;
  /** L2 weight decay on kernels, or null when weightDecay is 0. */
  regularization(): tf.Scalar | null;
  dispose(): void;
}
