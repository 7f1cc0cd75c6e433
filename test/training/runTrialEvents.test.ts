// runTrial's new events on a tiny image folder: reconstructions of a fixed validation sample every k epochs,
// and the validation latents with their labels once the trial completes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { openStorage } from '../../src/core/storage/sqlite';
import { createManualTrial } from '../../src/core/trainer/manualTrial';
import { runTrial, type TrialLatents, type TrialReconstructions } from '../../src/core/trainer/runTrial';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let images: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-events-'));
  images = await makeImageFolder(path.join(tmp, 'images'), ['a', 'b'], 12, 8);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(params: AutoencoderParams): Promise<{ recs: TrialReconstructions[]; latents: TrialLatents[]; state: string }> {
  const storage = openStorage(path.join(tmp, `trials-${params.architecture}-${params.seed}.sqlite`), { create: true });
  const request = { datasetPath: images, params };
  const trialId = await createManualTrial(storage, request);
  const recs: TrialReconstructions[] = [];
  const latents: TrialLatents[] = [];
  const out = await runTrial({
    storage,
    trialId,
    request,
    cacheDir: path.join(tmp, 'cache'),
    artifactsDir: path.join(tmp, 'artifacts'),
    events: { reconstructions: (r) => recs.push(r), latents: (l) => latents.push(l) },
  });
  await storage.close();
  return { recs, latents, state: out.state };
}

describe('runTrial events', () => {
  it.each(['conv', 'variational'] as const)('%s: reconstructions of a fixed sample and the validation latents', async (architecture) => {
    const before = tf.memory().numTensors;
    const params: AutoencoderParams = { ...DEFAULT_PARAMS, architecture, imageSize: 8, latentSize: 3, hiddenUnits: [16], filters: [4], epochs: 4, batchSize: 8, valFraction: 0.4, seed: 7 };
    const { recs, latents, state } = await run(params);
    expect(state).toBe('COMPLETE');
    // k = max(1, round(4 / 10)) = 1: every epoch.
    expect(recs.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    const nVal = latents[0].codes.length;
    expect(nVal).toBeGreaterThan(4);
    for (const r of recs) {
      expect(r).toMatchObject({ width: 8, height: 8, channels: 1 });
      expect(r.originals).toHaveLength(Math.min(8, nVal));
      expect(r.reconstructions).toHaveLength(r.originals.length);
      expect(r.originals).toEqual(recs[0].originals);
      for (const img of [...r.originals, ...r.reconstructions]) {
        expect(img).toHaveLength(64);
        expect(img.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
      }
    }
    expect(latents).toHaveLength(1);
    expect(latents[0].dims).toBe(3);
    expect(latents[0].classes).toEqual(['a', 'b']);
    expect(latents[0].codes.every((c) => c.length === 3 && c.every(Number.isFinite))).toBe(true);
    expect(new Set(latents[0].labels)).toEqual(new Set([0, 1]));
    // The same seed picks the same sample.
    const again = await run({ ...params, epochs: 1 });
    expect(again.recs[0].originals).toEqual(recs[0].originals);
    expect(tf.memory().numTensors).toBe(before);
  });
});
