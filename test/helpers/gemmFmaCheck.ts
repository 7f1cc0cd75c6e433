// Run in a child process with the trainer's V8 flags (see relaxedSimd.test.ts): checks our gemm's relaxed-SIMD
// flavour against the cpu backend and prints one JSON line { flavour, worst }.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/training/backend';
import { loopsFlavour } from '../../src/core/training/wasmKernels/loops';
import { createRng } from '../../src/core/search/rng';

const rng = createRng(7);
const data = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
const cases: Array<[number[], number[], boolean, boolean]> = [
  [[9, 17], [17, 11], false, false],
  [[130, 40], [33, 40], false, true],
  [[64, 20], [64, 30], true, false],
];
const inputs = cases.map(([sa, sb, , tB]) => [data(sa[0] * sa[1]), data(sb[0] * sb[1]), data(tB ? sb[0] : sb[1])]);

function products(): Float32Array[] {
  return cases.map(([sa, sb, tA, tB], i) =>
    tf.tidy(() => {
      const bias = tf.tensor1d(inputs[i][2]);
      const y = tf.fused.matMul({ a: tf.tensor2d(inputs[i][0], sa as [number, number]), b: tf.tensor2d(inputs[i][1], sb as [number, number]), transposeA: tA, transposeB: tB, bias, activation: 'relu' });
      return y.dataSync() as Float32Array;
    }),
  );
}

await selectBackend('wasm');
const ours = products();
await tf.setBackend('cpu');
const reference = products();
let worst = 0;
ours.forEach((o, i) => {
  const scale = Math.max(1e-6, ...reference[i].map(Math.abs));
  o.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - reference[i][j]) / scale)));
});
console.log(JSON.stringify({ flavour: loopsFlavour(), worst }));
