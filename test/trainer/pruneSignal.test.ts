// The downstream prune signal end to end, in-process with real training: the spec's pruner.signal reaches the
// trainer, which measures the primary objective (a quick probe on the current codes) only at the epochs where
// the pruner decides on that trial, and stores it as the trial's intermediate values; the reconstruction
// signal keeps the validation MSE of every epoch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { createMemoryStorage } from '../../src/core/storage';
import { Study } from '../../src/core/study/study';
import { runWorkerLoop } from '../../src/core/study/workerLoop';
import { autoencoderTrialRunner } from '../../src/core/trainer/autoencoderTrialRunner';
import { trialEpochs } from '../../src/core/study/trialDto';
import type { StudySpecInput } from '../../src/shared/study/spec';
import type { PruneSignal } from '../../src/shared/study/prunerConfig';
import { makeImageFolder } from '../helpers/images';
import { tinySearchSpace } from '../helpers/tinyStudy';

let tmp: string;
let images: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-prune-signal-'));
  images = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 12);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const EPOCHS = 4;
const spec = (signal: PruneSignal): StudySpecInput => ({
  name: `prune-${signal}`,
  dataset: { path: images, imageSize: 8, valFraction: 0.25 },
  searchSpace: tinySearchSpace(EPOCHS, [{ name: 'earlyStoppingPatience', type: 'fixed', value: 0 }]),
  objectives: [{ name: 'val_accuracy' }],
  sampler: { type: 'random' },
  // Brackets of 1-2-4, 2-4 and 4 epochs: trials 0, 1 and 2 are each in another one.
  pruner: { type: 'hyperband', minResource: 1, reductionFactor: 2, signal },
  budget: { trials: 3 },
  seed: 3,
  parallel: 1,
});

async function run(signal: PruneSignal) {
  const storage = createMemoryStorage();
  const study = await Study.create(storage, spec(signal));
  const locations = resolveLocations({ dataDir: path.join(tmp, `home-${signal}`) });
  const tensors = tf.memory().numTensors;
  await runWorkerLoop({ study, runTrial: autoencoderTrialRunner(study, locations) });
  const trials = await study.frozenTrials();
  const stored = await storage.listTrials({ studyId: study.id });
  const metrics = await Promise.all(stored.map((t) => storage.getMetrics(t.id)));
  const epochs = await Promise.all(stored.map((t) => trialEpochs(storage, t.id)));
  return { study, trials, metrics, epochs, leaked: tf.memory().numTensors - tensors };
}

describe('the prune signal', () => {
  it('downstream: validation accuracy from a quick probe, only at the epochs the pruner decides on each trial', async () => {
    const { study, trials, epochs, leaked } = await run('downstream');
    expect(study.pruneDirection).toBe('maximize');
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    const decided = (n: number): number[] => [1, 2, 3, 4].filter((s) => study.pruner.decidesAt(s, n));
    expect([0, 1, 2].map(decided)).toEqual([[1, 2, 4], [2, 4], [4]]);
    for (const t of trials) {
      expect(t.intermediate.map((e) => e.step)).toEqual(decided(t.number));
      // Accuracies over the validation images (6 of 24): multiples of 1/6 in [0, 1].
      for (const e of t.intermediate) {
        expect(e.value).toBeGreaterThanOrEqual(0);
        expect(e.value).toBeLessThanOrEqual(1);
        expect(Math.abs(e.value * 6 - Math.round(e.value * 6))).toBeLessThan(1e-9);
      }
      // The study pages read the same values with the epochs' curves, absent where the pruner did not decide.
      expect(epochs[t.number].filter((e) => e.intermediate !== undefined).map((e) => [e.epoch, e.intermediate])).toEqual(t.intermediate.map((e) => [e.step, e.value]));
    }
    expect(leaked).toBe(0);
  }, 120_000);

  it('reconstruction: the validation MSE of every epoch, as before', async () => {
    const { study, trials, metrics, epochs } = await run('reconstruction');
    expect(study.pruneDirection).toBe('minimize');
    trials.forEach((t, i) => {
      expect(t.intermediate.map((e) => e.step)).toEqual(Array.from({ length: t.intermediate.length }, (_, j) => j + 1));
      expect(t.intermediate.length).toBeGreaterThan(0);
      expect(t.intermediate.map((e) => e.value)).toEqual(metrics[i].slice(0, t.intermediate.length).map((m) => m.values.valMse));
      // valMse is what it compared: not stored twice.
      expect(epochs[i].every((e) => e.intermediate === undefined && e.valMse !== undefined)).toBe(true);
    });
  }, 120_000);
});
