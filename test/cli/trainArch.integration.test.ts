// `latent-lab train --arch ... --set name=value`, run as a user would from a folder outside the repository:
// a conv and a variational trial train to COMPLETE and store exactly the params given; every refusal exits 2
// with one stderr line and leaves the database byte-identical (or not created).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, storedTrials } from '../helpers/crash';
import { makeImageFolder } from '../helpers/images';

let dir: string;
const DB = 'arch.sqlite';
const base = ['train', '--data', 'images', '--image-size', '8', '--epochs', '1', '--batch-size', '8', '--latent', '3', '--db', DB, '--data-dir', 'home'];

/** The stored params of a trial, straight from the database file (read-only). */
function storedParams(trialId: number): Record<string, unknown> {
  const db = new Database(path.join(dir, DB), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT name, value_json FROM trial_params WHERE trial_id = ?').all(trialId) as Array<{ name: string; value_json: string }>;
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value_json) as unknown]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-arch-'));
  expect(path.relative(REPO, dir).startsWith('..')).toBe(true);
  await makeImageFolder(path.join(dir, 'images'), ['a', 'b'], 12, 8);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('latent-lab train --arch / --set', () => {
  it('trains a conv trial to COMPLETE and stores architecture, filters and batchNorm as given; trial N shows them', () => {
    const r = runCli(dir, [...base, '--arch', 'conv', '--set', 'filters=4,8', '--set', 'batchNorm=true']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Trial 1 COMPLETE/);
    expect(storedTrials(path.join(dir, DB), 'Manual trials').map((t) => t.state)).toEqual(['COMPLETE']);
    const params = storedParams(1);
    expect(params).toMatchObject({ architecture: 'conv', filters: [4, 8], batchNorm: true, latentSize: 3, epochs: 1, imageSize: 8 });
    // The fields not given keep their defaults: stored as used, not left out.
    expect(params).toMatchObject({ kernelSize: 3, convNoise: 0, l1: 1e-4 });

    const show = runCli(dir, ['trial', '1', '--db', DB, '--data-dir', 'home']);
    expect(show.code, show.stderr).toBe(0);
    const line = show.stdout.split('\n').find((l) => l.startsWith('params'));
    expect(line).toMatch(/"architecture":"conv"/);
    expect(line).toMatch(/"filters":\[4,8\]/);
    expect(line).toMatch(/"batchNorm":true/);
    // Stored in full; the active line is what a conv model reads (no hiddenUnits, no klBeta).
    const active = JSON.parse(show.stdout.split('\n').find((l) => l.startsWith('active'))?.slice('active'.length) ?? '{}') as Record<string, unknown>;
    expect(active).toMatchObject({ architecture: 'conv', filters: [4, 8], batchNorm: true, kernelSize: 3 });
    expect(Object.keys(active)).not.toContain('hiddenUnits');
    expect(Object.keys(active)).not.toContain('klBeta');
  }, 180_000);

  it('trains a variational trial with its klBeta', () => {
    const r = runCli(dir, [...base, '--arch', 'variational', '--hidden', '8', '--set', 'klBeta=0.5']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Trial 2 COMPLETE/);
    expect(storedParams(2)).toMatchObject({ architecture: 'variational', hiddenUnits: [8], klBeta: 0.5 });
  }, 180_000);

  it.each([
    [['--set', 'batchnorm=true'], /^latent-lab: --set batchnorm: unknown parameter; did you mean "batchNorm"\?$/],
    [['--set', 'imageSize=8'], /^latent-lab: --set imageSize: imageSize has its own flag: use --image-size 8\.$/],
    [['--set', 'channels=3'], /^latent-lab: --set channels: channels has its own flag: use --rgb/],
    [['--lr', '0.01', '--set', 'learningRate=0.1'], /^latent-lab: learningRate is given twice with different values \(--lr 0\.01, --set learningRate=0\.1\): give it once\.$/],
    [['--arch', 'conv', '--set', 'filters=4', '--set', 'filters=8'], /^latent-lab: filters is given twice with different values/],
    [['--epochs', '2'], /^latent-lab: epochs is given twice with different values \(--epochs 1, --epochs 2\)/],
    [['--arch', 'conv', '--set', 'filters=0,8'], /^latent-lab: --set filters: \[0,8\] is not allowed: Too small: expected number to be >=1$/],
    [['--set', 'loss=bse'], /^latent-lab: --set loss: "bse" is not allowed; did you mean "mse"\?$/],
    [['--set', 'l1=0.001'], /^latent-lab: --set l1 is read only by the sparse architecture, not dense: add --arch sparse, or leave it out\.$/],
    [['--arch', 'conv', '--hidden', '128'], /^latent-lab: --hidden \(hiddenUnits\) is read only by the dense, denoising, sparse and variational architectures, not conv/],
    [['--set', 'momentum=0.8'], /^latent-lab: --set momentum is read only by the sgd optimizer, not adam: add --optimizer sgd, or leave it out\.$/],
  ])('refuses %j: exit 2, one line, the database untouched', (extra, message) => {
    const dbFile = path.join(dir, DB);
    const before = fs.readFileSync(dbFile);
    const r = runCli(dir, [...base, ...extra]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
    expect(fs.existsSync(`${dbFile}-wal`) ? fs.statSync(`${dbFile}-wal`).size : 0).toBe(0);
  });

  it('--like N trains again with trial N\'s settings and images, the flags given on top; refuses what that trial\'s model does not read', () => {
    const dbFile = path.join(dir, DB);
    const flags = ['--db', DB, '--data-dir', 'home'];
    const r = runCli(dir, ['train', '--like', '1', '--epochs', '2', ...flags]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Like trial 1: its images .*images, its settings with the flags given/);
    const ids = storedTrials(dbFile, 'Manual trials').map((t) => t.id);
    const again = ids[ids.length - 1];
    expect(storedParams(again)).toEqual({ ...storedParams(1), epochs: 2 });
    const datasets = new Database(dbFile, { readonly: true }).prepare('SELECT dataset_path AS p FROM trials WHERE id IN (?, ?) ORDER BY id').all(1, again) as Array<{ p: string }>;
    expect(datasets[1].p).toBe(datasets[0].p);

    const before = fs.readFileSync(dbFile);
    for (const [extra, message] of [
      [['--set', 'l1=0.1'], /^latent-lab: --set l1 is read only by the sparse architecture, not conv: add --arch sparse, or leave it out\.$/],
      [['--latent', '200'], /^latent-lab: --latent \(latentSize\): 200 is larger than the input \(8x8 = 64 values\)/],
    ] as const) {
      const refused = runCli(dir, ['train', '--like', '1', ...extra, ...flags]);
      expect(refused.code, refused.stdout + refused.stderr).toBe(2);
      expect(refused.stderr.trim()).toMatch(message);
    }
    const missing = runCli(dir, ['train', '--like', '99', ...flags]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`latent-lab: --like 99: there is no trial 99 in ${dbFile} (see latent-lab trials).`);
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
    expect(storedTrials(dbFile, 'Manual trials').map((t) => t.id)).toEqual(ids);
  }, 180_000);

  it("--like a study's trial on the bundled sample (stored as sample:mnist) trains on this data folder's copy", () => {
    const flags = ['--db', 'sample.sqlite', '--data-dir', 'home'];
    const spec = {
      name: 'digits',
      dataset: { path: 'sample:mnist', imageSize: 8 },
      searchSpace: { params: [{ name: 'latentSize', type: 'fixed', value: 3 }, { name: 'epochs', type: 'fixed', value: 1 }] },
      sampler: { type: 'random' },
      budget: { trials: 1 },
      parallel: 1,
    };
    fs.writeFileSync(path.join(dir, 'digits.json'), JSON.stringify(spec));
    const search = runCli(dir, ['search', '--spec', 'digits.json', ...flags]);
    expect(search.code, search.stdout + search.stderr).toBe(0);
    const [studyTrial] = storedTrials(path.join(dir, 'sample.sqlite'), 'digits');
    // A study trial's own params are the searched ones; trials and trial N show its whole configuration.
    const list = runCli(dir, ['trials', ...flags]);
    expect(list.stdout).toMatch(new RegExp(`^${studyTrial.id}\tdigits\t0\tCOMPLETE\tdense\t3\t1\t`, 'm'));
    const shown = runCli(dir, ['trial', String(studyTrial.id), ...flags]);
    const active = JSON.parse(shown.stdout.split('\n').find((l) => l.startsWith('active'))?.slice('active'.length) ?? '{}') as Record<string, unknown>;
    expect(active).toMatchObject({ architecture: 'dense', latentSize: 3, epochs: 1, imageSize: 8 });
    const r = runCli(dir, ['train', '--like', String(studyTrial.id), '--batch-size', '64', ...flags]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Like trial ${studyTrial.id}: its images ${path.join(dir, 'home', 'samples', 'mnist')}`));
    expect(storedTrials(path.join(dir, 'sample.sqlite'), 'Manual trials').map((t) => t.state)).toEqual(['COMPLETE']);
  }, 300_000);

  it('creates no database and no data folder when it refuses before any exists', () => {
    const r = runCli(dir, ['train', '--data', 'images', '--image-size', '8', '--db', 'fresh.sqlite', '--data-dir', 'fresh', '--set', 'klBeta=2']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(/^latent-lab: --set klBeta is read only by the variational architecture, not dense: add --arch variational, or leave it out\.$/);
    expect(fs.existsSync(path.join(dir, 'fresh.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'fresh'))).toBe(false);
  });
});
