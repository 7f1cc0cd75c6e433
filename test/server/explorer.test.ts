// The latent explorer's contract methods against a real trained trial: per-point data stored at trial end
// (points.json + points.bin beside latents.json), read back as a 2-D map, images and neighbours.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { ARTIFACT_FILES, type StoredLatents, type StoredPoints } from '../../src/core/storage/artifacts';
import { downscaleInto, thumbSize } from '../../src/core/trainer/explorerPoints';
import { spawnNodeTrainer } from '../../src/core/trainer/nodeSpawn';
import { createAppServices } from '../../src/server/services/appServices';
import type { AnyEvent, AppServices } from '../../src/server/services/types';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { eventWaiter } from '../helpers/events';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let services: AppServices;
let trialId: number;
let artifactDir: string;
const events: AnyEvent[] = [];
const waitFor = eventWaiter(() => services, events);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-explorer-'));
  const folder = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 30);
  services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.join(tmp, 'home') }), spawnTrainer: spawnNodeTrainer });
  services.subscribe((e) => events.push(e));
  const params = { ...DEFAULT_PARAMS, imageSize: 8, hiddenUnits: [8], latentSize: 3, batchSize: 8, epochs: 2 };
  ({ trialId } = await services.handlers['training.start']({ datasetPath: folder, params }));
  await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === trialId && e.payload.state === 'COMPLETE');
  artifactDir = (await services.handlers['trials.get']({ trialId })).artifactDir!;
}, 120_000);

afterAll(async () => {
  await services.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('latent explorer data', () => {
  it('stores, per stored code, the file, reconstruction error, probe prediction and two thumbnails', () => {
    const latents = JSON.parse(fs.readFileSync(path.join(artifactDir, ARTIFACT_FILES.latents), 'utf8')) as StoredLatents;
    const points = JSON.parse(fs.readFileSync(path.join(artifactDir, ARTIFACT_FILES.points), 'utf8')) as StoredPoints;
    const n = latents.codes.length;
    expect(n).toBeGreaterThan(5);
    expect(points.files).toHaveLength(n);
    expect(points.errors.every((e) => e >= 0 && e < 1)).toBe(true);
    expect(points.predicted).toHaveLength(n);
    expect(points.predicted!.every((p) => p === 'a' || p === 'b')).toBe(true);
    // the file's class folder is the code's label
    points.files.forEach((f, i) => expect(f.split(/[\\/]/)[0]).toBe(latents.labels[i]));
    expect([points.thumbWidth, points.thumbHeight, points.channels]).toEqual([8, 8, 1]);
    expect(fs.statSync(path.join(artifactDir, ARTIFACT_FILES.pointImages)).size).toBe(n * 2 * 8 * 8);
  });

  it('serves the 2-D map with labels, errors and predictions, images as PNG, and nearest codes', async () => {
    const map = await services.handlers['explorer.points']({ trialId, method: 'direct' });
    const n = map.points.length;
    expect(map.latentSize).toBe(3);
    expect(map.errors).toHaveLength(n);
    expect(map.predicted).toHaveLength(n);
    const imgs = await services.handlers['explorer.images']({ trialId, indices: [0, n - 1, 0] });
    expect(imgs.images.map((i) => i.index)).toEqual([0, n - 1]);
    expect(imgs.images[0].original).toMatch(/^data:image\/png;base64,/);
    expect(imgs.images[0].reconstruction).toMatch(/^data:image\/png;base64,/);
    expect(imgs.images[1].error).toBe(map.errors![n - 1]);

    const latents = JSON.parse(fs.readFileSync(path.join(artifactDir, ARTIFACT_FILES.latents), 'utf8')) as StoredLatents;
    const nb = await services.handlers['explorer.neighbours']({ trialId, index: 2, k: 4 });
    expect(nb.neighbours).toHaveLength(4);
    expect(nb.neighbours.map((x) => x.index)).not.toContain(2);
    const d = (i: number): number => Math.hypot(...latents.codes[i].map((v, j) => v - latents.codes[2][j]));
    for (const x of nb.neighbours) expect(x.distance).toBeCloseTo(d(x.index), 5);
    const others = latents.codes.map((_, i) => i).filter((i) => i !== 2);
    expect(Math.min(...others.map(d))).toBeCloseTo(nb.neighbours[0].distance, 5);
  });

  it('names a point outside the stored codes', async () => {
    await expect(services.handlers['explorer.neighbours']({ trialId, index: 10_000, k: 3 })).rejects.toMatchObject({ code: 'POINT_OUT_OF_RANGE' });
    await expect(services.handlers['explorer.images']({ trialId, indices: [10_000] })).rejects.toMatchObject({ code: 'POINT_OUT_OF_RANGE' });
  });

  it('still maps a trial stored before the explorer data (labels only), and says why there are no images', async () => {
    // A second trial whose per-point files are removed, as for a trial trained by an earlier version.
    const folder = path.join(tmp, 'imgs');
    const params = { ...DEFAULT_PARAMS, imageSize: 8, hiddenUnits: [8], latentSize: 2, batchSize: 8, epochs: 1 };
    const old = await services.handlers['training.start']({ datasetPath: folder, params });
    await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === old.trialId && e.payload.state === 'COMPLETE');
    const dir = (await services.handlers['trials.get']({ trialId: old.trialId })).artifactDir!;
    fs.rmSync(path.join(dir, ARTIFACT_FILES.points));
    fs.rmSync(path.join(dir, ARTIFACT_FILES.pointImages));
    const map = await services.handlers['explorer.points']({ trialId: old.trialId, method: 'direct' });
    expect(map.points.length).toBeGreaterThan(0);
    expect([map.errors, map.predicted, map.files]).toEqual([null, null, null]);
    await expect(services.handlers['explorer.images']({ trialId: old.trialId, indices: [0] })).rejects.toMatchObject({ code: 'NO_EXPLORER_DATA' });
  }, 120_000);
});

describe('thumbnails', () => {
  it('keep images up to 32 pixels and area-average larger ones by a whole factor', () => {
    expect(thumbSize(28)).toEqual({ factor: 1, side: 28 });
    expect(thumbSize(64)).toEqual({ factor: 2, side: 32 });
    expect(thumbSize(100)).toEqual({ factor: 4, side: 25 });
    const src = [0, 1, 0.5, 0.5, 1, 1, 0, 0]; // 4x2 grey image
    const out = new Uint8Array(2);
    downscaleInto(src, 0, 4, 2, 1, 2, out, 0);
    expect(Array.from(out)).toEqual([Math.round(0.75 * 255), Math.round(0.25 * 255)]);
  });
});

describe('trial notes, tags and worker', () => {
  it('stores a note and tags (duplicates dropped), reads them back with the trial, and keeps who ran it and when', async () => {
    const stored = await services.handlers['trials.annotate']({ trialId, note: 'sharp 7s; blurry 9s', tags: ['keep', 'dense', 'keep'] });
    expect(stored).toEqual({ note: 'sharp 7s; blurry 9s', tags: ['keep', 'dense'] });
    const t = await services.handlers['trials.get']({ trialId });
    expect([t.note, t.tags]).toEqual(['sharp 7s; blurry 9s', ['keep', 'dense']]);
    expect(t.worker).toMatch(/^.+:\d+$/);
    expect(Date.parse(t.startedAt!)).toBeLessThanOrEqual(Date.parse(t.finishedAt!));
    // Cleared again: an empty note and no tags, not the old ones.
    await services.handlers['trials.annotate']({ trialId, note: '', tags: [] });
    expect((await services.handlers['trials.list']({})).find((x) => x.id === trialId)).toMatchObject({ note: '', tags: [] });
    await expect(services.handlers['trials.annotate']({ trialId: 99_999, note: 'x', tags: [] })).rejects.toMatchObject({ code: 'TRIAL_NOT_FOUND' });
  });
});
