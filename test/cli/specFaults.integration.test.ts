// Invalid study specs are refused before anything is written: `latent-lab search` (and --dry-run) run from a
// folder outside the repository exit 2 with one line per problem, create no database file where none
// existed, and leave an existing database byte for byte as it was (no study row added).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/core/storage/sqlite';
import { Study } from '../../src/core/study/study';
import { makeImageFolder } from '../helpers/images';

const root = path.resolve(__dirname, '../..');
let tmp: string;

type Spec = Record<string, unknown> & { dataset: Record<string, unknown>; searchSpace: { params: Array<Record<string, unknown>> }; sampler: Record<string, unknown> };

/** A valid spec with a relative image folder next to it (the shape the pre-stop hook uses). */
function baseSpec(): Spec {
  return {
    name: 'faulty',
    dataset: { path: 'imgs', imageSize: 8 },
    searchSpace: {
      params: [
        { name: 'latentSize', type: 'fixed', value: 2 },
        { name: 'hiddenUnits', type: 'fixed', value: [4] },
        { name: 'epochs', type: 'fixed', value: 1 },
      ],
    },
    sampler: { type: 'random' },
    budget: { trials: 1 },
    parallel: 1,
  };
}

/** Each invalid spec, and the line the CLI must print for it. */
const CASES: Array<[string, (s: Spec) => void, RegExp]> = [
  ['prunner', (s) => (s.prunner = { type: 'nop' }), /(: | \| )spec: unknown key "prunner"; did you mean "pruner"\?($| \|)/m],
  ['samplr', (s) => (s.samplr = { type: 'grid' }), /(: | \| )spec: unknown key "samplr"; did you mean "sampler"\?($| \|)/m],
  ['choise', (s) => s.searchSpace.params.push({ name: 'batchSize', type: 'categorical', choise: [4, 8] }), /(: | \| )"batchSize": unknown key "choise"; did you mean "choices"\?($| \|)/m],
  [
    'learningRat',
    (s) => s.searchSpace.params.push({ name: 'learningRat', type: 'float', low: 0.001, high: 0.1, log: true }),
    /(: | \| )"learningRat": unknown parameter; did you mean "learningRate"\?($| \|)/m,
  ],
  ['latentSize 5000', (s) => (s.searchSpace.params[0] = { name: 'latentSize', type: 'fixed', value: 5000 }), /"latentSize" \(value\): 5000 is larger than the input \(8x8 = 64 values\)/],
  [
    'activation that does not exist',
    (s) => s.searchSpace.params.push({ name: 'activation', type: 'categorical', choices: ['relu', 'relux'] }),
    /"activation" \(choice 2\): "relux" is not allowed; did you mean "relu"\?/,
  ],
  [
    'continuous float under grid',
    (s) => {
      s.sampler = { type: 'grid' };
      s.searchSpace.params.push({ name: 'learningRate', type: 'float', low: 0.001, high: 0.1 });
    },
    /"learningRate": a grid cannot enumerate a continuous float range; give a step or choices\./,
  ],
  [
    '10^9-point grid',
    (s) => {
      s.sampler = { type: 'grid' };
      s.dataset.imageSize = 32;
      s.searchSpace.params = [
        { name: 'latentSize', type: 'int', low: 1, high: 1000 },
        { name: 'batchSize', type: 'int', low: 1, high: 1000 },
        { name: 'epochs', type: 'int', low: 1, high: 1000 },
      ];
    },
    /sampler: the grid has 1,000,000,000 points, more than the 100,000 allowed without a cap; .*"maxPoints": 1000000000/,
  ],
  ['missing dataset folder', (s) => (s.dataset.path = 'no-such-folder'), /dataset\.path: the folder .*no-such-folder does not exist/],
  ['folder without images', (s) => (s.dataset.path = 'notes'), /dataset\.path: the folder .*notes holds no images/],
];

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file of a folder with its bytes: what "unchanged" means for a database and its WAL/SHM files. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

let specDir: string;
let cwd: string;
let existingDir: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-spec-faults-'));
  specDir = path.join(tmp, 'specs');
  // The CLI runs from here: neither the repository nor the spec's folder.
  cwd = path.join(tmp, 'elsewhere');
  existingDir = path.join(tmp, 'existing');
  fs.mkdirSync(cwd, { recursive: true });
  fs.mkdirSync(existingDir);
  await makeImageFolder(path.join(specDir, 'imgs'), ['a'], 2);
  fs.mkdirSync(path.join(specDir, 'notes'));
  fs.writeFileSync(path.join(specDir, 'notes', 'readme.txt'), 'no images here\n');
  for (const [name, change] of CASES) {
    const spec = baseSpec();
    change(spec);
    fs.writeFileSync(path.join(specDir, `${name.replace(/\W+/g, '-')}.json`), JSON.stringify(spec));
  }
  fs.writeFileSync(path.join(specDir, 'valid.json'), JSON.stringify(baseSpec()));
  // A database that already holds a study.
  const storage = openStorage(path.join(existingDir, 'trials.sqlite'), { create: true });
  await Study.create(storage, { ...baseSpec(), name: 'kept', dataset: { path: path.join(specDir, 'imgs'), imageSize: 8 } });
  await storage.close();
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const specFile = (name: string): string => path.join(specDir, `${name.replace(/\W+/g, '-')}.json`);

describe('invalid study specs change nothing', () => {
  it.each(CASES)('%s: exit 2 with the problem, no database created, an existing one untouched', { timeout: 240_000 }, async (name, _change, message) => {
    const freshDir = path.join(tmp, `fresh-${name.replace(/\W+/g, '-')}`);
    fs.mkdirSync(freshDir);
    const before = snapshot(existingDir);
    const runs = await Promise.all([
      cli(['search', '--spec', specFile(name), '--db', path.join(freshDir, 'trials.sqlite'), '--data-dir', path.join(freshDir, 'home')], cwd),
      cli(['search', '--spec', specFile(name), '--db', path.join(existingDir, 'trials.sqlite'), '--data-dir', path.join(existingDir, 'home')], cwd),
      cli(['search', '--spec', specFile(name), '--dry-run', '--db', path.join(existingDir, 'trials.sqlite'), '--data-dir', path.join(existingDir, 'home')], cwd),
    ]);
    for (const r of runs) {
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^latent-lab: The study spec .* is not valid \(\d+ problems?\): /);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(fs.readdirSync(freshDir)).toEqual([]);
    expect(snapshot(existingDir)).toEqual(before);
  });

  it('a relative dataset path counts from the spec file, not the working folder; --dry-run writes nothing', { timeout: 120_000 }, async () => {
    const db = path.join(tmp, 'dry', 'trials.sqlite');
    const r = await cli(['search', '--spec', specFile('valid'), '--dry-run', '--db', db], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Spec "faulty" is valid/m);
    expect(fs.existsSync(path.dirname(db))).toBe(false);
  });
});
