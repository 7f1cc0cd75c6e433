// A trial whose stored configuration this version cannot read (a newer Latent Lab's option or range in a shared
// study, a hand edit) lists with params null and the reason, through the services the app and the bridge use:
// the trial list, a trial's detail and a study's detail. Before, the list put DEFAULT_PARAMS in its place, so the
// app showed (and "Train again" used) a dense configuration the trial never had. Listing only reads: the stored
// rows and attributes are the same afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { openStorage } from '../../src/core/storage/sqlite';
import type { JsonValue, Storage } from '../../src/core/storage/types';
import { buildStudyReport } from '../../src/core/export/report/studyReport';
import { Study } from '../../src/core/study/study';
import type { SpawnTrainer } from '../../src/core/trainer/protocol';
import { createAppServices } from '../../src/server/services/appServices';
import type { AppServices } from '../../src/server/services/types';
import { DEFAULT_PARAMS, MANUAL_STUDY, REFIT_STUDY } from '../../src/shared/dto';

const idleTrainer: SpawnTrainer = () => ({ send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });

let tmp: string;
let dbPath: string;
let services: AppServices;
const ids = { newerArch: 0, studyTrial: 0, readable: 0, handEdited: 0, newerParam: 0, queued: 0 };
const asJson = (v: unknown): Record<string, JsonValue> => v as Record<string, JsonValue>;

/** Every stored row and attribute of the trials: what listing must leave as it was. */
async function storedState(storage: Storage): Promise<unknown> {
  const trials = await storage.listTrials();
  return Promise.all(trials.map(async (t) => ({ t, attrs: await storage.getTrialAttrs(t.id), metrics: await storage.getMetrics(t.id) })));
}

let before: unknown;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-unreadable-'));
  const locations = resolveLocations({ dataDir: path.join(tmp, 'home') });
  dbPath = locations.dbPath;
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  // Written as another version would: through the storage API, into the database the app then opens.
  const storage = openStorage(dbPath, { create: true });
  const manual = await storage.getOrCreateStudy(MANUAL_STUDY, 'manual');
  const finish = async (id: number, valLoss: number): Promise<void> => {
    await storage.reportStep(id, 1, { trainLoss: valLoss + 0.01, valLoss });
    await storage.setTrialValues(id, [valLoss]);
    await storage.setTrialState(id, 'COMPLETE');
  };
  // A manual trial of a newer version: an architecture this one does not know.
  const newer = await storage.createTrial(manual.id, { state: 'RUNNING', params: asJson({ ...DEFAULT_PARAMS, architecture: 'transformer', latentSize: 12 }), seed: 1, datasetPath: tmp });
  await finish(newer.id, 0.03);
  // A study trial whose resolved configuration (the 'params' attribute) has a latent size past this version's range.
  const study = await Study.create(storage, {
    name: 'shared-digits',
    dataset: { path: tmp, imageSize: 8 },
    searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 4 }] },
    sampler: { type: 'random' },
    budget: { trials: 2 },
  });
  const st = await storage.createTrial(study.id, { state: 'RUNNING', params: { latentSize: 3 }, seed: 1, datasetPath: tmp });
  await storage.setTrialAttr(st.id, 'params', asJson({ ...DEFAULT_PARAMS, imageSize: 8, latentSize: 4096 }));
  await finish(st.id, 0.02);
  // A study trial whose 'params' attribute was edited into something that is not a configuration at all: before, the
  // attribute check dropped it and the list read the searched params alone on defaults.
  const edited = await Study.create(storage, { ...study.spec, name: 'hand-edited' });
  const he = await storage.createTrial(edited.id, { state: 'RUNNING', params: { latentSize: 2 }, seed: 1, datasetPath: tmp });
  await storage.setTrialAttr(he.id, 'params', 'dense, latent 2');
  await finish(he.id, 0.04);
  // A study trial queued and not started: no resolved configuration stored yet, only its searched params.
  const queuedStudy = await Study.create(storage, { ...study.spec, name: 'queued' });
  const queued = await storage.createTrial(queuedStudy.id, { state: 'WAITING', params: { latentSize: 3, depth: 1, width: 16 }, seed: 1, datasetPath: tmp });
  // A newer version's setting this one does not have: reading it without would be a model the trial never had.
  const np = await storage.createTrial(manual.id, { state: 'RUNNING', params: asJson({ ...DEFAULT_PARAMS, latentSize: 6, augment: 'shift' }), seed: 1, datasetPath: tmp });
  await finish(np.id, 0.06);
  const ok = await storage.createTrial(manual.id, { state: 'RUNNING', params: asJson({ ...DEFAULT_PARAMS, latentSize: 5, epochs: 7 }), seed: 1, datasetPath: tmp });
  await finish(ok.id, 0.05);
  Object.assign(ids, { newerArch: newer.id, studyTrial: st.id, readable: ok.id, handEdited: he.id, newerParam: np.id, queued: queued.id });
  before = await storedState(storage);
  await storage.close();
  services = await createAppServices({ mode: 'browser', locations, spawnTrainer: idleTrainer });
});
afterAll(async () => {
  await services?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a trial whose stored configuration this version cannot read', () => {
  it('lists with params null and the parameter and what is wrong, its metrics kept (trials.list)', async () => {
    const list = await services.handlers['trials.list']({});
    const byId = new Map(list.map((t) => [t.id, t]));
    const newer = byId.get(ids.newerArch);
    expect(newer).toMatchObject({ params: null, bestValLoss: 0.03, values: [0.03], epochsDone: 1, state: 'COMPLETE' });
    expect(newer?.paramsProblem).toMatch(/^architecture: "transformer" is not allowed; expected one of "dense", "conv"/);
    // Its own stored values are still there to see, as stored (not a default dense configuration).
    expect(newer?.searchParams).toMatchObject({ architecture: 'transformer', latentSize: 12 });
    const st = byId.get(ids.studyTrial);
    expect(st).toMatchObject({ params: null, bestValLoss: 0.02 });
    expect(st?.paramsProblem).toMatch(/^latentSize: 4096 is not allowed/);
    expect(st?.paramsProblem).toContain('1024');
  });

  it('reads the same in a trial\'s detail (trials.get) and a study\'s detail (studies.get)', async () => {
    const detail = await services.handlers['trials.get']({ trialId: ids.newerArch });
    expect(detail).toMatchObject({ params: null, epochs: [{ epoch: 1, valLoss: 0.03 }] });
    expect(detail.paramsProblem).toMatch(/^architecture: "transformer"/);
    const study = await services.handlers['studies.get']({ name: 'shared-digits' });
    expect(study.trials.map((t) => [t.id, t.params, t.paramsProblem?.split(' ')[0]])).toEqual([[ids.studyTrial, null, 'latentSize:']]);
  });

  it('says so for a stored configuration that is not one at all (a hand edit)', async () => {
    const t = await services.handlers['trials.get']({ trialId: ids.handEdited });
    expect(t).toMatchObject({ params: null, paramsProblem: 'the stored configuration is not a set of named parameters', searchParams: { latentSize: 2 } });
  });

  it('says so for a parameter this version does not have, rather than reading the trial without it', async () => {
    const t = await services.handlers['trials.get']({ trialId: ids.newerParam });
    expect(t).toMatchObject({ params: null, paramsProblem: 'augment: a parameter this version of Latent Lab does not have', searchParams: { augment: 'shift', latentSize: 6 } });
  });

  it("reads a queued study trial as its trainer will: its searched params on the study's base, not on defaults", async () => {
    // Before: DEFAULT_PARAMS' 28x28 images and hidden widths, with the searched latent size on top.
    const t = await services.handlers['trials.get']({ trialId: ids.queued });
    expect(t).toMatchObject({ state: 'WAITING', paramsProblem: null, params: { imageSize: 8, channels: 1, latentSize: 3, hiddenUnits: [16] } });
  });

  it('is not refitted: study.refit refuses it with the reason and stores no refit trial', async () => {
    await expect(services.handlers['study.refit']({ name: 'shared-digits', trialNumber: 0 })).rejects.toMatchObject({
      code: 'REFIT_CONFIG_UNREADABLE',
      message: expect.stringMatching(/^Trial #0 of "shared-digits" was written by another version of Latent Lab and its configuration cannot be read here \(latentSize: 4096 is not allowed/),
    });
    const storage = openStorage(dbPath, { readonly: true });
    try {
      expect(await storage.getStudy(REFIT_STUDY)).toBeNull();
    } finally {
      await storage.close();
    }
  });

  it('leaves a readable trial as it was: its configuration, no problem', async () => {
    const ok = (await services.handlers['trials.list']({})).find((t) => t.id === ids.readable);
    expect(ok?.paramsProblem).toBeNull();
    expect(ok?.params).toEqual({ ...DEFAULT_PARAMS, latentSize: 5, epochs: 7 });
  });

  it("the study report says why for its chosen trial, leaves it out of the latent-size trade-off and names the problem in trials.csv", async () => {
    const storage = openStorage(dbPath, { readonly: true });
    try {
      const report = await buildStudyReport(storage, 'shared-digits', path.join(tmp, 'home', 'artifacts'));
      expect(report.chosenTrialNumber).toBe(0);
      expect(report.html).toContain("This trial's configuration was written by another version of Latent Lab and cannot be read here: latentSize: 4096 is not allowed");
      expect(report.html).not.toContain('<table class="params">');
      expect(report.html).toMatch(/<h2>Latent-size trade-off<\/h2><p>No COMPLETE trial whose configuration this version can read yet\.<\/p><p class="note">1 COMPLETE trial is left out: written by another version of Latent Lab, its configuration cannot be read here/);
      const [head, row] = report.trialsCsv.trim().split('\n');
      expect(head.split(',').at(-1)).toBe('config_problem');
      expect(row).toMatch(/,"?latentSize: 4096 is not allowed/);
    } finally {
      await storage.close();
    }
  });

  it('rewrites nothing: the stored trials, attributes and metrics are the same after listing', async () => {
    await services.handlers['trials.list']({});
    await services.handlers['trials.get']({ trialId: ids.studyTrial });
    const storage = openStorage(dbPath, { readonly: true });
    try {
      expect(await storedState(storage)).toEqual(before);
    } finally {
      await storage.close();
    }
  });
});
