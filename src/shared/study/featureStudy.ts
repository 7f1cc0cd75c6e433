// A study that looks for features better than PCA: the feature-learner space (conv + batch norm, widths and
// depths, denoising, code dropout, long training), judged on the logistic probe's validation accuracy (C by
// cross-validation), with Hyperband so weak trials stop after a few epochs and strong ones train long. A test
// split is kept so the chosen trial gets its verdict against raw pixels and PCA at its own code size.
import { featureLearnerSpace } from './templates';
import type { StudySpecInput } from './spec';

export interface FeatureStudyOptions {
  name: string;
  datasetPath: string;
  /** Wall-clock budget of one run, in seconds. */
  seconds: number;
  /** Optional cap on trials as well. */
  trials?: number;
  /** Share of the images held out for the verdict on test (default 0.125). */
  testFraction?: number;
  imageSize?: number;
  channels?: 1 | 3;
  seed?: number;
  parallel?: number | 'auto';
  latentSizes?: number[];
  /** Most epochs a trial may train (Hyperband's maximum resource; default 27 = 3 x 3 x 3). */
  epochs?: number;
}

export function featureStudySpec(o: FeatureStudyOptions): StudySpecInput {
  return {
    name: o.name,
    dataset: { path: o.datasetPath, imageSize: o.imageSize ?? 28, channels: o.channels ?? 1, valFraction: 0.15, testFraction: o.testFraction ?? 0.125 },
    searchSpace: featureLearnerSpace({ latentSizes: o.latentSizes, epochs: o.epochs }),
    objectives: [{ name: 'val_accuracy' }],
    probe: { kind: 'logistic' },
    sampler: { type: 'tpe' },
    // Rungs at 3, 9 and 27 epochs, compared on validation accuracy from a quick probe (signal 'downstream').
    // Pruning on reconstruction MSE cut the denoising and code-dropout trials, whose MSE is higher by design,
    // and every 64-d trial of the first quiet run (issue 15's notes).
    pruner: { type: 'hyperband', minResource: 3, reductionFactor: 3, signal: 'downstream' },
    budget: { seconds: o.seconds, ...(o.trials !== undefined ? { trials: o.trials } : {}) },
    seed: o.seed ?? 0,
    parallel: o.parallel ?? 'auto',
  };
}
