// The fused mean squared error (one kernel forward, one backward on wasm) against tfjs's ops: gradients to the
// bit, the value to float64's sum, the plain-JS twins, and tfjs's ops wherever our kernel is not registered.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { MEAN_SQUARED_ERROR, MEAN_SQUARED_ERROR_GRAD } from '../../src/core/training/wasmKernels';
import { LOSS_KERNELS, fusedMeanSquaredError } from '../../src/core/training/wasmKernels/lossKernels';
import { reconstructionLoss } from '../../src/core/model/blocks';
import { createRng } from '../../src/shared/rng';

function data(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

const dataIds = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
const firstDiffering = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).findIndex((v, i) => !Object.is(v, b[i]));

/** The loss and its gradients for both operands, upstream 3.7, by `loss` (a float64 reference for the value). */
function lossAndGrads(loss: (a: tf.Tensor, b: tf.Tensor) => tf.Scalar, a: tf.Tensor, b: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const value = loss(a, b);
    const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.mul(loss(p, q), 3.7))([a, b]);
    return [Array.from(value.dataSync()), Array.from(ga.dataSync()), Array.from(gb.dataSync())];
  });
}

const stockLoss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.mean(tf.squaredDifference(a, b));
const fusedLoss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
  const loss = fusedMeanSquaredError(a, b);
  if (!loss) throw new Error('the fused loss is not available');
  return loss;
};

describe('fused mean squared error', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  // 3 x 5 x 7 = 105 elements (a SIMD body and a one-element tail) and a batch-sized one.
  it.each([[[3, 5, 7]], [[128, 784]]])('shape %j: gradients equal tfjs\'s to the bit, the value float64\'s sum', (shape) => {
    const n = shape.reduce((x, y) => x * y, 1);
    const av = data(n, 1);
    av[0] = 0;
    av[1] = -0;
    const bv = data(n, 2);
    bv[2] = -0;
    const [a, b] = [tf.tensor(av, shape), tf.tensor(bv, shape)];
    const before = dataIds();
    const [[ours], oursA, oursB] = lossAndGrads(fusedLoss, a, b);
    expect(dataIds(), 'data ids leaked').toBe(before);
    const [[stock], stockA, stockB] = lossAndGrads(stockLoss, a, b);
    expect(firstDiffering(oursA, stockA), 'gradient for a').toBe(-1);
    expect(firstDiffering(oursB, stockB), 'gradient for b').toBe(-1);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.fround(Math.fround(av[i] - bv[i]) ** 2);
    expect(ours).toBe(Math.fround(sum / n));
    expect(Math.abs(ours - stock) / stock).toBeLessThan(1e-4);
    tf.dispose([a, b]);
  });

  it('a NaN reaches the loss and the gradient, as with tfjs', () => {
    const av = data(9, 3);
    av[6] = Number.NaN;
    const [a, b] = [tf.tensor(av), tf.tensor(data(9, 4))];
    const [[value], , gb] = lossAndGrads(fusedLoss, a, b);
    expect(value).toBeNaN();
    expect(Number.isNaN(gb[6]) && gb.filter((v) => Number.isNaN(v)).length === 1).toBe(true);
    tf.dispose([a, b]);
  });

  it('the reconstruction loss runs the fused kernel on wasm and tfjs ops on cpu, with the same gradients', async () => {
    const [t, y] = [data(6 * 11, 5), data(6 * 11, 6)];
    const run = (): number[][] => {
      const [target, recon] = [tf.tensor2d(t, [6, 11]), tf.tensor2d(y, [6, 11])];
      const out = lossAndGrads((p, q) => reconstructionLoss('mse', p as tf.Tensor2D, q as tf.Tensor2D), target, recon);
      tf.dispose([target, recon]);
      return out;
    };
    const kernels = async (): Promise<string[]> => (await tf.profile(() => run())).kernelNames;
    expect(await kernels()).toEqual(expect.arrayContaining([MEAN_SQUARED_ERROR, MEAN_SQUARED_ERROR_GRAD]));
    const wasm = run();
    await tf.setBackend('cpu');
    expect(await kernels()).not.toContain(MEAN_SQUARED_ERROR);
    const cpu = run();
    await tf.setBackend('wasm');
    expect(firstDiffering(wasm[2], cpu[2]), 'gradient for the reconstruction').toBe(-1);
    expect(Math.abs(wasm[0][0] - cpu[0][0]) / cpu[0][0]).toBeLessThan(1e-5);
  });

  it('operands of different shapes are left to tfjs (broadcasting)', () => {
    const [a, b] = [tf.ones([4, 3]), tf.zeros([3])];
    expect(fusedMeanSquaredError(a, b)).toBeNull();
    tf.dispose([a, b]);
  });

  it("the plain-JS twins (the heap not reachable) give the loops' gradient bits and value", () => {
    const real = tf.backend();
    const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
    const hidden = new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) });
    const [p, q, dy] = [tf.tensor(data(105, 7)), tf.tensor(data(105, 8)), tf.scalar(0.37)];
    const [forward, backward] = LOSS_KERNELS;
    const read = (config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, backend: tf.KernelBackend): number[] => {
      const t = tf.engine().makeTensorFromTensorInfo(config.kernelFunc({ inputs, backend, attrs: {} }) as tf.TensorInfo);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const [loopsGrad, twinGrad] = [real, hidden].map((backend) => read(backward, { dy, p, q }, backend));
    expect(firstDiffering(twinGrad, loopsGrad)).toBe(-1);
    const [[loopsValue], [twinValue]] = [real, hidden].map((backend) => read(forward, { a: p, b: q }, backend));
    expect(Math.abs(twinValue - loopsValue) / loopsValue).toBeLessThan(1e-7);
    tf.dispose([p, q, dy]);
  });
});
