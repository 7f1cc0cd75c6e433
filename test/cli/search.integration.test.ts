// A real study from the CLI: two trainer processes share it through SQLite; then show, studies, resume.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from '../helpers/images';

const root = path.resolve(__dirname, '../..');
let tmp: string;
let specFile: string;
let db: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), ...args, '--db', db, '--data-dir', path.join(tmp, 'home')], {
    cwd: tmp, // outside the repository, as users run it: trainers must still find tsx
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-search-'));
  db = path.join(tmp, 'trials.sqlite');
  const images = await makeImageFolder(path.join(tmp, 'images'), ['a', 'b'], 12);
  specFile = path.join(tmp, 'study.json');
  fs.writeFileSync(
    specFile,
    JSON.stringify({
      name: 'tiny',
      dataset: { path: images, imageSize: 8, testFraction: 0.2 },
      searchSpace: {
        params: [
          { name: 'latentSize', type: 'int', low: 2, high: 6 },
          { name: 'hiddenUnits', type: 'fixed', value: [8] },
          { name: 'learningRate', type: 'float', low: 0.001, high: 0.05, log: true },
          { name: 'batchSize', type: 'fixed', value: 8 },
          { name: 'epochs', type: 'fixed', value: 2 },
        ],
      },
      sampler: { type: 'random' },
      pruner: { type: 'nop' },
      budget: { trials: 4 },
      seed: 1,
      parallel: 2,
    }),
  );
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('latent-lab search / show / studies / resume', () => {
  it('runs a study on two trainer processes sharing the database', () => {
    const r = cli(['search', '--spec', specFile]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/random sampler, pruner none, budget 4 trials, 2 trainer processes/);
    expect(r.stdout.match(/^\[\d\/4\] #\d COMPLETE value=/gm)).toHaveLength(4);
    expect(r.stdout).toMatch(/Stopped: the trial budget is used\. 4 COMPLETE/);
    expect(r.stdout).toMatch(/Best: trial #\d/);
    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare("SELECT t.number, t.state FROM trials t JOIN studies s ON s.id = t.study_id WHERE s.name = 'tiny' ORDER BY t.number").all();
    conn.close();
    expect(rows).toEqual([0, 1, 2, 3].map((number) => ({ number, state: 'COMPLETE' })));
  });

  it('estimates before running with --dry-run', () => {
    const r = cli(['search', '--spec', specFile, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Spec "tiny" is valid: 2 searched parameter\(s\): latentSize, learningRate/);
    expect(r.stdout).toMatch(/Estimate: 4 trials x ~.* on 2 workers = ~/);
  });

  it('warns on --dry-run when TPE\'s random startup trials use up the budget (issue 14 item 3)', () => {
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as Record<string, unknown>;
    const tpeFile = path.join(tmp, 'tpe-study.json');
    fs.writeFileSync(tpeFile, JSON.stringify({ ...spec, name: 'tpe-10', sampler: { type: 'tpe' }, budget: { trials: 10 } }));
    const r = cli(['search', '--spec', tpeFile, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Warning: TPE samples its first 10 trials at random and the budget is 10 trials, so the model never runs/);
    expect(r.stdout).toMatch(/Raise budget\.trials to 20 or more, or set sampler\.startupTrials to 3\./);
    fs.writeFileSync(tpeFile, JSON.stringify({ ...spec, name: 'tpe-10', sampler: { type: 'tpe', startupTrials: 3 }, budget: { trials: 10 } }));
    expect(cli(['search', '--spec', tpeFile, '--dry-run']).stdout).not.toMatch(/Warning/);
  });

  it('shows the study and lists it', () => {
    const show = cli(['show', 'tiny']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/states: 4 COMPLETE/);
    expect(show.stdout).toMatch(/^#\tstate\tvalue\tlatentSize\tlearningRate$/m);
    // Features are judged too: the probe's accuracy next to raw-pixel and PCA baselines, and test metrics.
    expect(show.stdout).toMatch(/Validation accuracy \(logistic probe\): best trial [\d.]+; baselines: raw pixels [\d.]+, PCA\([2-6]\) [\d.]+/);
    expect(show.stdout).toMatch(/Test split \(chosen trial only, never used for selection\): test_accuracy [\d.]+/);
    // The probe's C came from cross-validation on the training codes; the verdict pairs the test predictions.
    expect(show.stdout).toMatch(/^Probe: logistic, C = [\d.]+, chosen by 3-fold cross-validation on the training codes/m);
    expect(show.stdout).toMatch(/^Verdict on test \(\d+ images; 95% bootstrap intervals, McNemar's paired test at 0.05\):$/m);
    expect(show.stdout).toMatch(/^ {2}The autoencoder's [2-6] features(:| beat| fall behind) .*raw pixels \(64\).*McNemar p/m);
    expect(show.stdout).toMatch(/^ {2}The autoencoder's ([2-6]) features(:| beat| fall behind) .*PCA\(\1\).*McNemar p/m);
    const tradeoff = cli(['tradeoff', 'tiny']);
    expect(tradeoff.code).toBe(0);
    expect(tradeoff.stdout).toMatch(/latent\s+trials\s+best recon MSE.*PCA recon MSE\s+PCA accuracy$/m);
    const list = cli(['studies']);
    expect(list.stdout).toMatch(/^tiny\t4\t4 COMPLETE\t/m);
  });

  it('the report and the exported bundle state the verdict on test', () => {
    const out = path.join(tmp, 'report.html');
    const report = cli(['report', 'tiny', '--out', out]);
    expect(report.code, report.stderr).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/<h3>Does the autoencoder beat PCA\? The verdict on test<\/h3>/);
    expect(html).toMatch(/<p>The autoencoder's ([2-6]) features(:| beat| fall behind) .*PCA\(\1\).*McNemar p/);
    expect(html).toMatch(/Probe: logistic, C = [\d.]+, chosen by 3-fold cross-validation/);
    expect(html).toContain('PCA recon MSE');
    const bundle = path.join(tmp, 'bundle');
    const exported = cli(['export', '--study', 'tiny', '--best', '--out', bundle]);
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as {
      output: { codeSize: number };
      metrics: { verdict: { latentSize: number; testImages: number; comparisons: Array<{ baseline: string; dim: number; outcome: string }>; summary: string[] } | null };
    };
    const v = manifest.metrics.verdict;
    expect(v?.latentSize).toBe(manifest.output.codeSize);
    expect(v?.testImages).toBeGreaterThan(0);
    expect(v?.comparisons.map((c) => [c.baseline, c.dim])).toEqual([
      ['raw', 64],
      ['pca', manifest.output.codeSize],
    ]);
    expect(v?.summary.join('\n')).toMatch(/McNemar p/);
  });

  it('refit trains the chosen configuration on training + validation images, apart from the search, and exports it', () => {
    // The refit trains in a child process: over vitest's 60 s default on a loaded 2-core machine (68 s seen at load 7).
    const before = cli(['show', 'tiny']);
    const bestLine = /^Best: trial #(\d+) \(id (\d+)\)/m.exec(before.stdout);
    expect(bestLine, before.stdout).not.toBeNull();
    expect(before.stdout).toMatch(/^No refit yet: latent-lab refit "tiny"/m);
    const sqlite = new Database(db, { readonly: true });
    const trialCount = (): number => (sqlite.prepare('SELECT COUNT(*) AS n FROM trials').get() as { n: number }).n;
    const trialsBefore = trialCount();

    // Mistakes store nothing.
    const missing = cli(['refit', 'tiny', '--trial', '99']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Study "tiny" has no trial #99; its trials are numbered 0 to 3\./);
    expect(cli(['refit', 'nope']).stderr).toMatch(/No study named "nope"/);
    const zero = cli(['refit', 'tiny', '--epochs', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/A refit needs 1 to 1000 epochs; 0 was given\./);
    expect(trialCount()).toBe(trialsBefore);

    const bundle = path.join(tmp, 'refit-bundle');
    const r = cli(['refit', 'tiny', '--epochs', '3', '--out', bundle]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Refit of "tiny" trial #${bestLine![1]}: dense, code [2-6], 3 epochs on the training \\+ validation images`, 'm'));
    expect(r.stdout.match(/^epoch +\d\/3 /gm)).toHaveLength(3);
    const refitId = Number(/^Refit COMPLETE: trial (\d+)\.$/m.exec(r.stdout)?.[1]);
    expect(refitId).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/Refit: the autoencoder learned from \d+ training \+ \d+ validation images/);
    expect(r.stdout).toMatch(/^Verdict on test \(\d+ images/m);
    expect(r.stdout).toMatch(new RegExp(`^  test accuracy: the refit of trial #${bestLine![1]} \\([2-6] features\\)`, 'm'));

    // The search is untouched: same trials, same best, and the refit is a trial of the Refits study.
    const after = cli(['show', 'tiny']);
    expect(/^Best: trial #(\d+) \(id (\d+)\)/m.exec(after.stdout)?.slice(1)).toEqual(bestLine!.slice(1));
    expect(after.stdout).toMatch(new RegExp(`^  trial ${refitId}: of #${bestLine![1]}, 3 epochs, COMPLETE$`, 'm'));
    expect(after.stdout).toMatch(new RegExp(`^Refit trial ${refitId}:$`, 'm'));
    expect(cli(['studies']).stdout).toMatch(/^tiny\t4\t4 COMPLETE\t/m);
    const study = (id: number): string => (sqlite.prepare('SELECT s.name FROM trials t JOIN studies s ON s.id = t.study_id WHERE t.id = ?').get(id) as { name: string }).name;
    expect(study(refitId)).toBe('Refits');
    expect(trialCount()).toBe(trialsBefore + 1);
    // Judged on the very test images of the chosen trial.
    const testRows = (id: number): number[] => (JSON.parse((sqlite.prepare("SELECT value_json FROM trial_attrs WHERE trial_id = ? AND key = 'testPredictions'").get(id) as { value_json: string }).value_json) as { rows: number[] }).rows;
    expect(testRows(refitId)).toEqual(testRows(Number(bestLine![2])));
    sqlite.close();

    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as {
      refit: { study: string; trialNumber: number; trainedOn: string; images: number; epochs: number } | null;
      dataset: { images: number };
      trial: { epochs: number };
      metrics: { verdict: { trialId: number; testImages: number; comparisons: Array<{ baseline: string }>; summary: string[] } | null };
    };
    expect(manifest.refit).toEqual({ study: 'tiny', trialNumber: Number(bestLine![1]), trainedOn: 'training + validation', images: manifest.dataset.images - manifest.metrics.verdict!.testImages, epochs: 3 });
    expect(manifest.trial.epochs).toBe(3);
    expect(manifest.metrics.verdict?.trialId).toBe(refitId);
    expect(manifest.metrics.verdict?.comparisons.map((c) => c.baseline)).toEqual(['raw', 'pca']);
    expect(manifest.metrics.verdict?.summary[1]).toMatch(new RegExp(`^  test accuracy: the refit of tiny trial #${bestLine![1]} `));
  }, 180_000);

  it('refuses a second study of the same name, and resume stops at the budget', () => {
    const again = cli(['search', '--spec', specFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists: resume it/);
    const resume = cli(['resume', 'tiny']);
    expect(resume.code).toBe(0);
    expect(resume.stdout).toMatch(/Stopped: the trial budget is used/);
    expect(cli(['resume', 'nope']).stderr).toMatch(/No study named "nope"/);
  });

  it('Ctrl+C pauses: the running trial finishes, no new one starts, and it says how to resume', async () => {
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as { name: string; parallel: number; searchSpace: { params: Array<{ name: string; value?: unknown }> } };
    spec.name = 'interrupted';
    spec.parallel = 1;
    for (const p of spec.searchSpace.params) if (p.name === 'epochs') p.value = 40;
    const file = path.join(tmp, 'interrupted.json');
    fs.writeFileSync(file, JSON.stringify(spec));
    const child = spawn(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), 'search', '--spec', file, '--db', db, '--data-dir', path.join(tmp, 'home')], { cwd: root });
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // The first trial has finished, so the second is running now.
      if (!interrupted && /^\[1\/4\]/m.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stdout).toMatch(/Pausing: the running trials finish/);
    expect(stdout).toMatch(/Stopped: paused\. 2 COMPLETE/);
    expect(stdout).toMatch(/Resume with: latent-lab resume interrupted/);
    expect(code).toBe(130);
  });
});
