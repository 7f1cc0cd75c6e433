// Dense autoencoder: encoder and decoder are separate models so the encoder exports alone.
import * as tf from '@tensorflow/tfjs';
import type { Activation, AutoencoderParams } from '../../shared/dto';

export interface Autoencoder {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  inputDim: number;
  latentSize: number;
  dispose(): void;
}

type DenseParams = Pick<AutoencoderParams, 'latentSize' | 'activation' | 'outputActivation'> & { hiddenUnits: readonly number[] };

/** Dense layer followed by its activation; LeakyReLU is a layer in tfjs, not an activation string. */
function denseBlock(units: number, activation: Activation, seed: number, name: string): tf.layers.Layer[] {
  const kernelInitializer = tf.initializers.glorotUniform({ seed });
  if (activation === 'leakyRelu') {
    return [
      tf.layers.dense({ units, activation: 'linear', kernelInitializer, name }),
      tf.layers.leakyReLU({ alpha: 0.2, name: `${name}_lrelu` }),
    ];
  }
  return [tf.layers.dense({ units, activation, kernelInitializer, name })];
}

/**
 * Builds encoder (inputDim -> hidden... -> latent, linear code) and its mirror decoder. Weight
 * initialisation is seeded per layer, so the same seed gives the same initial weights.
 */
export function buildDenseAutoencoder(params: DenseParams, inputDim: number, seed: number): Autoencoder {
  let layerSeed = seed;
  const nextSeed = (): number => (layerSeed = (layerSeed * 1103515245 + 12345) % 2147483647);

  const encoder = tf.sequential({ name: 'encoder' });
  encoder.add(tf.layers.inputLayer({ inputShape: [inputDim], name: 'encoder_input' }));
  params.hiddenUnits.forEach((units, i) => {
    for (const l of denseBlock(units, params.activation, nextSeed(), `encoder_dense_${i}`)) encoder.add(l);
  });
  encoder.add(
    tf.layers.dense({
      units: params.latentSize,
      activation: 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      name: 'code',
    }),
  );

  const decoder = tf.sequential({ name: 'decoder' });
  decoder.add(tf.layers.inputLayer({ inputShape: [params.latentSize], name: 'decoder_input' }));
  [...params.hiddenUnits].reverse().forEach((units, i) => {
    for (const l of denseBlock(units, params.activation, nextSeed(), `decoder_dense_${i}`)) decoder.add(l);
  });
  decoder.add(
    tf.layers.dense({
      units: inputDim,
      activation: params.outputActivation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      name: 'reconstruction',
    }),
  );

  return {
    encoder,
    decoder,
    inputDim,
    latentSize: params.latentSize,
    dispose() {
      encoder.dispose();
      decoder.dispose();
    },
  };
}

export function countParams(ae: Autoencoder): number {
  return ae.encoder.countParams() + ae.decoder.countParams();
}
