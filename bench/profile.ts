// Where a training step's time goes: tf.profile over 10 steps of a reference model on the wasm backend, kernel
// time per step by kernel name (largest first), next to the wall time per step. Finds the next kernel to fix.
//   node --import tsx bench/profile.ts [--model dense|conv] [--params '{"filters":[32,64],"batchNorm":true}'] [--no-fma]
// --params overrides the reference model's parameters (e.g. the feature-learner template's choices).
import * as tf from '@tensorflow/tfjs';
import { buildAutoencoder } from '../src/core/model';
import type { AutoencoderParams } from '../src/shared/dto';
import { selectBackend } from '../src/core/training/backend';
import { batchLoss } from '../src/core/training/fit';
import { createOptimizer } from '../src/core/training/optimizer';
import { REFERENCE_MODELS } from './train';
import { rerunWithTrainerFlags } from '../src/cli/rerun';

const STEPS = 10;

async function main(): Promise<void> {
  const i = process.argv.indexOf('--model');
  const model = (i > 0 ? process.argv[i + 1] : 'dense') as 'dense' | 'conv';
  const info = await selectBackend('wasm');
  const j = process.argv.indexOf('--params');
  const p = { ...REFERENCE_MODELS[model], ...(j > 0 ? (JSON.parse(process.argv[j + 1]) as Partial<AutoencoderParams>) : {}) };
  const ae = buildAutoencoder(p, { width: 28, height: 28, channels: 1 }, p.seed);
  const optimizer = createOptimizer(p);
  const train = tf.randomUniform([1024, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
  const step = (s: number): void => {
    const idx = Array.from({ length: p.batchSize }, (_, r) => (s * p.batchSize + r) % 1024);
    const loss = tf.tidy(() => {
      const xb = tf.gather(train, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
      return optimizer.minimize(() => batchLoss(ae, xb, true, s), true, ae.trainableVariables) as tf.Scalar;
    });
    loss.dataSync();
    loss.dispose();
  };
  for (let s = 0; s < 10; s++) step(s);
  const t0 = performance.now();
  for (let s = 0; s < 30; s++) step(s);
  const wall = (performance.now() - t0) / 30;
  const profile = await tf.profile(() => {
    for (let s = 0; s < STEPS; s++) step(s);
  });
  const byName = new Map<string, number>();
  for (const k of profile.kernels) {
    // Op wrappers (name__op) contain the kernels they call; counting both would count their time twice.
    if (k.name.endsWith('__op')) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, (byName.get(k.name) ?? 0) + ms / STEPS);
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log(`${info.note}; ${model}${j > 0 ? ` ${process.argv[j + 1]}` : ''}, batch ${p.batchSize}: wall ${wall.toFixed(2)} ms/step (${((p.batchSize / wall) * 1000).toFixed(0)} samples/s), kernels ${total.toFixed(2)} ms/step`);
  console.log('| kernel | ms/step | share |');
  console.log('|---|---|---|');
  for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`| ${name} | ${ms.toFixed(3)} | ${((100 * ms) / total).toFixed(1)}% |`);
  tf.dispose([train]);
  optimizer.dispose();
  ae.dispose();
}

await rerunWithTrainerFlags();
await main();
