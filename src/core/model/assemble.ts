// Turns built encoder/decoder models into an Autoencoder: the forward pass with the per-architecture parts
// (denoising corruption, sparse L1 on the code, VAE sampling and KL, dropout on the code), the loss hooks and
// disposal.
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderParams } from '../../shared/dto';
import { l2Penalty, reconstructionLoss, type BlockRegistry } from './blocks';
import { seededDropout, seededNormal, seededUniform } from '../training/wasmKernels/random';
import type { Autoencoder, ForwardOptions, ForwardResult, InputShape } from './types';
import { BCE_NEEDS_SIGMOID } from '../../shared/study/autoencoder';

export interface Parts {
  /** Exported: outputs the code (the VAE's mean). */
  encoder: tf.LayersModel;
  /** What training runs: the encoder itself, or for the VAE one that also outputs the log-variance. */
  trainEncoder: tf.LayersModel;
  decoder: tf.LayersModel;
  reg: BlockRegistry;
  input: InputShape;
  inputDim: number;
}

/** Denoising corruption, seeded per batch: additive gaussian noise (sd = level) or masking (zero w.p. level). */
export function corruptInputs(x: tf.Tensor2D, kind: AutoencoderParams['noiseType'], level: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (level <= 0) return x.clone();
    if (kind === 'gaussian') return tf.add(x, seededNormal(x.shape, 0, level, seed)) as tf.Tensor2D;
    const keep = tf.greaterEqual(seededUniform(x.shape, seed), level);
    return tf.mul(x, tf.cast(keep, 'float32')) as tf.Tensor2D;
  });
}

/**
 * KL(q(z|x) || N(0, I)) per example, averaged over the batch, divided by the input size so that it sits on the
 * same per-element scale as the (mean) reconstruction loss: total = (sum-reconstruction + beta * KL) / D.
 */
export function klDivergence(mean: tf.Tensor2D, logVar: tf.Tensor2D, inputDim: number): tf.Scalar {
  return tf.tidy(() => {
    const perExample = tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), 1);
    return tf.div(tf.mul(tf.mean(perExample), -0.5), inputDim) as tf.Scalar;
  });
}

export function assemble(p: AutoencoderParams, parts: Parts): Autoencoder {
  const { encoder, trainEncoder, decoder, reg, input, inputDim } = parts;
  if (p.loss === 'bce' && p.outputActivation !== 'sigmoid') {
    trainEncoder.dispose();
    decoder.dispose();
    throw new Error(`The model cannot be built: ${BCE_NEEDS_SIGMOID}`);
  }
  const variational = p.architecture === 'variational';
  const trainableVariables = [...trainEncoder.trainableWeights, ...decoder.trainableWeights].map((w) => w.read() as tf.Variable);

  const forward = (x: tf.Tensor2D, opts: ForwardOptions): ForwardResult => {
    reg.seedDropouts(opts.seed);
    const out = trainEncoder.apply(x, { training: opts.training }) as tf.Tensor2D | tf.Tensor2D[];
    let code: tf.Tensor2D;
    let z: tf.Tensor2D;
    let extraLoss: tf.Scalar | null = null;
    if (variational) {
      const [mean, logVar] = out as tf.Tensor2D[];
      code = mean;
      // Reparameterisation: z = mean + sigma * eps, so gradients flow through mean and logVar.
      z = opts.training ? tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), seededNormal(mean.shape, 0, 1, opts.seed))) : mean;
      if (p.klBeta > 0) extraLoss = tf.mul(klDivergence(mean, logVar, inputDim), p.klBeta) as tf.Scalar;
    } else {
      code = out as tf.Tensor2D;
      z = code;
      // Keras activity-regulariser convention: l1 * sum |code| per example, averaged over the batch.
      if (p.architecture === 'sparse' && p.l1 > 0) extraLoss = tf.mul(tf.mean(tf.sum(tf.abs(code), 1)), p.l1) as tf.Scalar;
    }
    // Code dropout (training only, seeded per batch): features must be useful on their own, not as a set.
    if (opts.training && p.codeDropout > 0) z = seededDropout(z, p.codeDropout, opts.seed ^ 0x5bd1e995) as tf.Tensor2D;
    const reconstruction = decoder.apply(z, { training: opts.training }) as tf.Tensor2D;
    return { reconstruction, code, extraLoss };
  };

  return {
    architecture: p.architecture,
    encoder,
    decoder,
    input,
    inputDim,
    latentSize: p.latentSize,
    trainableVariables,
    weights: [...trainEncoder.weights, ...decoder.weights],
    corrupt:
      p.architecture === 'denoising'
        ? (x, seed) => corruptInputs(x, p.noiseType, p.noiseLevel, seed)
        : p.architecture === 'conv' && p.convNoise > 0
          ? (x, seed) => corruptInputs(x, 'gaussian', p.convNoise, seed) // a denoising conv autoencoder
          : undefined,
    forward,
    lossFn: (target, reconstruction) => reconstructionLoss(p.loss, target, reconstruction),
    regularization: () => l2Penalty(reg.kernels(), p.weightDecay),
    dispose() {
      // The exported encoder shares every layer with trainEncoder; disposing both would dispose them twice.
      trainEncoder.dispose();
      decoder.dispose();
    },
  };
}
