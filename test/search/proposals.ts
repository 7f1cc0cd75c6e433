// Prints the proposals of short seeded studies for every sampler as JSON. Run in a second Node process by
// reproducibility.test.ts (node --import tsx test/search/proposals.ts) to show proposals do not depend on
// the process that computes them.
import { pathToFileURL } from 'node:url';
import { createSampler } from '../../src/core/search/samplers';
import type { SamplerConfigInput } from '../../src/shared/study/samplerConfig';
import { gridSpace, richSpace, runStudy, type Params } from './fixtures';

export const REPRO_CONFIGS: Record<string, SamplerConfigInput> = {
  random: { type: 'random' },
  tpe: { type: 'tpe', startupTrials: 4 },
  gp: { type: 'gp', startupTrials: 4 },
  grid: { type: 'grid' },
};

export function proposalsBySampler(seed: number, nTrials: number): Record<string, Params[]> {
  const out: Record<string, Params[]> = {};
  for (const [name, config] of Object.entries(REPRO_CONFIGS)) {
    out[name] = runStudy(createSampler(config), name === 'grid' ? gridSpace : richSpace, nTrials, seed).proposals;
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [seed, n] = process.argv.slice(2).map(Number);
  process.stdout.write(JSON.stringify(proposalsBySampler(seed, n)));
}
