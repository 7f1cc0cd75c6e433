// Exports of every architecture: the manifest validates against the shipped JSON Schema and lists only the
// active parameters; encoder.onnx (run by ONNX Runtime) matches TensorFlow.js to 1e-5; the NPY files hold
// features.csv's values (our reader, and numpy's when python3 has it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutoencoderParams } from '../../src/shared/dto';
import { readAll } from '../../src/core/data/imageRows';
import { loadDataset } from '../../src/core/data/load';
import { encodeAll, loadLayersModel } from '../../src/core/export/encoderBundle';
import { BUNDLE_FILES, exportTrial, parseFeaturesCsv } from '../../src/core/export/exportBundle';
import { decodeNpy, encodeNpy } from '../../src/core/export/npy';
import { IMAGE_KINDS, makeWorkspace, trainTrial, type Workspace } from './fixtures';
import { findPython } from './python';

let ws: Workspace;
const trials = new Map<string, number>();
const exported = new Map<string, Awaited<ReturnType<typeof exportTrial>>>();
const outFolder = (name: string): string => path.join(ws.tmp, 'out', name.replace(/\W+/g, '-'));
const CASES: Array<[string, AutoencoderParams['architecture'], Record<string, unknown>]> = [
  ['dense', 'dense', {}],
  ['dense bn+leakyRelu+dropout', 'dense', { batchNorm: true, activation: 'leakyRelu', dropout: 0.2 }],
  ['conv', 'conv', { filters: [4, 6], activation: 'elu' }],
  ['conv bn', 'conv', { filters: [4], batchNorm: true, activation: 'tanh', channels: 1 }],
  ['denoising', 'denoising', { noiseLevel: 0.1 }],
  ['sparse', 'sparse', { l1: 1e-3, activation: 'sigmoid' }],
  ['variational', 'variational', { klBeta: 0.5 }],
];

beforeAll(async () => {
  ws = await makeWorkspace();
  for (const [name, architecture, extra] of CASES) {
    const trialId = await trainTrial(ws, { architecture, ...extra });
    trials.set(name, trialId);
    exported.set(name, await exportTrial({ storage: ws.storage, trialId, folder: outFolder(name), locations: ws.locations }));
  }
}, 600_000);

afterAll(() => ws?.close());

describe('encoder bundle', () => {
  it('validates every export against manifest.schema.json and lists only the active parameters', () => {
    for (const [name, architecture] of CASES) {
      const folder = outFolder(name);
      const r = exported.get(name) as Awaited<ReturnType<typeof exportTrial>>;
      expect(r.folder).toBe(folder);
      expect(fs.readdirSync(folder).sort()).toEqual([...BUNDLE_FILES].sort());
      expect(r.files.map((f) => path.basename(f)).sort()).toEqual([...BUNDLE_FILES].sort());
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
      const schema = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.schema.json'), 'utf8'));
      const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
      expect(validate(manifest), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      // A manifest with an unknown key or a wrong type does not validate: the schema is not a formality.
      expect(validate({ ...manifest, surprise: 1 })).toBe(false);
      expect(validate({ ...manifest, input: { ...manifest.input, channels: 2 } })).toBe(false);

      expect(manifest.trial.architecture).toBe(architecture);
      const keys = Object.keys(manifest.trial.params);
      expect(keys.includes('klBeta'), name).toBe(architecture === 'variational');
      expect(keys.includes('l1'), name).toBe(architecture === 'sparse');
      expect(keys.includes('noiseLevel'), name).toBe(architecture === 'denoising');
      expect(keys.includes('filters'), name).toBe(architecture === 'conv');
      expect(keys.includes('hiddenUnits'), name).toBe(architecture !== 'conv');
      expect(keys.includes('momentum'), name).toBe(false);
      expect(manifest.study).toMatchObject({ name: 'Manual trials', specHash: null });
      expect(manifest.study.objectives[0]).toMatchObject({ name: 'val_recon', direction: 'minimize' });
      expect(manifest.study.objectives[0].value).toBeGreaterThan(0);
      expect(manifest.metrics.validation.val_accuracy).toBeGreaterThanOrEqual(0);
      expect(manifest.dataset.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(manifest.output.meaning).toMatch(architecture === 'variational' ? /mean of q\(z\|x\)/ : /bottleneck/);
      expect(manifest.input).toMatchObject({ pipeline: 'latent-lab-preprocess/1', width: 8, height: 8, resize: { fit: 'cover', kernel: 'area' } });
    }
  });

  it('encoder.onnx in ONNX Runtime gives the TensorFlow.js codes to 1e-5, every architecture', async () => {
    ort.env.wasm.numThreads = 1;
    const report: string[] = [];
    for (const [name] of CASES) {
      const folder = outFolder(name);
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
      const ds = await loadDataset(ws.images, { size: manifest.input.width, channels: manifest.input.channels, cacheDir: ws.locations.cacheDir });
      const d = ds.width * ds.height * ds.channels;
      const x = Float32Array.from(readAll(ds.images), (v) => v / 255);
      ds.images.close();
      const model = await loadLayersModel(folder);
      const input = tf.tensor2d(x, [ds.files.length, d]);
      const expected = encodeAll(model, input);
      input.dispose();
      model.dispose();
      const session = await ort.InferenceSession.create(fs.readFileSync(path.join(folder, 'encoder.onnx')));
      const out = await session.run({ [manifest.model.onnx.input]: new ort.Tensor('float32', x, [ds.files.length, d]) });
      const got = out[manifest.model.onnx.output].data as Float32Array;
      expect(got.length).toBe(expected.length);
      let diff = 0;
      for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
      report.push(`${name}: ${diff.toExponential(2)}`);
      expect(diff, name).toBeLessThan(1e-5);
      // features.csv is what the stored encoder gave at training time: the same codes.
      const csv = parseFeaturesCsv(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8'), manifest.output.codeSize, manifest.dataset.classes);
      expect(csv.files).toEqual(ds.files);
      let csvDiff = 0;
      for (let i = 0; i < got.length; i++) csvDiff = Math.max(csvDiff, Math.abs(csv.features[i] - expected[i]));
      expect(csvDiff, name).toBeLessThan(1e-5);
      await session.release();
    }
    console.log(`ONNX Runtime vs TensorFlow.js, max abs difference: ${report.join('; ')}`);
  });

  it('writes NPY files our reader and numpy read back as features.csv', () => {
    const folder = outFolder('dense');
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    const csv = parseFeaturesCsv(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8'), manifest.output.codeSize, manifest.dataset.classes);
    const features = decodeNpy(fs.readFileSync(path.join(folder, 'features.npy')));
    const labels = decodeNpy(fs.readFileSync(path.join(folder, 'labels.npy')));
    expect(features).toMatchObject({ dtype: '<f4', shape: [csv.files.length, 3] });
    expect(Array.from(features.data)).toEqual(Array.from(csv.features));
    expect(labels).toMatchObject({ dtype: '<i4', shape: [csv.files.length] });
    expect(Array.from(labels.data)).toEqual(Array.from(csv.labels));
    expect(fs.readFileSync(path.join(folder, 'files.txt'), 'utf8').split('\n').slice(0, -1)).toEqual(csv.files);
    expect(fs.readFileSync(path.join(folder, 'classes.txt'), 'utf8')).toBe('a\nb\n');
    // Header padding: data starts at a multiple of 64 bytes; a 1-D shape is written "(n,)".
    const one = encodeNpy({ dtype: '<i4', data: Int32Array.from([1, 2, 3]), shape: [3] });
    expect((one.length - 12) % 64).toBe(0);
    expect(new TextDecoder().decode(one.subarray(10, 70))).toMatch(/'shape': \(3,\)/);
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3]))).toThrow(/not a \.npy/);
  });

  it.skipIf(!findPython(['numpy', 'PIL']))('a Python client written from the manifest alone reproduces features.csv to 1e-4 on every kind of image', () => {
    const python = findPython(['numpy', 'PIL']) as string;
    const client = path.join(__dirname, 'python', 'reference_client.py');
    const lines: string[] = [];
    for (const name of ['dense', 'conv bn', 'variational']) {
      const folder = outFolder(name);
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
      const outCsv = path.join(ws.tmp, `client-${name.replace(/\W+/g, '-')}.csv`);
      const r = spawnSync(python, [client, folder, outCsv], { encoding: 'utf8', timeout: 120_000, cwd: ws.tmp });
      expect(r.status, r.stderr).toBe(0);
      const k = manifest.output.codeSize;
      const ours = parseFeaturesCsv(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8'), k, manifest.dataset.classes);
      const theirs = fs.readFileSync(outCsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      expect(theirs.map((f) => f[0])).toEqual(ours.files);
      const worst = new Map<string, number>();
      theirs.forEach((f, i) => {
        const kind = path.basename(f[0]).replace(/-\d+\.\w+$/, '');
        for (let j = 0; j < k; j++) worst.set(kind, Math.max(worst.get(kind) ?? 0, Math.abs(Number(f[j + 1]) - ours.features[i * k + j])));
      });
      expect(worst.size).toBe(IMAGE_KINDS.length);
      for (const [kind, d] of worst) expect(d, `${name} (${manifest.input.colour}): ${kind}`).toBeLessThan(1e-4);
      lines.push(`${name} (${manifest.input.colour}): ${[...worst].map(([kind, d]) => `${kind} ${d.toExponential(1)}`).join(', ')}`);
    }
    console.log(`Python client vs features.csv, max abs difference per image kind:\n${lines.join('\n')}`);
  });

  it.skipIf(!findPython(['numpy']))('numpy.load opens the NPY files without pickle', () => {
    const folder = outFolder('dense');
    const script = [
      'import sys, json, numpy as np',
      'f = np.load(sys.argv[1] + "/features.npy", allow_pickle=False)',
      'l = np.load(sys.argv[1] + "/labels.npy", allow_pickle=False)',
      'print(json.dumps({"dtype": str(f.dtype), "shape": list(f.shape), "ldtype": str(l.dtype), "sum": float(f.astype(np.float64).sum()), "labels": l.tolist()}))',
    ].join('\n');
    const r = spawnSync(findPython(['numpy']) as string, ['-c', script, folder], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout);
    const features = decodeNpy(fs.readFileSync(path.join(folder, 'features.npy')));
    const labels = decodeNpy(fs.readFileSync(path.join(folder, 'labels.npy')));
    expect(got).toMatchObject({ dtype: 'float32', shape: features.shape, ldtype: 'int32', labels: Array.from(labels.data) });
    expect(got.sum).toBeCloseTo(Array.from(features.data).reduce((a, b) => a + b, 0), 4);
  });
});
