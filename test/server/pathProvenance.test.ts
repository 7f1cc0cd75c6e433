// Paths from the page: resolved against an explicit base (absolute or ~), never the server's working
// folder; in the desktop app a folder must be the user's choice (picked in the dialog, or typed and then
// confirmed in the main process's own dialog).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import type { SpawnTrainer } from '../../src/core/trainer/protocol';
import { createPathPolicy, type PathPurpose } from '../../src/server/pathPolicy';
import { createAppServices } from '../../src/server/services/appServices';
import type { AnyEvent, AppServices } from '../../src/server/services/types';
import { makeImageFolder } from '../helpers/images';
import { StudySpec } from '../../src/shared/study/spec';

/** A trainer that never answers: these tests are refused before any training starts. */
const idleTrainer: SpawnTrainer = () => ({ send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });

let tmp: string;
let picked: string;
let typed: string;
const relName = `rel-imgs-${process.pid}`;
const relDir = path.join(process.cwd(), '.tmp', relName);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-paths-'));
  picked = await makeImageFolder(path.join(tmp, 'picked'), ['a', 'b'], 3);
  typed = await makeImageFolder(path.join(tmp, 'typed'), ['a', 'b'], 3);
  // A folder that exists relative to the working folder: a relative path must still not reach it.
  await makeImageFolder(relDir, ['a', 'b'], 3);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(relDir, { recursive: true, force: true });
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ code });
}

describe('path policy', () => {
  it('accepts absolute paths and ~, refuses relative ones with an example', () => {
    const policy = createPathPolicy({ home: '/home/ana', pathApi: path.posix });
    expect(policy.resolve('/data/imgs/')).toBe('/data/imgs');
    expect(policy.resolve('/data/../data/imgs')).toBe('/data/imgs');
    expect(policy.resolve('~')).toBe('/home/ana');
    expect(policy.resolve('~/leaves')).toBe('/home/ana/leaves');
    for (const bad of ['imgs', './imgs', '../imgs', '~other/imgs']) {
      expect(() => policy.resolve(bad), bad).toThrow(expect.objectContaining({ code: 'PATH_NOT_ABSOLUTE', params: { path: bad, example: '/home/ana/images' } }));
    }
  });

  it('knows Windows paths', () => {
    const policy = createPathPolicy({ home: 'C:\\Users\\ana', pathApi: path.win32 });
    expect(policy.resolve('D:\\data\\imgs')).toBe('D:\\data\\imgs');
    expect(policy.resolve('~\\leaves')).toBe('C:\\Users\\ana\\leaves');
    expect(() => policy.resolve('D:imgs')).toThrow(expect.objectContaining({ code: 'PATH_NOT_ABSOLUTE' }));
  });

  it('desktop: a picked folder (and what is inside it) passes; a typed one needs a confirmation, remembered once given', async () => {
    const asked: Array<[string, PathPurpose]> = [];
    let answer = false;
    const policy = createPathPolicy({ home: '/home/ana', pathApi: path.posix, trusted: ['/home/ana/.local/share/latent-lab'], confirm: async (f, p) => (asked.push([f, p]), answer) });
    policy.markChosen('/data/picked');
    await expect(policy.fromPage('/data/picked', 'dataset')).resolves.toBe('/data/picked');
    await expect(policy.fromPage('/data/picked/cats', 'dataset')).resolves.toBe('/data/picked/cats');
    await expect(policy.fromPage('/home/ana/.local/share/latent-lab/samples/mnist', 'dataset')).resolves.toBeTruthy();
    expect(asked).toEqual([]);
    await expectCode(policy.fromPage('/data/pickedX', 'export'), 'PATH_NOT_CHOSEN');
    expect(asked).toEqual([['/data/pickedX', 'export']]);
    answer = true;
    await expect(policy.fromPage('/data/typed', 'dataset')).resolves.toBe('/data/typed');
    answer = false;
    await expect(policy.fromPage('/data/typed', 'dataset')).resolves.toBe('/data/typed');
    expect(asked.length).toBe(2);
  });
});

describe('services: paths from the page', () => {
  let services: AppServices;
  let confirmAnswer = false;
  const asked: string[] = [];
  const events: AnyEvent[] = [];

  beforeAll(async () => {
    services = await createAppServices({
      mode: 'electron',
      locations: resolveLocations({ dataDir: path.join(tmp, 'home') }),
      spawnTrainer: idleTrainer,
      pickFolder: async () => picked,
      confirmPath: async (folder) => (asked.push(folder), confirmAnswer),
    });
    services.subscribe((e) => events.push(e));
  });

  afterAll(() => services.dispose());

  const params = { latentSize: 2, hiddenUnits: [4], epochs: 1, batchSize: 4, learningRate: 0.01, imageSize: 8, channels: 1 as const, validationFraction: 0.2, seed: 1 };

  it('desktop: a typed folder the user does not confirm is not opened, trained on, exported into or studied', async () => {
    confirmAnswer = false;
    await expectCode(services.handlers['dataset.open']({ path: typed, imageSize: 8, channels: 1 }), 'PATH_NOT_CHOSEN');
    expect(events.filter((e) => e.event === 'dataset.progress')).toEqual([]);
    await expectCode(services.handlers['training.start']({ datasetPath: typed, params: params as never }), 'PATH_NOT_CHOSEN');
    const exportTo = path.join(tmp, 'typed-export');
    await expectCode(services.handlers['export.encoder']({ trialId: 1, folder: exportTo, force: false }), 'PATH_NOT_CHOSEN');
    expect(fs.existsSync(exportTo)).toBe(false);
    const spec = StudySpec.parse({ name: 'typed-study', dataset: { path: typed, imageSize: 8 }, searchSpace: { params: [{ name: 'latentSize', type: 'fixed', value: 2 }] }, sampler: { type: 'random' }, budget: { trials: 1 } });
    await expectCode(services.handlers['study.start']({ spec }), 'PATH_NOT_CHOSEN');
    expect(await services.handlers['studies.list']({})).toEqual([]);
    expect(asked).toEqual([typed, typed, exportTo, typed]);
  });

  it('desktop: the folder picked in the dialog opens without a question; a confirmed typed one too', async () => {
    asked.length = 0;
    expect(await services.handlers['dialog.pickFolder']({})).toEqual({ path: picked });
    const opened = await services.handlers['dataset.open']({ path: picked, imageSize: 8, channels: 1 });
    expect(opened.imageCount).toBe(6);
    expect(asked).toEqual([]);
    confirmAnswer = true;
    expect((await services.handlers['dataset.open']({ path: typed, imageSize: 8, channels: 1 })).imageCount).toBe(6);
    expect(asked).toEqual([typed]);
  });

  it('never resolves a relative path against the working folder, even where it exists there', async () => {
    expect(fs.existsSync(path.join(process.cwd(), '.tmp', relName))).toBe(true);
    const rel = path.join('.tmp', relName);
    await expectCode(services.handlers['dataset.open']({ path: rel, imageSize: 8, channels: 1 }), 'PATH_NOT_ABSOLUTE');
    await expectCode(services.handlers['training.start']({ datasetPath: rel, params: params as never }), 'PATH_NOT_ABSOLUTE');
    const relExport = `exported-${process.pid}`;
    await expectCode(services.handlers['export.encoder']({ trialId: 1, folder: relExport, force: false }), 'PATH_NOT_ABSOLUTE');
    expect(fs.existsSync(path.join(process.cwd(), relExport))).toBe(false);
  });
});
