// Convolutional autoencoder: strided Conv2D blocks down (one per entry of `filters`, stride 2, 'same'), Dense to
// the code, and the mirror back with Dense + Reshape + stride-2 Conv2DTranspose blocks. The data pipeline
// stays flat ([n, h*w*c], NHWC order): the model reshapes at its input and flattens at its output.
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderParams } from '../../shared/dto';
import type { Parts } from './assemble';
import { BlockRegistry, LayerSeeds, hiddenBlock, type SymbolicTensor } from './blocks';
import { conv2dTranspose } from './conv2dTranspose';
import type { InputShape } from './types';
import { downsampledSizes } from './shapes';

export { downsampledSizes } from './shapes';


export function buildConvParts(p: AutoencoderParams, input: InputShape, seed: number): Parts {
  const { width, height, channels } = input;
  const filters = p.filters;
  const seeds = new LayerSeeds(seed);
  const reg = new BlockRegistry();
  const inputDim = width * height * channels;
  const conv = (n: number, name: string, transpose: boolean) => (activation: string, useBias: boolean) => {
    const args = {
      filters: n,
      kernelSize: p.kernelSize,
      strides: 2,
      padding: 'same' as const,
      activation: activation as 'linear',
      useBias,
      kernelInitializer: seeds.glorot(),
      name,
    };
    return transpose ? conv2dTranspose(args) : tf.layers.conv2d(args);
  };
  const dense = (units: number, name: string) => (activation: string, useBias: boolean) =>
    tf.layers.dense({ units, activation: activation as 'linear', useBias, kernelInitializer: seeds.glorot(), name });

  const x = tf.input({ shape: [inputDim], name: 'encoder_input' });
  let h = tf.layers.reshape({ targetShape: [height, width, channels], name: 'to_image' }).apply(x) as SymbolicTensor;
  filters.forEach((f, i) => {
    h = hiddenBlock(h, conv(f, `encoder_conv_${i}`, false), p, reg, `encoder_conv_${i}`);
  });
  h = tf.layers.flatten({ name: 'encoder_flatten' }).apply(h) as SymbolicTensor;
  const codeLayer = dense(p.latentSize, 'code')('linear', true);
  reg.kernelLayers.push(codeLayer);
  const encoder = tf.model({ inputs: x, outputs: codeLayer.apply(h) as SymbolicTensor, name: 'encoder' });

  const sizes = downsampledSizes(height, width, filters.length);
  const [hL, wL] = sizes[filters.length];
  const last = filters[filters.length - 1];
  const z = tf.input({ shape: [p.latentSize], name: 'decoder_input' });
  let d = hiddenBlock(z, dense(hL * wL * last, 'decoder_dense'), p, reg, 'decoder_dense');
  d = tf.layers.reshape({ targetShape: [hL, wL, last], name: 'decoder_reshape' }).apply(d) as SymbolicTensor;
  for (let i = filters.length - 1; i >= 1; i--) {
    d = hiddenBlock(d, conv(filters[i - 1], `decoder_deconv_${i}`, true), p, reg, `decoder_deconv_${i}`);
  }
  const outLayer = conv(channels, 'reconstruction_image', true)(p.outputActivation, true);
  reg.kernelLayers.push(outLayer);
  d = outLayer.apply(d) as SymbolicTensor;
  // Doubling ceil-halved sizes can overshoot odd sizes by a pixel per level; crop the excess at the end.
  const [outH, outW] = [hL * 2 ** filters.length, wL * 2 ** filters.length];
  if (outH !== height || outW !== width) {
    d = tf.layers.cropping2D({ cropping: [[0, outH - height], [0, outW - width]], name: 'crop' }).apply(d) as SymbolicTensor;
  }
  const decoder = tf.model({ inputs: z, outputs: tf.layers.flatten({ name: 'reconstruction' }).apply(d) as SymbolicTensor, name: 'decoder' });
  return { encoder, trainEncoder: encoder, decoder, reg, input, inputDim };
}
