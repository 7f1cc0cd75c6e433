// The one entry point for samplers: a validated config in, a Sampler out.
import type { Sampler } from '../types';
import { humanErrorMap, issueLines } from '../../../shared/issueLines';
import { SamplerConfig, type SamplerConfigInput } from '../../../shared/study/samplerConfig';
import { createGpSampler } from './gp';
import { createGridSampler } from './grid';
import { createRandomSampler } from './random';
import { createTpeSampler } from './tpe';

/** Builds the sampler a config describes; throws an Error listing what is wrong with an invalid config. */
export function createSampler(config: SamplerConfigInput): Sampler {
  const parsed = SamplerConfig.safeParse(config, { error: humanErrorMap });
  if (!parsed.success) {
    throw new Error(`Invalid sampler config: ${issueLines(parsed.error.issues, { root: 'sampler' }).join('; ')}`);
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
