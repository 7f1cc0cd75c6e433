// training.start refuses a configuration the engine cannot build before the trial is stored: a code larger
// than the input, binary cross-entropy with a linear output. The form says so at its fields; a client of the
// contract (the HTTP bridge) must get the same refusal, not a FAILED trial in the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import type { SpawnTrainer } from '../../src/core/trainer/protocol';
import { createAppServices } from '../../src/server/services/appServices';
import type { AppServices } from '../../src/server/services/types';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { makeImageFolder } from '../helpers/images';

const idleTrainer: SpawnTrainer = () => ({ send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });

let tmp: string;
let folder: string;
let services: AppServices;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-start-'));
  folder = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 3);
  services = await createAppServices({ mode: 'browser', locations: resolveLocations({ dataDir: path.join(tmp, 'home') }), spawnTrainer: idleTrainer });
});
afterAll(async () => {
  await services.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const start = (p: Partial<AutoencoderParams>) => services.handlers['training.start']({ datasetPath: folder, params: { ...DEFAULT_PARAMS, imageSize: 8, channels: 1, ...p } });

describe('training.start: configurations the engine cannot build', () => {
  it('refuses a latent size larger than the input and BCE with a linear output, storing no trial', async () => {
    await expect(start({ latentSize: 65 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/params\.latentSize: 65 is larger than the input \(8x8 = 64 values\)/) });
    await expect(start({ latentSize: 16, loss: 'bce', outputActivation: 'linear' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/params\.loss: binary cross-entropy/) });
    expect(await services.handlers['trials.list']({})).toEqual([]);
    // The largest code the input allows is a trial like any other.
    const { trialId } = await start({ latentSize: 64 });
    expect((await services.handlers['trials.list']({})).map((t) => t.id)).toEqual([trialId]);
  });
});
