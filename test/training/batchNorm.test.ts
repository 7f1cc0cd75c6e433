// The fused training-mode batch-norm kernels (wasmKernels/batchNorm.ts): the gradient through all three outputs
// against tf.moments + tf.batchNorm on cpu (to 1e-5 of the largest magnitude), the loops' JS twins to the bit,
// no leaked tensors, and clear errors for what they do not cover.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../src/core/training/wasmKernels';
import { batchNormTrainConfig, batchNormTrainGradConfig } from '../../src/core/training/wasmKernels/batchNorm';
import { createRng } from '../../src/shared/rng';

type Arrays = Float32Array[];

/** Deterministic values in offset + [-scale, scale), the same on every backend. */
function data(n: number, seed: number, offset = 0, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => offset + scale * (rng.next() * 2 - 1));
}

/** Worst |a - e| over the largest |e| (at least `floor`), per array. */
function expectClose(actual: Arrays, expected: Arrays, label: string, floors: number[] = [], tolerance = 1e-5): void {
  expect(actual.length, label).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i];
    expect(a.length, label).toBe(e.length);
    let scale = floors[i] ?? 1e-6;
    let worst = 0;
    for (let j = 0; j < e.length; j++) {
      scale = Math.max(scale, Math.abs(e[j]));
      worst = Math.max(worst, Math.abs(a[j] - e[j]));
    }
    expect(worst / scale, `${label} output ${i}: max |diff| ${worst} vs scale ${scale}`).toBeLessThanOrEqual(tolerance);
  });
}

/** The wasm backend as it is, and the same with its memory out of loopsFor's reach (so the JS twins run). */
function backends(): [object, object] {
  const real = tf.backend();
  const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
  return [real, new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) })];
}

function readInfos(infos: tf.TensorInfo[]): number[][] {
  return infos.map((info) => {
    const t = tf.engine().makeTensorFromTensorInfo(info);
    const v = Array.from(t.dataSync());
    t.dispose();
    return v;
  });
}

describe('fused batch-norm kernels', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it("the loops' plain-JS twins give the same bits, forward and backward", async () => {
    await tf.setBackend('wasm');
    for (const shape of [[7, 4, 3, 5], [5, 17], [3, 8]]) {
      const C = shape[shape.length - 1];
      const size = shape.reduce((a, b) => a * b, 1);
      const [x, dy] = [data(size, 61, 3, 2), data(size, 62)].map((v) => tf.tensor(v, shape));
      const [gamma, beta, dmean, dvariance] = [63, 64, 65, 66].map((seed) => tf.tensor1d(data(C, seed, 1)));
      const attrs = { epsilon: 1e-3 };
      const [loops, twin] = backends().map((backend) => {
        const fwd = batchNormTrainConfig.kernelFunc({ inputs: { x, gamma, beta }, backend, attrs }) as tf.TensorInfo[];
        const [, mean, variance] = fwd;
        const inputs = { dy, x, gamma, mean, variance, dmean, dvariance };
        const bwd = batchNormTrainGradConfig.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo[];
        return [...readInfos(fwd), ...readInfos(bwd)];
      });
      twin.forEach((v, i) => expect(v.findIndex((t, j) => !Object.is(t, loops[i][j])), `${JSON.stringify(shape)} output ${i}`).toBe(-1));
      tf.dispose([x, dy, gamma, beta, dmean, dvariance]);
    }
  });

  it('the gradient also flows through the mean and variance outputs, as through tf.moments + tf.batchNorm', async () => {
    for (const shape of [[7, 4, 3, 5], [9, 6]]) {
      const C = shape[shape.length - 1];
      const size = shape.reduce((a, b) => a * b, 1);
      const axes = shape.slice(0, -1).map((_, i) => i);
      const run = (fusedKernel: boolean) => (): tf.Tensor[] => {
        const [x, w] = [data(size, 71, -2, 3), data(size, 72)].map((v) => tf.tensor(v, shape));
        const [gamma, beta, u, q] = [73, 74, 75, 76].map((seed) => tf.tensor1d(data(C, seed, 1)));
        const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
          let y: tf.Tensor;
          let mean: tf.Tensor;
          let variance: tf.Tensor;
          if (fusedKernel) [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x: xx, gamma: g, beta: b }, { epsilon: 1e-3 }) as tf.Tensor[];
          else {
            ({ mean, variance } = tf.moments(xx, axes));
            y = tf.batchNorm(xx, mean, variance, b, g, 1e-3);
          }
          return tf.addN([tf.sum(tf.mul(y, w)), tf.sum(tf.mul(mean, u)), tf.sum(tf.mul(variance, q))]) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
        return [value, ...grads];
      };
      const expected = await (async () => {
        await tf.setBackend('cpu');
        const outs = tf.tidy(run(false));
        const values = outs.map((t) => t.dataSync() as Float32Array);
        tf.dispose(outs);
        return values;
      })();
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const outs = tf.tidy(run(true));
      const actual = outs.map((t) => t.dataSync() as Float32Array);
      tf.dispose(outs);
      expect(tf.memory().numTensors).toBe(before);
      expectClose(actual, expected, `${JSON.stringify(shape)}: loss, dx, dgamma, dbeta`);
    }
  });

  it('rejects inputs it does not cover with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([[1, 2, 3]]);
    const g = tf.tensor1d([1, 2]);
    expect(() => tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma: g, beta: g }, { epsilon: 1e-3 })).toThrow(/per-channel operands of 3/);
    expect(() => tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { x, gamma: g }, { epsilon: 1e-3 })).toThrow(/float32 inputs/);
    tf.dispose([x, g]);
  });
});
