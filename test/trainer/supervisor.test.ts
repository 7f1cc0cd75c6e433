// The real trainer process, supervised: a killed trainer fails its trial with a reason, and the next trial
// runs in a fresh trainer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { openStorage } from '../../src/core/storage/sqlite';
import type { TrainerChannel } from '../../src/core/trainer/protocol';
import { createAppServices } from '../../src/server/services/appServices';
import { spawnNodeTrainer } from '../../src/core/trainer/nodeSpawn';
import type { AnyEvent, AppServices } from '../../src/server/services/types';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { eventWaiter } from '../helpers/events';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let services: AppServices;
let folder: string;
const channels: TrainerChannel[] = [];
const events: AnyEvent[] = [];

const waitFor = eventWaiter(() => services, events);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-super-'));
  folder = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 40);
  services = await createAppServices({
    mode: 'browser',
    locations: resolveLocations({ dataDir: path.join(tmp, 'home') }),
    spawnTrainer: () => {
      const c = spawnNodeTrainer();
      channels.push(c);
      return c;
    },
  });
  services.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await services.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('trainer supervision', () => {
  it('marks the trial FAILED with the reason when the trainer dies, and recovers for the next trial', async () => {
    const params = { ...DEFAULT_PARAMS, imageSize: 8, hiddenUnits: [8], latentSize: 2, batchSize: 4, epochs: 500 };
    const { trialId } = await services.handlers['training.start']({ datasetPath: folder, params });
    await waitFor((e) => e.event === 'trial.epoch' && e.payload.trialId === trialId);
    channels.at(-1)?.kill();
    const failed = await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === trialId && e.payload.state === 'FAILED');
    expect(failed.event === 'trial.state' && failed.payload.reason).toMatch(/trainer process .*(killed|exited)/);
    const detail = await services.handlers['trials.get']({ trialId });
    expect(detail.state).toBe('FAILED');
    expect(detail.epochs.length).toBeGreaterThan(0); // epochs stored before the crash are kept

    const second = await services.handlers['training.start']({ datasetPath: folder, params: { ...params, epochs: 2 } });
    const done = await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === second.trialId && ['COMPLETE', 'FAILED'].includes(e.payload.state));
    expect(done.event === 'trial.state' && done.payload.state).toBe('COMPLETE');
    expect(channels.length).toBe(2);
    // A finished trial keeps its last reconstructions and validation codes for compare views and plots.
    // Many trials' curves in one call; unknown ids are left out.
    const curves = await services.handlers['trials.curves']({ trialIds: [trialId, second.trialId, 99_999] });
    expect(curves.map((c) => c.trialId)).toEqual([trialId, second.trialId]);
    expect(curves[1].epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(curves[0].epochs.length).toBe(detail.epochs.length);
    const recon = await services.handlers['trials.reconstructions']({ trialId: second.trialId });
    expect(recon.originals.length).toBeGreaterThan(0);
    expect(recon.reconstructions[0]).toMatch(/^data:image\/png;base64,/);
    const view = await services.handlers['trials.projection']({ trialId: second.trialId, method: 'direct', dims: 2 });
    expect(view.points.length).toBeGreaterThan(0);
    expect(view.labels[0]).toMatch(/^[ab]$/);
    await expect(services.handlers['trials.reconstructions']({ trialId })).rejects.toThrow(/no stored reconstructions/);
    const list = await services.handlers['trials.list']({});
    expect(list.map((t) => t.state)).toEqual(['COMPLETE', 'FAILED']);
  });

  it('cancels a running trial within a batch', async () => {
    const params = { ...DEFAULT_PARAMS, imageSize: 8, hiddenUnits: [8], latentSize: 2, batchSize: 4, epochs: 500 };
    const { trialId } = await services.handlers['training.start']({ datasetPath: folder, params });
    await waitFor((e) => e.event === 'trial.progress' && e.payload.trialId === trialId);
    expect(await services.handlers['training.cancel']({ trialId })).toEqual({ cancelled: true });
    const st = await waitFor((e) => e.event === 'trial.state' && e.payload.trialId === trialId && e.payload.state !== 'RUNNING' && e.payload.state !== 'WAITING', 20_000);
    expect(st.event === 'trial.state' && st.payload.state).toBe('CANCELLED');
    const storage = openStorage(path.join(tmp, 'home', 'trials.sqlite'));
    expect((await storage.getTrial(trialId))?.state).toBe('CANCELLED');
    await storage.close();
  });
});
