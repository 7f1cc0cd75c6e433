// Dense-family networks (dense, denoising, sparse, variational): input -> hidden widths -> code, and the mirror
// back. The VAE adds a log-variance head beside the code (the mean); only the mean is in the exported encoder.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../shared/dto';
import { assemble, type Parts } from './assemble';
import { BlockRegistry, LayerSeeds, hiddenBlock, type SymbolicTensor } from './blocks';
import type { Autoencoder, InputShape } from './types';

export type { Autoencoder } from './types';

export function buildDenseParts(p: AutoencoderParams, input: InputShape, seed: number): Parts {
  const seeds = new LayerSeeds(seed);
  const reg = new BlockRegistry();
  const inputDim = input.width * input.height * input.channels;
  const dense = (units: number, name: string) => (activation: string, useBias: boolean) =>
    tf.layers.dense({ units, activation: activation as 'linear', useBias, kernelInitializer: seeds.glorot(), name });

  const x = tf.input({ shape: [inputDim], name: 'encoder_input' });
  let h: SymbolicTensor = x;
  p.hiddenUnits.forEach((units, i) => {
    h = hiddenBlock(h, dense(units, `encoder_dense_${i}`), p, reg, `encoder_dense_${i}`);
  });
  const codeLayer = dense(p.latentSize, 'code')('linear', true);
  reg.kernelLayers.push(codeLayer);
  const code = codeLayer.apply(h) as SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: code, name: 'encoder' });
  let trainEncoder = encoder;
  if (p.architecture === 'variational') {
    const logVarLayer = dense(p.latentSize, 'log_var')('linear', true);
    reg.kernelLayers.push(logVarLayer);
    const logVar = logVarLayer.apply(h) as SymbolicTensor;
    trainEncoder = tf.model({ inputs: x, outputs: [code, logVar], name: 'encoder_train' });
  }

  const z = tf.input({ shape: [p.latentSize], name: 'decoder_input' });
  let d: SymbolicTensor = z;
  [...p.hiddenUnits].reverse().forEach((units, i) => {
    d = hiddenBlock(d, dense(units, `decoder_dense_${i}`), p, reg, `decoder_dense_${i}`);
  });
  const outLayer = dense(inputDim, 'reconstruction')(p.outputActivation, true);
  reg.kernelLayers.push(outLayer);
  const decoder = tf.model({ inputs: z, outputs: outLayer.apply(d) as SymbolicTensor, name: 'decoder' });
  return { encoder, trainEncoder, decoder, reg, input, inputDim };
}

type DenseOnly = Pick<AutoencoderParams, 'latentSize' | 'activation' | 'outputActivation'> & { hiddenUnits: readonly number[] } & Omit<Partial<AutoencoderParams>, 'hiddenUnits'>;

/** A plain dense autoencoder on flat vectors of inputDim (the defaults fill every other hyperparameter). */
export function buildDenseAutoencoder(params: DenseOnly, inputDim: number, seed: number): Autoencoder {
  const p: AutoencoderParams = { ...DEFAULT_PARAMS, architecture: 'dense', ...params, hiddenUnits: [...params.hiddenUnits] };
  return assemble(p, buildDenseParts(p, { width: inputDim, height: 1, channels: 1 }, seed));
}

export function countParams(ae: Autoencoder): number {
  return ae.encoder.countParams() + ae.decoder.countParams();
}
