// Sizing a study by memory: 'auto' never starts more trainers than fit, an explicit count or a space that
// cannot fit is refused with the numbers, before anything is stored (checked through the CLI, exit 2).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { parseStudySpec, type StudySpec } from '../../src/shared/study/spec';
import { checkTrialFits, isMemoryError, mostDemanding, planTrainers } from '../../src/core/study/trainerMemory';
import { estimateTrialMemory } from '../../src/core/training/memoryEstimate';
import { openStorage } from '../../src/core/storage/sqlite';
import { makeImageFolder } from '../helpers/images';

const root = path.resolve(__dirname, '../..');
let tmp: string;
let images: string;

const spec = (over: Record<string, unknown> = {}): StudySpec => {
  const r = parseStudySpec({
    name: 'sized',
    dataset: { path: images ?? '/x', imageSize: 32, channels: 3 },
    searchSpace: {
      params: [
        { name: 'hiddenUnits', type: 'categorical', choices: [[64], [512, 128], [32]] },
        { name: 'batchSize', type: 'categorical', choices: [32, 256, 64] },
        { name: 'latentSize', type: 'int', low: 4, high: 48 },
        { name: 'epochs', type: 'fixed', value: 1 },
      ],
    },
    budget: { trials: 2 },
    ...over,
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.spec;
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-memory-'));
  images = await makeImageFolder(path.join(tmp, 'images'), ['a', 'b'], 4);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('trainers within memory', () => {
  it('sizes by the most demanding configuration of the space', async () => {
    const p = mostDemanding(spec());
    expect(p.hiddenUnits).toEqual([512, 128]);
    expect(p.batchSize).toBe(256);
    expect(p.latentSize).toBe(48);
  });

  it("'auto' starts no more trainers than fit; too little for one, or an explicit count that does not fit, is refused", async () => {
    const per = planTrainers(spec(), { available: 1e15, cores: 8 }).perTrainer.total;
    expect(planTrainers(spec(), { available: 1e15, cores: 8 }).trainers).toBe(8);
    expect(planTrainers(spec(), { available: 2.5 * per, cores: 8 }).trainers).toBe(2);
    expect(planTrainers(spec({ parallel: 2 }), { available: 2.5 * per }).trainers).toBe(2);
    expect(() => planTrainers(spec({ parallel: 3 }), { available: 2.5 * per })).toThrow(/asks for 3 trainers, but only 2 fit in memory: .* per trainer .*"parallel": 2/);
    let error: unknown;
    try {
      planTrainers(spec(), { available: per / 2 });
    } catch (err) {
      error = err;
    }
    expect(isMemoryError(error) && error.code).toBe('STUDY_MEMORY');
    expect((error as Error).message).toMatch(/^Study "sized" cannot fit in memory: .* needs about \d+(\.\d)? (MB|GB) per trainer \(runtime .*\), and \d+(\.\d)? (MB|GB) are available\. Use a smaller imageSize, batchSize or model/);
    const p = { ...DEFAULT_PARAMS, imageSize: 64, channels: 3 as const };
    expect(() => checkTrialFits(p, 1000, estimateTrialMemory(p, 1000).total - 1)).toThrow(/This trial cannot fit in memory: it needs about/);
  });

  it('the CLI refuses a study that cannot fit before storing it (exit 2, with the numbers)', async () => {
    const huge = path.join(tmp, 'huge.json');
    fs.writeFileSync(huge, JSON.stringify({
      name: 'huge',
      dataset: { path: images, imageSize: 256, channels: 3 },
      searchSpace: { params: [
        { name: 'architecture', type: 'fixed', value: 'conv' },
        { name: 'filters', type: 'fixed', value: [512, 512, 512, 512, 512] },
        { name: 'batchSize', type: 'fixed', value: 8192 },
      ] },
      budget: { trials: 1 },
    }));
    const db = path.join(tmp, 'trials.sqlite');
    const r = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), 'search', '--spec', huge, '--db', db, '--data-dir', path.join(tmp, 'home')], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Study "huge" cannot fit in memory: .* needs about [\d.]+ (GB|TB)/);
    const storage = openStorage(db);
    try {
      expect(await storage.getStudy('huge')).toBeNull();
    } finally {
      await storage.close();
    }
  });
});
