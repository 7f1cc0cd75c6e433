// One entry point for every architecture. Only the convolutional one uses the image shape; the dense family
// (dense, denoising, sparse, variational) sees flat vectors.
import type { AutoencoderParams } from '../../shared/dto';
import { assemble } from './assemble';
import { buildConvParts } from './conv';
import { buildDenseParts } from './dense';
import type { Autoencoder, InputShape } from './types';

export type { Autoencoder, ForwardOptions, ForwardResult, InputShape } from './types';
export { countParams } from './dense';

export function buildAutoencoder(params: AutoencoderParams, input: InputShape, seed: number): Autoencoder {
  const parts = params.architecture === 'conv' ? buildConvParts(params, input, seed) : buildDenseParts(params, input, seed);
  return assemble(params, parts);
}
