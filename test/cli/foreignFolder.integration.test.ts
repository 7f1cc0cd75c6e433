// The CLI started from a folder outside the repository, with the spec, images, database and data folder given
// as relative paths: a one-trial search completes; the database tools work there; a crashed trainer is an
// honest failure (exit 3, one line), not "Stopped" with exit 0; output piped into a reader that stops early ends
// quietly.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, folderHashes, makeCrashWorld, REPO, runCli, storedTrials, type CrashWorld } from '../helpers/crash';

let world: CrashWorld;

beforeAll(async () => {
  world = await makeCrashWorld(fs.mkdtempSync(path.join(os.tmpdir(), 'll-foreign-')));
  expect(path.relative(REPO, world.dir).startsWith('..')).toBe(true);
});
afterAll(() => fs.rmSync(world.dir, { recursive: true, force: true }));

describe('latent-lab from a foreign working folder', () => {
  it('runs a one-trial search to COMPLETE, and checks, backs up and exports from there', () => {
    const spec = world.spec('one', 1);
    const flags = ['--db', 'one.sqlite', '--data-dir', 'home'];
    const r = runCli(world.dir, ['search', '--spec', spec, ...flags]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const dbPath = path.join(world.dir, 'one.sqlite');
    expect(r.stdout.split('\n')[0]).toBe(`Created a new trial database at ${dbPath}`);
    const [trial] = storedTrials(dbPath, 'one');
    expect(trial).toMatchObject({ number: 0, state: 'COMPLETE' });
    expect(trial.artifactDir).toMatch(new RegExp(`^${world.dataDir}/artifacts/db-[0-9a-f]{32}/trial-${trial.id}$`));
    const files = folderHashes(trial.artifactDir as string);
    expect(Object.keys(files).sort()).toEqual(['features.csv', 'latents.json', 'model.json', 'owner.json', 'points.bin', 'points.json', 'reconstructions.json', 'training.json', 'weights.bin']);

    const check = runCli(world.dir, ['db', 'check', ...flags]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok: .*one\.sqlite: integrity ok, 1 studies, 1 trials/);

    const backup = runCli(world.dir, ['db', 'backup', 'copy.sqlite', ...flags]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(storedTrials(path.join(world.dir, 'copy.sqlite'), 'one')).toEqual([trial]);
    const copyBytes = fs.readFileSync(path.join(world.dir, 'copy.sqlite'));
    const again = runCli(world.dir, ['db', 'backup', 'copy.sqlite', ...flags]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/copy\.sqlite exists already: a backup never overwrites a file/);
    expect(fs.readFileSync(path.join(world.dir, 'copy.sqlite')).equals(copyBytes)).toBe(true);

    const exported = runCli(world.dir, ['export', '--trial', String(trial.id), '--out', 'encoder', ...flags]);
    expect(exported.code, exported.stderr).toBe(0);
    const out = folderHashes(path.join(world.dir, 'encoder'));
    for (const f of ['model.json', 'weights.bin', 'features.csv']) expect(out[f]).toBe(files[f]);
    expect(out['manifest.json']).toBeDefined();
    // The artifact folder is untouched by all of this.
    expect(folderHashes(trial.artifactDir as string)).toEqual(files);

    // A reader that closes the pipe before the CLI writes (`| head`, here `| true`): no EPIPE stack trace, the
    // command's own exit code, and the database as it was.
    const dbBytes = fs.readFileSync(dbPath);
    for (const args of [['show', 'one'], ['studies'], ['trials'], ['trial', String(trial.id)], ['tradeoff', 'one']]) {
      const line = [process.execPath, CLI, ...args, ...flags].map((a) => `'${a}'`).join(' ');
      const piped = spawnSync('sh', ['-c', `(${line} 2>err.txt; echo $? > code.txt) | true`], { cwd: world.dir, encoding: 'utf8', timeout: 120_000 });
      expect(piped.status).toBe(0);
      expect({ args, code: fs.readFileSync(path.join(world.dir, 'code.txt'), 'utf8').trim(), err: fs.readFileSync(path.join(world.dir, 'err.txt'), 'utf8') }).toEqual({ args, code: '0', err: '' });
    }
    expect(fs.readFileSync(dbPath).equals(dbBytes)).toBe(true);
  }, 240_000); // five CLI processes and a trainer: minutes on a loaded machine

  it('exits 3 with one line when the trainer crashes, and keeps the trial FAILED with the reason', () => {
    const spec = world.spec('crash', 2);
    const env = { LATENT_LAB_TEST_STOP_AT: 'trial.epoch@number=0,epoch=1!crash', LATENT_LAB_TEST_STOP_FILE: path.join(world.dir, 'crash.stopped') };
    const r = runCli(world.dir, ['search', '--spec', spec, '--db', 'crash.sqlite', '--data-dir', 'home'], env);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('latent-lab:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^latent-lab: crash: 1 of 1 trainer process\(es\) crashed \(trainer 0: exit SIGKILL\); 0 trial\(s\) finished in this run\. Resume with: latent-lab resume crash$/);
    const trials = storedTrials(path.join(world.dir, 'crash.sqlite'), 'crash');
    expect(trials.map((t) => t.state)).toEqual(['FAILED']);
    expect(trials[0].failReason).toMatch(/the trainer process was killed \(SIGKILL\) during training/);
  }, 240_000);

  it('documents the exit codes', () => {
    const r = runCli(world.dir, ['--help']);
    expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+done\n[\s\S]*\n\s+3\s+search \/ resume: a trainer process crashed, or no trial of this run finished\n\s+4\s+the trial database/);
  });
});
