// Runs the real CLI (a child process, as a user would) on a tiny generated folder, then checks the trial
// database rows and the export; the exported encoder, loaded with plain @tensorflow/tfjs, must reproduce
// features.csv.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLayersModel } from '../../src/core/export/encoderBundle';
import { loadDataset } from '../../src/core/data/load';
import { readAll } from '../../src/core/data/imageRows';
import { trainerV8Flags } from '../../src/core/trainer/nodeSpawn';
import { hasRelaxedSimd } from '../../src/core/training/wasmKernels/loops';

const root = path.resolve(__dirname, '../..');
let tmp: string;
let dataDir: string;
let imageDir: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LATENT_LAB_HOME: dataDir, LATENT_LAB_DB: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-cli-'));
  dataDir = path.join(tmp, 'home');
  imageDir = path.join(tmp, 'images');
  for (const [cls, base] of [['circles', 40], ['squares', 200]] as const) {
    fs.mkdirSync(path.join(imageDir, cls), { recursive: true });
    for (let i = 0; i < 12; i++) {
      const px = Buffer.alloc(8 * 8, 0).map((_, j) => (base + i * 3 + (j % 8) * 2) % 256);
      await sharp(px, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(path.join(imageDir, cls, `${i}.png`));
    }
  }
  fs.writeFileSync(path.join(imageDir, 'circles', 'broken.png'), 'not a png at all');
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('latent-lab train (CLI)', () => {
  it('trains, stores the trial and exports an encoder that reproduces features.csv', async () => {
    const exportDir = path.join(tmp, 'export');
    const db = path.join(tmp, 'trials.sqlite');
    const r = cli(['train', '--data', imageDir, '--image-size', '8', '--latent', '3', '--hidden', '16', '--epochs', '2', '--batch-size', '8', '--seed', '5', '--db', db, '--export', exportDir]);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Dataset: 24 images, 2 classes, 1 unreadable/);
    expect(r.stdout).toMatch(/skipped circles\/broken\.png/);
    expect(r.stdout.match(/^epoch +\d+\/2 +train_loss [\d.e-]+ +val_loss [\d.e-]+ .* samples\/s$/gm)).toHaveLength(2);
    expect(r.stdout).toMatch(/COMPLETE/);
    // Trains with the V8 flags trainer processes get (it runs itself again with them): FMA where this Node can.
    if (!/Backend: native/.test(r.stdout)) {
      const fma = hasRelaxedSimd() || (process.platform !== 'win32' && trainerV8Flags().length > 0);
      expect(r.stdout).toMatch(fma ? /Backend: wasm \(WebAssembly, SIMD \+ FMA\)/ : /Backend: wasm \(WebAssembly, SIMD\)/);
    }

    const conn = new Database(db, { readonly: true });
    const trial = conn.prepare('SELECT * FROM trials').get() as Record<string, unknown>;
    expect(trial).toMatchObject({ state: 'COMPLETE', seed: 5, dataset_path: imageDir, fail_reason: null });
    expect(['wasm', 'tensorflow', 'cpu']).toContain(trial.backend);
    const params = Object.fromEntries(
      (conn.prepare('SELECT name, value_json FROM trial_params WHERE trial_id = ?').all(trial.id) as Array<{ name: string; value_json: string }>).map((p) => [p.name, JSON.parse(p.value_json)]),
    );
    expect(params).toMatchObject({ latentSize: 3, hiddenUnits: [16], epochs: 2, batchSize: 8, imageSize: 8, seed: 5 });
    const metrics = conn.prepare('SELECT step, name, value FROM trial_metrics WHERE trial_id = ? ORDER BY step').all(trial.id) as Array<{ step: number; name: string }>;
    expect(new Set(metrics.map((m) => m.step))).toEqual(new Set([1, 2]));
    expect(new Set(metrics.map((m) => m.name))).toEqual(new Set(['epoch', 'trainLoss', 'valLoss', 'valMse', 'seconds', 'samplesPerSec']));
    const versions = JSON.parse((conn.prepare("SELECT value_json FROM trial_attrs WHERE key = 'versions'").get() as { value_json: string }).value_json);
    expect(versions).toMatchObject({ app: '0.1.0', tfjs: '4.22.0', backend: trial.backend });
    conn.close();

    for (const f of ['model.json', 'weights.bin', 'manifest.json', 'features.csv']) expect(fs.existsSync(path.join(exportDir, f))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(exportDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      formatVersion: 2,
      appVersion: '0.1.0',
      trial: { seed: 5, backend: trial.backend, architecture: 'dense' },
      input: { width: 8, height: 8, channels: 1, tensorShape: [-1, 8, 8, 1] },
      model: { inputShape: [-1, 64], outputShape: [-1, 3] },
      output: { codeSize: 3 },
    });

    const lines = fs.readFileSync(path.join(exportDir, 'features.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,label,z_0,z_1,z_2');
    expect(lines).toHaveLength(25);
    const rows = new Map(lines.slice(1).map((l) => {
      const [file, label, ...z] = l.split(',');
      return [file, { label, z: z.map(Number) }];
    }));
    expect(rows.get('squares/3.png')?.label).toBe('squares');

    // The test process uses plain @tensorflow/tfjs (its cpu backend), not the trainer's backend.
    await tf.setBackend('cpu');
    const encoder = await loadLayersModel(exportDir);
    expect(encoder.outputs[0].shape).toEqual([null, 3]);
    const ds = await loadDataset(imageDir, { size: 8, channels: 1 });
    const x = tf.tensor2d(Float32Array.from(readAll(ds.images), (v) => v / 255), [ds.files.length, 64]);
    const z = (encoder.predict(x) as tf.Tensor).arraySync() as number[][];
    let maxErr = 0;
    ds.files.forEach((file, i) => {
      const expected = rows.get(file)?.z ?? [];
      z[i].forEach((v, j) => (maxErr = Math.max(maxErr, Math.abs(v - expected[j]) / Math.max(1, Math.abs(v)))));
    });
    expect(maxErr).toBeLessThan(1e-5);
  });

  // 'group' is a terminal's Ctrl+C (the whole foreground process group), 'process' a `kill -INT <pid>`.
  it.each(process.platform === 'win32' ? (['process'] as const) : (['process', 'group'] as const))('Ctrl+C cancels the trial cleanly (exit 130, stored CANCELLED), also through the re-run with V8 flags: SIGINT to the %s', async (target) => {
    const db = path.join(tmp, `sigint-${target}.sqlite`);
    const child = spawn(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), 'train', '--data', imageDir, '--image-size', '8', '--latent', '2', '--hidden', '8', '--epochs', '500', '--batch-size', '4', '--db', db], {
      cwd: root,
      env: { ...process.env, LATENT_LAB_HOME: dataDir, LATENT_LAB_DB: '' },
      detached: target === 'group',
    });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && /^epoch +1\/500/m.test(stdout)) {
        sent = true;
        if (target === 'group') process.kill(-(child.pid as number), 'SIGINT');
        else child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stdout).toBe(130);
    expect(stdout).toMatch(/Trial \d+ CANCELLED/);
    const conn = new Database(db, { readonly: true });
    expect((conn.prepare('SELECT state FROM trials').get() as { state: string }).state).toBe('CANCELLED');
    conn.close();
  });

  it('lists and shows the stored trial', () => {
    const db = path.join(tmp, 'trials.sqlite');
    const list = cli(['trials', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Manual trials\t0\tCOMPLETE\tdense\t/);
    const show = cli(['trial', '1', '--db', db]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^2\t/m);
  });

  it('documents every flag in --help', () => {
    const r = cli(['train', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--data', '--sample', '--like', '--arch', '--set', '--latent', '--hidden', '--activation', '--output-activation', '--optimizer', '--lr', '--batch-size', '--epochs', '--image-size', '--rgb', '--val-fraction', '--seed', '--export', '--db', '--data-dir', '--backend']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it.each([
    [['train', '--data', '/no/such/folder'], /does not exist|not found/i],
    [['train', '--data', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['train', '--data', 'x', '--latent', 'abc'], /--latent expects a number/],
    [['train', '--data', 'x', '--activation', 'swish'], /--activation/],
    [['train'], /--data <folder>/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('exits 2 with one clear line for %j', (args, message) => {
    const r = cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
