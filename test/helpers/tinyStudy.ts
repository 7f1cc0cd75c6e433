// The search space of the tests' tiny studies: a dense autoencoder with 8 hidden units on 8x8 images, a 2-4 code,
// batches of 4, a fixed number of epochs (seconds per trial, so studies finish in a test).
import type { StudySpecInput } from '../../src/shared/study/spec';

type Param = StudySpecInput['searchSpace']['params'][number];

export const tinySearchSpace = (epochs: number, extra: Param[] = []): StudySpecInput['searchSpace'] => ({
  params: [
    { name: 'latentSize', type: 'int', low: 2, high: 4 },
    { name: 'hiddenUnits', type: 'fixed', value: [8] },
    { name: 'batchSize', type: 'fixed', value: 4 },
    { name: 'epochs', type: 'fixed', value: epochs },
    ...extra,
  ],
});
