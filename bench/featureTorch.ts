// bench/featureQuality.ts --torch: the established tools on exactly the study's split. Writes the folder's pixels
// (our loader's order), labels and the study's own split (stratifiedSplit3 with the spec's fractions and seed, as
// every trial and the baselines compute it) for bench/feature_torch.py, and returns its figures as lines to print.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/core/data/load';
import { readAll } from '../src/core/data/imageRows';
import { stratifiedSplit3 } from '../src/core/evaluation/split';
import { StudySpec, type StudySpecInput } from '../src/shared/study/spec';
import { ONE_THREAD_ENV, PYTHON, torchMissing } from './python';

interface TorchResult {
  features: string;
  dim: number;
  test: number;
  C: number;
  val?: number;
  epochs?: number;
  seconds?: number;
}

export async function torchOnSameSplit(input: StudySpecInput, dir: string, latent: number, epochs: number, seeds: number[]): Promise<string[]> {
  const missing = torchMissing(['sklearn']);
  if (missing) return [`PyTorch on the same split skipped: ${missing}`];
  const spec = StudySpec.parse(input);
  const { dataset } = spec;
  if (dataset.channels !== 1) return ['PyTorch on the same split skipped: feature_torch.py takes one-channel images'];
  const ds = await loadDataset(dataset.path, { size: dataset.imageSize, channels: 1 });
  const split = stratifiedSplit3(ds.labels, dataset.valFraction, dataset.testFraction, spec.seed);
  const part = new Uint8Array(ds.labels.length);
  for (const i of split.val) part[i] = 1;
  for (const i of split.test) part[i] = 2;
  const out = fs.mkdtempSync(path.join(dir, 'torch-'));
  fs.writeFileSync(path.join(out, 'pixels.u8'), readAll(ds.images));
  fs.writeFileSync(path.join(out, 'labels.i32'), new Uint8Array(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
  fs.writeFileSync(path.join(out, 'part.u8'), part);
  const script = fileURLToPath(new URL('./feature_torch.py', import.meta.url));
  const args = [script, '--dir', out, '--epochs', String(epochs), '--seeds', seeds.join(','), '--latent', String(latent)];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', env: ONE_THREAD_ENV, maxBuffer: 1 << 20 });
  fs.rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) return [`PyTorch on the same split failed: ${(r.stderr || String(r.error)).trim().split('\n').at(-1)}`];
  const results = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as TorchResult);
  const lines = [`PyTorch and scikit-learn on the same split (bench/feature_torch.py: same ${split.test.length} test images, probe with C by 3-fold CV on standardised training features):`];
  for (const x of results) {
    const trained = x.epochs !== undefined ? `, ${x.epochs} epochs in ${x.seconds} s, validation ${x.val?.toFixed(3)}` : '';
    const label = x.features.startsWith('PCA') ? x.features : `${x.features} (${x.dim})`;
    lines.push(`  ${label}: test ${x.test.toFixed(3)} (C ${x.C}${trained})`);
  }
  return lines;
}
