// Study baselines (raw pixels; PCA at each code size) are computed once for given images, split and probe: a
// second study on the same ones reuses them (the same values, without computing), a different split computes
// its own, and a damaged cached copy is computed again rather than trusted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations, type DataLocations } from '../../src/core/paths';
import { createMemoryStorage } from '../../src/core/storage/memory';
import { Study } from '../../src/core/study/study';
import { pcaBaselineKey, RAW_BASELINE_KEY } from '../../src/core/evaluation/storedBaselines';
import { baselinesPlan, computeStudyBaselines, ensurePcaBaseline, listedLatentSizes, PCA_BY_PROCESS_KEY } from '../../src/core/trainer/studyBaselines';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let folder: string;
let locations: DataLocations;

const spec = (name: string, seed: number, latentSize: object = { type: 'int', low: 2, high: 4 }) => ({
  name,
  dataset: { path: folder, imageSize: 8, testFraction: 0.2 },
  searchSpace: { params: [{ name: 'latentSize', ...latentSize }] },
  sampler: { type: 'random' },
  budget: { trials: 2 },
  seed,
});

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-baselines-'));
  folder = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 12);
  locations = resolveLocations({ dataDir: path.join(tmp, 'home') });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('study baselines', () => {
  it('are planned in the first worker when little work or a cached copy, in a process of their own otherwise, and not again once stored', async () => {
    const storage = createMemoryStorage();
    const study = await Study.create(storage, spec('planned', 3));
    expect(await baselinesPlan(study, locations)).toBe('inline');
    expect(await baselinesPlan(study, locations, 0)).toBe('process');
    expect(await computeStudyBaselines(study, locations)).toBe('computed');
    expect(await baselinesPlan(study, locations, 0)).toBe('none');
    // Another study on the same images, split and probe: the cached copy is reused in the worker, whatever the size.
    expect(await baselinesPlan(await Study.create(storage, spec('planned-again', 3)), locations, 0)).toBe('inline');
  });

  it('are reused by a study on the same images, split and probe, and computed for another split', async () => {
    const storage = createMemoryStorage();
    const first = await Study.create(storage, spec('first', 1));
    let started = 0;
    expect(await computeStudyBaselines(first, locations, () => started++)).toBe('computed');
    expect(started).toBe(1);
    expect(await computeStudyBaselines(first, locations, () => started++)).toBe('stored');

    const second = await Study.create(storage, spec('second', 1));
    expect(await computeStudyBaselines(second, locations, () => started++)).toBe('reused');
    expect(started).toBe(1);
    expect((await storage.getStudyAttrs(second.id))[RAW_BASELINE_KEY]).toEqual((await storage.getStudyAttrs(first.id))[RAW_BASELINE_KEY]);
    // PCA at a code size too: computed by the first study, the same values taken by the second.
    expect(await ensurePcaBaseline(first, locations, 3)).toBe(true);
    expect(await ensurePcaBaseline(second, locations, 3)).toBe(false);
    expect((await storage.getStudyAttrs(second.id))[pcaBaselineKey(3)]).toEqual((await storage.getStudyAttrs(first.id))[pcaBaselineKey(3)]);
    expect((await storage.getStudyAttrs(first.id))[pcaBaselineKey(3)]).toMatchObject({ features: 'pca', dim: 3 });

    const otherSplit = await Study.create(storage, spec('other-split', 2));
    expect(await computeStudyBaselines(otherSplit, locations, () => started++)).toBe('computed');
    expect(started).toBe(2);
  });

  it('computes them again when the cached copy is damaged', async () => {
    const dir = path.join(locations.cacheDir, 'baselines');
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"torn');
    const storage = createMemoryStorage();
    const study = await Study.create(storage, spec('after-damage', 1));
    expect(await computeStudyBaselines(study, locations)).toBe('computed');
    expect((await storage.getStudyAttrs(study.id))[RAW_BASELINE_KEY]).toMatchObject({ features: 'raw' });
  });

  it('in the baselines process, PCA at the listed code sizes comes first, and trainers leave those sizes to it', async () => {
    const storage = createMemoryStorage();
    const listed = { type: 'categorical', choices: [3, 2] };
    const study = await Study.create(storage, spec('pca-first', 5, listed));
    expect(listedLatentSizes(study)).toEqual([2, 3]);
    expect(listedLatentSizes(await Study.create(storage, spec('pca-range', 5)))).toBeNull();
    expect(listedLatentSizes(await Study.create(storage, spec('pca-fixed', 5, { type: 'fixed', value: 4 })))).toEqual([4]);

    expect(await computeStudyBaselines(study, locations, undefined, { pcaFirst: true })).toBe('computed');
    const attrs = await storage.getStudyAttrs(study.id);
    expect(attrs[PCA_BY_PROCESS_KEY]).toEqual([2, 3]);
    expect(attrs[pcaBaselineKey(2)]).toMatchObject({ features: 'pca', dim: 2 });
    expect(attrs[pcaBaselineKey(3)]).toMatchObject({ features: 'pca', dim: 3 });
    expect(attrs[RAW_BASELINE_KEY]).toMatchObject({ features: 'raw' });
    // A trainer done with a trial of a listed size finds it made (or being made) by the process.
    expect(await ensurePcaBaseline(study, locations, 3)).toBe(false);

    // While the process is at work: the listed sizes are left to it, any other size is computed by the trainer.
    const busy = await Study.create(storage, spec('pca-busy', 6, listed));
    await storage.setStudyAttr(busy.id, PCA_BY_PROCESS_KEY, [2, 3]);
    expect(await ensurePcaBaseline(busy, locations, 3)).toBe(false);
    expect((await storage.getStudyAttrs(busy.id))[pcaBaselineKey(3)]).toBeUndefined();
    expect(await ensurePcaBaseline(busy, locations, 4)).toBe(true);
    expect((await storage.getStudyAttrs(busy.id))[pcaBaselineKey(4)]).toMatchObject({ features: 'pca', dim: 4 });
  });
});
