// The one entry point for samplers: a validated config in, a Sampler out.
import type { Sampler } from '../types';
import { SamplerConfig, type SamplerConfigInput } from './config';
import { createGpSampler } from './gp';
import { createGridSampler } from './grid';
import { createRandomSampler } from './random';
import { createTpeSampler } from './tpe';

export { SamplerConfig, type SamplerConfigInput } from './config';

/** Builds the sampler a config describes; throws an Error listing what is wrong with an invalid config. */
export function createSampler(config: SamplerConfigInput): Sampler {
  const parsed = SamplerConfig.safeParse(config);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'sampler'}: ${i.message}`);
    throw new Error(`Invalid sampler config: ${msg.join('; ')}`);
  }
  const c = parsed.data;
  switch (c.type) {
    case 'grid':
      return createGridSampler();
    case 'random':
      return createRandomSampler();
    case 'tpe':
      return createTpeSampler(c);
    case 'gp':
      return createGpSampler(c);
  }
}
