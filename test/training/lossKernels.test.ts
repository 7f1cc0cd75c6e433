// The fused losses (mean squared error, binary cross-entropy: one kernel forward, one backward on wasm) against
// tfjs's ops: gradients to the bit, the value to a float64 sum, the plain-JS twins, and tfjs's ops wherever our
// kernels are not registered.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, MEAN_SQUARED_ERROR, MEAN_SQUARED_ERROR_GRAD } from '../../src/core/training/wasmKernels';
import { LOSS_KERNELS, fusedBinaryCrossEntropy, fusedMeanSquaredError } from '../../src/core/training/wasmKernels/lossKernels';
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

const EPS = 1e-7;
/** Keras's formula with tfjs ops, as blocks.ts writes it off wasm. */
const stockBce = (t: tf.Tensor, y: tf.Tensor): tf.Scalar => {
  const p = tf.clipByValue(y, EPS, 1 - EPS);
  return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))))) as tf.Scalar;
};
const fusedBce = (t: tf.Tensor, y: tf.Tensor): tf.Scalar => {
  const loss = fusedBinaryCrossEntropy(t, y, EPS);
  if (!loss) throw new Error('the fused loss is not available');
  return loss;
};

/** Reconstructions across the clamp: values in (0, 1), the bounds themselves, 0, 1, and beyond. */
function reconstructions(n: number, seed: number): Float32Array {
  const v = data(n, seed).map((x) => 0.5 + 0.55 * x);
  const edges = [0, 1, Math.fround(EPS), Math.fround(1 - EPS), 1e-30, -0.01, 1.01, 0.5];
  edges.forEach((e, i) => (v[(i * 13) % n] = e));
  return v;
}

describe('fused binary cross-entropy', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });

  it.each([[[3, 5, 7]], [[128, 784]]])("shape %j: the reconstruction's gradient equals tfjs's to the bit, the value Math.log's to 1e-6", (shape) => {
    const n = shape.reduce((x, y) => x * y, 1);
    const [tv, yv] = [data(n, 11).map((x) => Math.abs(x)), reconstructions(n, 12)];
    const [t, y] = [tf.tensor(tv, shape), tf.tensor(yv, shape)];
    const before = dataIds();
    const [[ours], , oursY] = lossAndGrads(fusedBce, t, y);
    expect(dataIds(), 'data ids leaked').toBe(before);
    const [, , stockY] = lossAndGrads(stockBce, t, y);
    const at = firstDiffering(oursY, stockY);
    expect(at, `first differing gradient: y ${yv[at]}, ours ${oursY[at]}, tfjs ${stockY[at]}`).toBe(-1);
    const [lo, hi] = [Math.fround(EPS), Math.fround(1 - EPS)];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = Math.min(Math.max(yv[i], lo), hi);
      sum += tv[i] * Math.log(p) + (1 - tv[i]) * Math.log(Math.fround(1 - p));
    }
    expect(Math.abs(ours + sum / n) / (sum / -n)).toBeLessThan(1e-6);
    tf.dispose([t, y]);
  });

  it('its log is within 1.2e-7 of Math.log across the clamp, and a NaN anywhere makes the loss NaN', () => {
    const ps = [Math.fround(EPS), 1e-5, 0.001, 0.1, 0.3, 0.5, 0.70710677, 0.70710683, 0.9, 0.999, Math.fround(1 - EPS)].map(Math.fround);
    // t = 1: the loss of each is -log p alone (five copies: a SIMD group and a tail).
    for (const p of ps) {
      const value = tf.tidy(() => fusedBce(tf.ones([5]), tf.fill([5], p)).dataSync()[0]);
      expect(Math.abs(value + Math.log(p)) / -Math.log(p), `p = ${p}`).toBeLessThan(1.2e-7);
    }
    for (const [t, y] of [[[0.5, Number.NaN, 0.2, 0.1, 0.3], [0.5, 0.5, 0.2, 0.1, 0.3]], [[0.5, 0.5, 0.2, 0.1, 0.3], [0.5, 0.5, 0.2, 0.1, Number.NaN]]]) {
      expect(tf.tidy(() => fusedBce(tf.tensor(t), tf.tensor(y)).dataSync()[0])).toBeNaN();
    }
  });

  it("the target's gradient (never asked for in training) follows tfjs's ops", () => {
    const [t, y] = [tf.tensor(data(9, 13).map((x) => Math.abs(x))), tf.tensor(reconstructions(9, 14))];
    const [[, oursT], [, stockT]] = [fusedBce, stockBce].map((loss) => lossAndGrads(loss, t, y).slice(0, 2));
    oursT.forEach((v, i) => expect(Math.abs(v - stockT[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(stockT[i]))));
    tf.dispose([t, y]);
  });

});

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


  it('operands of different shapes are left to tfjs (broadcasting)', () => {
    const [a, b] = [tf.ones([4, 3]), tf.zeros([3])];
    expect(fusedMeanSquaredError(a, b)).toBeNull();
    tf.dispose([a, b]);
  });

  it("the plain-JS twins (the heap not reachable) give the loops' gradient bits and values", () => {
    const real = tf.backend();
    const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
    const hidden = new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) });
    const [p, q, dy] = [tf.tensor(data(105, 7)), tf.tensor(data(105, 8)), tf.scalar(0.37)];
    const [t, y] = [tf.tensor(data(105, 9).map((x) => Math.abs(x))), tf.tensor(reconstructions(105, 10))];
    const [mse, mseGrad, bce, bceGrad] = LOSS_KERNELS;
    const read = (config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, backend: tf.KernelBackend, attrs: tf.NamedAttrMap = {}): number[] => {
      const out = tf.engine().makeTensorFromTensorInfo(config.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo);
      const v = Array.from(out.dataSync());
      out.dispose();
      return v;
    };
    const both = (config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, attrs?: tf.NamedAttrMap): number[][] => [real, hidden].map((b) => read(config, inputs, b, attrs));
    const [loopsGrad, twinGrad] = both(mseGrad, { dy, p, q });
    expect(firstDiffering(twinGrad, loopsGrad), 'mse gradient').toBe(-1);
    const [[loopsValue], [twinValue]] = both(mse, { a: p, b: q });
    expect(Math.abs(twinValue - loopsValue) / loopsValue, 'mse').toBeLessThan(1e-7);
    const [loopsBceGrad, twinBceGrad] = both(bceGrad, { dy, t, y }, { epsilon: EPS });
    expect(firstDiffering(twinBceGrad, loopsBceGrad), 'bce gradient').toBe(-1);
    const [[loopsBce], [twinBce]] = both(bce, { t, y }, { epsilon: EPS });
    expect(Math.abs(twinBce - loopsBce) / loopsBce, 'bce').toBeLessThan(1e-6);
    expect(() => read(bce, { t, y }, real, { epsilon: 0.7 })).toThrow(/epsilon in \(0, 0.5\), got 0.7/);
    tf.dispose([p, q, dy, t, y]);
  });
});

describe('the reconstruction loss', () => {
  const cases: Array<['mse' | 'bce', string, string, number]> = [
    ['mse', MEAN_SQUARED_ERROR, MEAN_SQUARED_ERROR_GRAD, 1e-5],
    ['bce', BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, 1e-6],
  ];
  it.each(cases)('%s runs the fused kernels on wasm and tfjs ops on cpu, with the same gradient to the bit', async (kind, forward, backward, close) => {
    const [t, y] = kind === 'mse' ? [data(6 * 11, 5), data(6 * 11, 6)] : [data(6 * 11, 15).map((x) => Math.abs(x)), reconstructions(6 * 11, 16)];
    const run = (): number[][] => {
      const [target, recon] = [tf.tensor2d(t, [6, 11]), tf.tensor2d(y, [6, 11])];
      const out = lossAndGrads((p, q) => reconstructionLoss(kind, p as tf.Tensor2D, q as tf.Tensor2D), target, recon);
      tf.dispose([target, recon]);
      return out;
    };
    const kernels = async (): Promise<string[]> => (await tf.profile(() => run())).kernelNames;
    await tf.setBackend('wasm');
    expect(await kernels()).toEqual(expect.arrayContaining([forward, backward]));
    const wasm = run();
    await tf.setBackend('cpu');
    expect(await kernels()).not.toContain(forward);
    const cpu = run();
    await tf.setBackend('wasm');
    expect(firstDiffering(wasm[2], cpu[2]), 'gradient for the reconstruction').toBe(-1);
    expect(Math.abs(wasm[0][0] - cpu[0][0]) / cpu[0][0]).toBeLessThan(close);
  });
});
