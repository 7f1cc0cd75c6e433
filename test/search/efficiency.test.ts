// Sanity, not a benchmark (see bench/search.ts): model-based samplers must beat random search clearly on an
// easy problem. Seeded, so the outcome is fixed; the margins are wide so small algorithm changes still pass.
import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/core/search/samplers';
import type { SamplerConfigInput } from '../../src/shared/study/samplerConfig';
import { runStudy, space, type Params } from './fixtures';

const quadratic = space({
  params: [
    { name: 'x', type: 'float', low: -5, high: 5 },
    { name: 'y', type: 'float', low: -5, high: 5 },
  ],
});
const f = (p: Params): number => ((p.x as number) - 1) ** 2 + ((p.y as number) + 2) ** 2;

function medianBest(config: SamplerConfigInput): number {
  const best = [0, 1, 2, 3, 4].map((seed) => Math.min(...runStudy(createSampler(config), quadratic, 30, seed, f).trials.map((t) => t.values?.[0] ?? Infinity)));
  return best.sort((a, b) => a - b)[2];
}

describe('search efficiency on a 2-D quadratic, 30 trials, 5 seeds', () => {
  const random = medianBest({ type: 'random' });

  it('TPE beats random search', () => {
    expect(random).toBeGreaterThan(0.3);
    expect(medianBest({ type: 'tpe' })).toBeLessThan(random / 5);
  });

  it('GP beats random search and TPE', () => {
    const gp = medianBest({ type: 'gp' });
    expect(gp).toBeLessThan(random / 100);
    expect(gp).toBeLessThan(medianBest({ type: 'tpe' }));
  });
});
