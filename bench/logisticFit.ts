// CPU seconds of one logistic probe fit (default config: standardised, C by 3-fold CV over the 6-value grid) on
// 64-d random-projection features of Fashion-MNIST images, and a hash of the fitted weights (bit-identity checks).
// Run: node --import tsx bench/logisticFit.ts [--perClass 595] [--dim 64] [--runs 3]
// The hash changes with any bit of the weights: a kernel change meant to keep results bit for bit must keep it.
import { createHash } from 'node:crypto';
import { fashionImages } from './fashionMnist';
import { fitLogistic } from '../src/core/evaluation/probes/logistic';
import { createRng } from '../src/shared/rng';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const perClass = arg('perClass', 595);
const dim = arg('dim', 64);
const runs = arg('runs', 3);
const { pixels, labels } = fashionImages(perClass);
const n = labels.length;
const rng = createRng(7);
const proj = Float64Array.from({ length: 784 * dim }, () => rng.normal() / Math.sqrt(784));
const data = new Float64Array(n * dim);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < dim; j++) {
    let s = 0;
    for (let p = 0; p < 784; p++) s += (pixels[i * 784 + p] / 255) * proj[p * dim + j];
    data[i * dim + j] = Math.tanh(s); // bounded, code-like features
  }
}
const x = { data, rows: n, cols: dim };
for (let r = 0; r < runs; r++) {
  const t0 = process.cpuUsage();
  const w0 = performance.now();
  const m = fitLogistic(x, labels);
  const cpu = process.cpuUsage(t0);
  const wall = performance.now() - w0;
  const hash = createHash('sha256').update(Buffer.from(m.weights.buffer)).update(Buffer.from(m.intercepts.buffer)).digest('hex').slice(0, 16);
  console.log(`n ${n} d ${dim}: cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s, wall ${(wall / 1000).toFixed(3)} s, C ${m.C}, iterations ${m.optimization.iterations}, weights ${hash}`);
}
