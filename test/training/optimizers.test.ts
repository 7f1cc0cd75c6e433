// Our optimizers against tf.train's, to the bit: the fused kernels on wasm against tf.train on wasm, and the
// tf-ops fallback on cpu against tf.train on cpu, over a few steps on a variable with a SIMD tail.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { FusedAdagrad, FusedMomentum, FusedRmsprop } from '../../src/core/training/optimizer';
import { ADAGRAD_UPDATE, MOMENTUM_UPDATE, OPTIMIZER_KERNELS, OPTIMIZER_SLOTS, RMSPROP_UPDATE, SGD_UPDATE } from '../../src/core/training/wasmKernels/optimizerKernels';
import { data } from '../helpers/kernelRuns';

/** The variable after 5 steps minimising sum((w - target)^2 * weights) (so gradients vary in size and sign). */
function trained(make: () => tf.Optimizer): number[] {
  const init = tf.tensor2d(data([37, 5], 17), [37, 5]);
  const w = tf.variable(init);
  init.dispose();
  const target = tf.tensor2d(data([37, 5], 18), [37, 5]);
  const weights = tf.tensor2d(data([37, 5], 19).map((v) => 10 * v), [37, 5]);
  const opt = make();
  for (let i = 0; i < 5; i++) opt.minimize(() => tf.sum(tf.mul(tf.square(tf.sub(w, target)), weights)) as tf.Scalar, false, [w]);
  const out = Array.from(w.dataSync());
  opt.dispose();
  tf.dispose([w, target, weights]);
  return out;
}

const cases: Array<[string, () => tf.Optimizer, () => tf.Optimizer, string]> = [
  ['rmsprop', () => new FusedRmsprop(0.01), () => tf.train.rmsprop(0.01), RMSPROP_UPDATE],
  ['rmsprop with momentum', () => new FusedRmsprop(0.01, 0.8, 0.5, 1e-6), () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6), RMSPROP_UPDATE],
  ['adagrad', () => new FusedAdagrad(0.05), () => tf.train.adagrad(0.05), ADAGRAD_UPDATE],
  ['momentum', () => new FusedMomentum(0.01, 0.9), () => tf.train.momentum(0.01, 0.9), MOMENTUM_UPDATE],
  ['nesterov', () => new FusedMomentum(0.01, 0.9, true), () => tf.train.momentum(0.01, 0.9, true), MOMENTUM_UPDATE],
  ['sgd', () => new FusedMomentum(0.01, 0), () => tf.train.sgd(0.01), SGD_UPDATE],
];

describe("our optimizers follow tf.train's to the bit", () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each(cases)('%s', async (_name, ours, stock, kernel) => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const got = trained(ours);
      expect(tf.memory().numTensors, `${backend}: tensors left behind`).toBe(before);
      const want = trained(stock);
      expect(got.findIndex((v, i) => !Object.is(v, want[i])), `${backend}: first differing weight`).toBe(-1);
      expect(got.some((v, i) => v !== data([37, 5], 17)[i]), `${backend}: the weights moved`).toBe(true);
      const ran = (await tf.profile(() => trained(ours))).kernelNames;
      expect(ran.includes(kernel), `${backend}: ${kernel} ran`).toBe(backend === 'wasm');
    }
  });

  it("the kernels' plain-JS twins (the heap not reachable) give the loops' bits", async () => {
    await tf.setBackend('wasm');
    const real = tf.backend();
    const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
    const hidden = new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) });
    const attrs = { learningRate: 0.03, decay: 0.85, momentum: 0.7, epsilon: 1e-6, nesterov: true };
    for (const config of OPTIMIZER_KERNELS) {
      const names = ['value', 'gradient', ...OPTIMIZER_SLOTS[config.kernelName]];
      // Slots positive (accumulated squares), values and gradients of both signs; 23 elements: a SIMD tail of 3.
      const inputs = Object.fromEntries(names.map((name, k) => [name, tf.tensor(data([23], 30 + k).map((v) => (k >= 2 ? Math.abs(v) : v)))]));
      const [loops, twin] = [real, hidden].map((backend) =>
        (config.kernelFunc({ inputs, backend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo[]).map((info) => {
          const t = tf.engine().makeTensorFromTensorInfo(info);
          const v = Array.from(t.dataSync());
          t.dispose();
          return v;
        }),
      );
      loops.forEach((out, j) => expect(twin[j].findIndex((v, i) => !Object.is(v, out[i])), `${config.kernelName} output ${j}`).toBe(-1));
      tf.dispose(Object.values(inputs));
    }
  });
});
