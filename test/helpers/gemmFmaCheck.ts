// Run in a child process with the trainer's V8 flags (see relaxedSimd.test.ts): checks the relaxed-SIMD
// flavour of our gemm and direct convolutions against the cpu backend (fused products, matmul and conv
// gradients, a fused conv) and prints one JSON line { flavour, worst }: worst is the largest |difference|
// relative to each output's largest magnitude.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/training/backend';
import { loopsFlavour } from '../../src/core/training/wasmKernels/loops';
import { createRng } from '../../src/shared/rng';

const rng = createRng(7);
const data = (shape: number[]): Float32Array => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
const t = (shape: number[], values: Float32Array): tf.Tensor => tf.tensor(values, shape);

const matmuls: Array<[number[], number[], boolean, boolean]> = [
  [[9, 17], [17, 11], false, false],
  [[130, 40], [33, 40], false, true],
  [[64, 20], [64, 30], true, false],
];
const inputs = matmuls.map(([sa, sb, tA, tB]) => {
  const rows = tA ? sa[1] : sa[0];
  const cols = tB ? sb[0] : sb[1];
  return { a: data(sa), b: data(sb), bias: data([cols]), dy: data([rows, cols]) };
});
const conv = { x: data([2, 9, 9, 3]), w: data([3, 3, 3, 4]) };
const convDy = data([2, 5, 5, 4]);

function outputs(): Float32Array[] {
  return tf.tidy(() => {
    const outs: tf.Tensor[] = [];
    matmuls.forEach(([sa, sb, tA, tB], i) => {
      const { a, b, bias, dy } = inputs[i];
      const [ta, tb] = [t(sa, a), t(sb, b)];
      outs.push(tf.fused.matMul({ a: ta as tf.Tensor2D, b: tb as tf.Tensor2D, transposeA: tA, transposeB: tB, bias: t([bias.length], bias), activation: 'relu' }));
      const dyT = t([dy.length / (tB ? sb[0] : sb[1]), tB ? sb[0] : sb[1]], dy);
      outs.push(...tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, w, tA, tB), dyT)))([ta, tb]));
    });
    const [x, w] = [t([2, 9, 9, 3], conv.x), t([3, 3, 3, 4], conv.w)];
    const dy = t([2, 5, 5, 4], convDy);
    outs.push(...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), dy)))([x, w]));
    // Three input channels: the direct loops (convDirect.ts), whose forward pass is checked here too.
    outs.push(tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: t([4], conv.w.subarray(0, 4)), activation: 'relu' }));
    return outs.map((o) => o.dataSync() as Float32Array);
  });
}

const backend = await selectBackend('wasm');
if (backend.name !== 'wasm') throw new Error(`wasm backend unavailable: ${backend.note}`);
const ours = outputs();
const flavour = loopsFlavour();
await tf.setBackend('cpu');
const reference = outputs();
let worst = 0;
ours.forEach((o, i) => {
  const scale = Math.max(1e-6, ...reference[i].map(Math.abs));
  o.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - reference[i][j]) / scale)));
});
console.log(JSON.stringify({ flavour, worst, outputs: ours.length }));
