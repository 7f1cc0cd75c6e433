// Random search: every active param drawn from its prior, seeded by (seed, trial number) alone; a draw that
// repeats a trial of the study (possible in discrete spaces) is drawn again from the same stream.
import type { Sampler } from '../types';
import { randomProposal } from './randomProposal';

export function createRandomSampler(): Sampler {
  return { name: 'random', sample: randomProposal };
}
