// `latent-lab trials`, `trial N` and `train --like N` on a trial whose stored configuration this version cannot
// read (here a newer version's architecture): the list says "unreadable" where it printed '-' (as for nothing
// stored), `trial N` says why where it printed no active line at all, and --like refuses with the reason.
// None of them changes the database file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/core/storage/sqlite';
import type { JsonValue } from '../../src/core/storage/types';
import { DEFAULT_PARAMS, MANUAL_STUDY } from '../../src/shared/dto';
import { runCli } from '../helpers/crash';

let dir: string;
let dbFile: string;
let trialId: number;
const flags = () => ['--db', dbFile, '--data-dir', path.join(dir, 'home')];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-unreadable-cli-'));
  dbFile = path.join(dir, 'shared.sqlite');
  fs.mkdirSync(path.join(dir, 'images'));
  const storage = openStorage(dbFile, { create: true });
  const manual = await storage.getOrCreateStudy(MANUAL_STUDY, 'manual');
  const params = { ...DEFAULT_PARAMS, architecture: 'transformer', latentSize: 12 } as unknown as Record<string, JsonValue>;
  const t = await storage.createTrial(manual.id, { state: 'RUNNING', params, seed: 1, datasetPath: path.join(dir, 'images') });
  await storage.reportStep(t.id, 1, { trainLoss: 0.04, valLoss: 0.03 });
  await storage.setTrialState(t.id, 'COMPLETE');
  await storage.close();
  trialId = t.id;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a trial this version cannot read, from the command line', () => {
  it('trials lists it as unreadable; trial N says why and keeps its epochs; --like refuses it; nothing is written', () => {
    const before = fs.readFileSync(dbFile);
    const list = runCli(dir, ['trials', ...flags()]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${trialId}\tManual trials\t\\d+\tCOMPLETE\tunreadable\tunreadable\t1\t0\\.030000\t`, 'm'));

    const shown = runCli(dir, ['trial', String(trialId), ...flags()]);
    expect(shown.code, shown.stderr).toBe(0);
    const active = shown.stdout.split('\n').find((l) => l.startsWith('active'));
    expect(active).toBe(
      'active   unreadable: written by another version of Latent Lab, cannot be read here (architecture: "transformer" is not allowed; expected one of "dense", "conv", "denoising", "sparse", "variational"); its metrics are kept, --like refuses it',
    );
    expect(shown.stdout).toMatch(/"architecture":"transformer"/); // the stored params line, as stored
    expect(shown.stdout).toMatch(/^1\t0\.040000\t0\.030000\t/m);

    const like = runCli(dir, ['train', '--like', String(trialId), ...flags()]);
    expect(like.code).toBe(2);
    expect(like.stderr.trim()).toBe(
      `latent-lab: --like ${trialId}: trial ${trialId}'s configuration was written by another version of Latent Lab and cannot be read here (architecture: "transformer" is not allowed; expected one of "dense", "conv", "denoising", "sparse", "variational"), so it cannot be trained again.`,
    );
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
  }, 120_000);
});
