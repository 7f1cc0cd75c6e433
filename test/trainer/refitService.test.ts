// study.refit through the services with a real trainer process: the chosen configuration trains again on
// training + validation images as a trial of the Refits study; the search's trials and best stay as they were,
// and studies.get lists the refit with its verdict on the study's test images.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { StudySpec } from '../../src/shared/study/spec';
import { spawnNodeTrainer } from '../../src/core/trainer/nodeSpawn';
import { createAppServices } from '../../src/server/services/appServices';
import type { AnyEvent, AppServices } from '../../src/server/services/types';
import { isAppError } from '../../src/shared/errors';
import { eventWaiter } from '../helpers/events';
import { makeImageFolder } from '../helpers/images';
import { tinySearchSpace } from '../helpers/tinyStudy';

let tmp: string;
let services: AppServices;
let folder: string;
const events: AnyEvent[] = [];
const SLOW_MACHINE_MS = 240_000;
const waitFor = eventWaiter(() => services, events);

const spec = (): StudySpec =>
  StudySpec.parse({
    name: 'refitted',
    dataset: { path: folder, imageSize: 8, testFraction: 0.25 },
    searchSpace: tinySearchSpace(2),
    objectives: [{ name: 'val_accuracy' }],
    sampler: { type: 'random' },
    pruner: { type: 'nop' },
    budget: { trials: 2 },
    seed: 3,
    parallel: 1,
  });

const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return isAppError(err) ? err.code : String(err);
  }
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-refit-'));
  folder = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 12);
  services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.join(tmp, 'home') }), spawnTrainer: spawnNodeTrainer });
  services.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await services.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('study.refit', () => {
  it('trains the chosen configuration on training + validation images apart from the search, with its verdict', async () => {
    const h = services.handlers;
    await h['study.start']({ spec: spec() });
    // A running study's chosen trial may still change: no refit until it stops.
    expect(await code(h['study.refit']({ name: 'refitted' }))).toBe('STUDY_RUNNING');
    await waitFor((e) => e.event === 'study.progress' && e.payload.studyName === 'refitted' && e.payload.state !== 'running');
    const before = await h['studies.get']({ name: 'refitted' });
    expect(before.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(before.refits).toEqual([]);
    const best = before.trials.find((t) => t.id === before.bestTrialId);
    expect(best).toBeDefined();

    // Mistakes store nothing.
    expect(await code(h['study.refit']({ name: 'refitted', trialNumber: 7 }))).toBe('REFIT_TRIAL_NOT_FOUND');
    expect(await code(h['study.refit']({ name: 'nope' }))).toBe('STUDY_NOT_FOUND');
    const trialsBefore = (await h['trials.list']({})).length;

    const { trialId } = await h['study.refit']({ name: 'refitted', epochs: 3 });
    expect((await h['trials.list']({})).length).toBe(trialsBefore + 1);
    const done = await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === trialId && ['COMPLETE', 'FAILED', 'CANCELLED'].includes(e.payload.state));
    expect(done.event === 'trial.state' && done.payload.reason).toBeNull();

    const after = await h['studies.get']({ name: 'refitted' });
    // The search is as it was: same trials, same best.
    expect(after.trials.map((t) => [t.id, t.state, t.values])).toEqual(before.trials.map((t) => [t.id, t.state, t.values]));
    expect(after.bestTrialId).toBe(before.bestTrialId);
    expect(after.refits).toHaveLength(1);
    const refit = after.refits[0];
    expect(refit).toMatchObject({ trialId, of: best!.number, epochs: 3, state: 'COMPLETE', failReason: null });
    expect(refit.verdict?.trialId).toBe(trialId);
    // Judged on the same test images as the chosen trial.
    expect(refit.verdict?.testImages).toBe(after.verdict?.testImages);
    expect(refit.verdict?.comparisons.map((c) => c.baseline)).toEqual(['raw', 'pca']);
    const detail = await h['trials.get']({ trialId });
    expect(detail.studyName).toBe('Refits');
    expect(detail.epochs).toHaveLength(3);
  }, SLOW_MACHINE_MS);
});
