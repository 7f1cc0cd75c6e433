// Where a study trial's time goes, phase by phase, in one process on one thread (not a test): the phases of
// runTrial (dataset from the cache, training, encoding every image, the probe's evaluation, the stored bundle,
// latents and explorer points) and of the study around it (the PCA baseline after a trial of a new code size,
// the raw-pixel baseline once per study), on the 8,000 Fashion-MNIST images of bench/studyTime.ts.
//   node --experimental-wasm-relaxed-simd --import tsx bench/trialPhases.ts [--epochs 6] [--no-raw] [--arch conv,dense]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../src/core/data/load';
import { forEachChunk64 } from '../src/core/data/imageRows';
import type { LoadedDataset } from '../src/core/data/types';
import { maxPcaDim, pcaBaseline, rawPixelBaseline, type BaselineData } from '../src/core/evaluation/baselines';
import { classifyAndScore } from '../src/core/evaluation/probes/index';
import { fitPca } from '../src/core/evaluation/projection/pca';
import { stratifiedSplit3 } from '../src/core/evaluation/split';
import { featuresCsv, saveLayersModel } from '../src/core/export/encoderBundle';
import { buildAutoencoder } from '../src/core/model';
import { evaluateTrial } from '../src/core/trainer/evaluateTrial';
import { explorerPoints } from '../src/core/trainer/explorerPoints';
import { encodeImages } from '../src/core/trainer/encodeImages';
import { selectBackend, setTrainingThreads } from '../src/core/training/backend';
import { fitAutoencoder, imageSource } from '../src/core/training/fit';
import { createOptimizer } from '../src/core/training/optimizer';
import { paramsFromSample } from '../src/shared/study/templates';
import type { JsonValue } from '../src/core/storage/types';
import { writeFashionFolder } from './fashionMnist';

const argOf = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const EPOCHS = Number(argOf('epochs', '6'));
const ARCHS = argOf('arch', 'conv,dense').split(',') as Array<'conv' | 'dense'>;
const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

// Wall and CPU seconds per phase: under other engineers' load the CPU time of this (single-threaded) process
// is the steadier figure.
const rows: Array<[string, string, number, number]> = [];
async function phase<T>(scope: string, name: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await fn();
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  rows.push([scope, name, s, cpu]);
  console.log(`${scope.padEnd(14)} ${name.padEnd(44)} ${s.toFixed(2).padStart(7)} s wall ${cpu.toFixed(2).padStart(7)} s cpu   (load ${load()})`);
  return out;
}


function studyPixels(ds: LoadedDataset, split: { train: Int32Array; val: Int32Array; test: Int32Array }): BaselineData {
  const d = ds.images.rowLength;
  const set = (idx: Int32Array): BaselineData['train'] => {
    const data = new Float64Array(idx.length * d);
    forEachChunk64(ds.images, idx, 256, (values, start) => data.set(values, start * d));
    return { x: { data, rows: idx.length, cols: d }, y: Int32Array.from(idx, (i) => ds.labels[i]) };
  };
  return { train: set(split.train), val: set(split.val), test: set(split.test) };
}

async function main(): Promise<void> {
  const folder = writeFashionFolder(path.join(os.tmpdir(), 'latent-lab-bench-fashion-800'), 800);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'll-phases-'));
  const cacheDir = path.join(home, 'cache');
  console.log(`trial phases on 8,000 Fashion-MNIST images, ${EPOCHS} epochs, one thread; ${os.cpus().length} cores; load ${load()}\n`);
  try {
    const backend = await phase('process', 'backend (tfjs + wasm load)', () => selectBackend());
    await setTrainingThreads(1);
    console.log(`backend ${backend.note}`);
    await phase('study', 'decode folder into the cache (first load)', async () => (await loadDataset(folder, { size: 28, channels: 1, cacheDir })).images.close());
    const probe = { kind: 'logistic' as const };
    let pixels: BaselineData | null = null;
    for (const arch of ARCHS) {
      const sample: Record<string, JsonValue> = arch === 'conv'
        ? { architecture: 'conv', filters: [16, 32], latentSize: 32, activation: 'relu', learningRate: 1e-3, batchSize: 128, epochs: EPOCHS }
        : { architecture: 'dense', hiddenUnits: [256, 64], latentSize: 32, activation: 'relu', learningRate: 1e-3, batchSize: 128, epochs: EPOCHS };
      const p = paramsFromSample(sample, { imageSize: 28, channels: 1, valFraction: 0.15, seed: 1 });
      const scope = `trial ${arch}`;
      const ds = await phase(scope, 'dataset from the cache', () => loadDataset(folder, { size: 28, channels: 1, cacheDir }));
      const split = stratifiedSplit3(ds.labels, p.valFraction, 0.125, p.seed);
      const ae = buildAutoencoder(p, { width: 28, height: 28, channels: 1 }, p.seed);
      const optimizer = createOptimizer(p);
      const outcome = await phase(scope, `training (${EPOCHS} epochs, ${split.train.length} images)`, () =>
        fitAutoencoder({ ae, optimizer, train: imageSource(ds.images, split.train), val: imageSource(ds.images, split.val), batchSize: p.batchSize, epochs: p.epochs, seed: p.seed }),
      );
      optimizer.dispose();
      const last = outcome.epochs.at(-1);
      const k = ae.latentSize;
      const codes = await phase(scope, 'encode every image', () => encodeImages(ae, ds));
      const opts = { objectives: { objectives: [{ name: 'val_accuracy' as const }], primary: 0 }, probe, testFraction: 0.125 };
      const judged = await phase(scope, 'evaluateTrial (probe CV + fit + scores)', () => evaluateTrial(ds, split, codes, k, { mse: last?.valMse ?? 0 }, opts));
      console.log(`${''.padEnd(14)} val accuracy ${judged.values[0].toFixed(4)}, C ${judged.evaluation.probe?.value}`);
      const dir = path.join(home, `trial-${arch}`);
      fs.mkdirSync(dir, { recursive: true });
      await phase(scope, 'encoder model files', () => saveLayersModel(ae.encoder, dir));
      const labels = Array.from(ds.labels, (l) => (l >= 0 ? ds.classes[l] : null));
      await phase(scope, 'features.csv (format + write)', () => fs.writeFileSync(path.join(dir, 'features.csv'), featuresCsv(ds.files, labels, codes, k)));
      const latentRows = Array.from({ length: Math.min(2000, split.val.length) }, (_, i) => split.val[i]);
      await phase(scope, 'latents.json', () =>
        fs.writeFileSync(path.join(dir, 'latents.json'), JSON.stringify({ latentSize: k, codes: latentRows.map((r) => Array.from(codes.subarray(r * k, (r + 1) * k))) })),
      );
      await phase(scope, 'explorer points', () => {
        const e = explorerPoints(ae, ds, latentRows, codes, judged.valPredictions);
        fs.writeFileSync(path.join(dir, 'points.json'), JSON.stringify(e.points));
        fs.writeFileSync(path.join(dir, 'points.bin'), e.images);
      });
      if (!pixels) {
        pixels = await phase('study', 'baseline pixels as float64', () => studyPixels(ds, split));
        const px = pixels;
        const model = await phase('study', 'PCA fit (64 components, once)', () => fitPca(px.train.x, Math.min(64, maxPcaDim(px.train.x)), { seed: 1 }));
        for (const size of [16, 32, 64]) await phase('study', `PCA(${size}) baseline probe`, () => pcaBaseline(px, model, size, probe));
        if (!process.argv.includes('--no-raw')) {
          const raw = await phase('study', 'raw-pixel baseline (784-d probe)', () => rawPixelBaseline(px, probe));
          console.log(`${''.padEnd(14)} raw pixels: val accuracy ${raw.val.accuracy.toFixed(4)}, C ${raw.setting.value}`);
          // The probe's share: cross-validation + final fit against one fit at the chosen C.
          const fixed = { kind: 'logistic' as const, C: raw.setting.value };
          await phase('study', `raw-pixel probe at C=${raw.setting.value} only (no CV)`, () => classifyAndScore(px.train.x, px.train.y, [px.val], fixed));
        }
      }
      ae.dispose();
      ds.images.close();
    }
    const byScope = new Map<string, [number, number]>();
    for (const [scope, , s, cpu] of rows) {
      const [w, c] = byScope.get(scope) ?? [0, 0];
      byScope.set(scope, [w + s, c + cpu]);
    }
    console.log('\n| scope | wall s | cpu s |\n|---|---|---|');
    for (const [scope, [w, c]] of byScope) console.log(`| ${scope} | ${w.toFixed(1)} | ${c.toFixed(1)} |`);
    console.log(`\nload average at the end ${load()}; tensors left ${tf.memory().numTensors}`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
