// The fused training-mode batch norm (src/core/model/batchNorm.ts + wasmKernels/batchNorm.ts) against tfjs's
// layer on cpu: forward output, moving statistics and the gradients for x, gamma and beta (to 1e-5 of the largest
// magnitude) on 2-D and NHWC inputs of odd sizes; the gradient through the mean and variance outputs against
// tf.moments + tf.batchNorm; the loops' JS twins to the bit; no leaked tensors; and a conv + BN autoencoder that
// trains on wasm like the stock layer, saves as a standard BatchNormalization and reloads to the same codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { batchNormalization } from '../../src/core/model/batchNorm';
import { loadLayersModel, saveLayersModel } from '../../src/core/export/encoderBundle';
import { selectBackend } from '../../src/core/training/backend';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../src/core/training/wasmKernels';
import { batchNormTrainConfig, batchNormTrainGradConfig } from '../../src/core/training/wasmKernels/batchNorm';
import { createRng } from '../../src/shared/rng';
import { batchLoss } from '../../src/core/training/fit';
import { trainLosses } from '../helpers/trainLosses';

type Arrays = Float32Array[];
type Backend = 'cpu' | 'wasm';

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

type LayerFactory = (args: { name: string }) => tf.layers.Layer;

/**
 * On `backend`: a BN layer with non-trivial weights, two training passes (the second differentiated with
 * dy = w), then y of the first pass, the moving mean and variance after both, and dx, dgamma, dbeta.
 */
async function trainingPass(backend: Backend, make: LayerFactory, shape: number[], seed: number): Promise<Arrays> {
  await tf.setBackend(backend);
  const channels = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  const before = tf.memory().numTensors;
  const layer = make({ name: `bn_${seed}` });
  const out = tf.tidy(() => {
    // Applied to a symbolic input first, as in a model (it builds the layer, and lets it be disposed).
    layer.apply(tf.input({ shape: shape.slice(1) }));
    layer.setWeights([
      tf.tensor1d(data(channels, seed + 1, 1, 0.5)),
      tf.tensor1d(data(channels, seed + 2)),
      tf.tensor1d(data(channels, seed + 3)),
      tf.tensor1d(data(channels, seed + 4, 2, 1)),
    ]);
    // An offset mean, so that the variance must survive E[x^2] - mean^2.
    const x = tf.tensor(data(size, seed, 3, 2), shape);
    const w = tf.tensor(data(size, seed + 5), shape);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const xv = tf.variable(x, true, `x_${seed}_${backend}`);
    const [gamma, beta] = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xv, { training: true }) as tf.Tensor, w)) as tf.Scalar, [xv, gamma, beta]);
    xv.dispose();
    return [y, ...layer.getWeights().slice(2).map((t) => t.clone()), grads[xv.name], grads[gamma.name], grads[beta.name]];
  });
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  layer.dispose();
  expect(tf.memory().numTensors, `${backend}: tensors left`).toBe(before);
  return values;
}

const stock: LayerFactory = (args) => tf.layers.batchNormalization(args);
const fused: LayerFactory = (args) => batchNormalization(args);

/** Shapes [batch, ..., channels]: 2-D and NHWC, odd channel counts (SIMD tails), batch 1 and 7. */
const SHAPES: number[][] = [
  [7, 5],
  [1, 17],
  [7, 3],
  [33, 64],
  [7, 4, 3, 5],
  [1, 3, 3, 17],
  [3, 2, 5, 3],
  [2, 6, 6, 32],
];

/** Kernel names run by a training step (forward and gradient) or an inference pass of a BN layer on `backend`. */
async function kernelsRun(backend: Backend, training: boolean): Promise<Set<string>> {
  await tf.setBackend(backend);
  const layer = batchNormalization({ name: `bn_kernels_${backend}_${training}` });
  layer.apply(tf.input({ shape: [3, 3, 5] }));
  const x = tf.variable(tf.tensor(data(2 * 3 * 3 * 5, 51), [2, 3, 3, 5]));
  const profile = await tf.profile(() => {
    if (training) tf.dispose(tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, [x]).grads[x.name]);
    else tf.dispose(layer.apply(x, { training: false }) as tf.Tensor);
  });
  x.dispose();
  layer.dispose();
  return new Set(profile.kernels.map((k) => k.name));
}

describe('fused training-mode batch norm', () => {
  beforeAll(async () => {
    const b = await selectBackend('wasm');
    expect(b.name).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))('%s: y, moving mean and variance, dx, dgamma and dbeta match tfjs\'s layer on cpu', async (_, shape) => {
    const expected = await trainingPass('cpu', stock, shape, 11);
    // Off wasm the layer is tfjs's, to the bit.
    expect(await trainingPass('cpu', fused, shape, 11)).toEqual(expected);
    await tf.setBackend('wasm');
    expect(tf.getKernel(BATCH_NORM_TRAIN, 'wasm')).toBeDefined();
    const actual = await trainingPass('wasm', fused, shape, 11);
    // With one row per channel (a batch of 1, 2-D) dx is 0: tfjs's is float noise on terms of order 1, ours 0.
    const oneRow = shape.length === 2 && shape[0] === 1;
    if (oneRow) expect(actual[3].every((v) => v === 0)).toBe(true);
    expectClose(actual, expected, `${JSON.stringify(shape)} fused on wasm`, oneRow ? [1e-6, 1e-6, 1e-6, 1] : []);
  });

  it('training mode on wasm runs ours instead of tfjs\'s; inference, and cpu, run tfjs\'s', async () => {
    const wasmTraining = await kernelsRun('wasm', true);
    expect(wasmTraining.has(BATCH_NORM_TRAIN) && wasmTraining.has(BATCH_NORM_TRAIN_GRAD)).toBe(true);
    expect(wasmTraining.has('FusedBatchNorm')).toBe(false);
    for (const [backend, training] of [['wasm', false], ['cpu', true]] as const) {
      const names = await kernelsRun(backend, training);
      expect(names.has('FusedBatchNorm'), `${backend} training ${training}`).toBe(true);
      expect(names.has(BATCH_NORM_TRAIN), `${backend} training ${training}`).toBe(false);
    }
  });
});

const CONV_BN: AutoencoderParams = { ...DEFAULT_PARAMS, architecture: 'conv', filters: [4, 6], kernelSize: 3, batchNorm: true, latentSize: 5, imageSize: 8, batchSize: 16, learningRate: 3e-3, seed: 5 };

/** Training losses of a fresh conv + BN autoencoder for `steps` batches on the current backend (trainLosses.ts). */
function trainConvBn(steps: number, onTrained?: Parameters<typeof trainLosses>[3]): number[] {
  return trainLosses(CONV_BN, tf.tensor2d(data(48 * 64, 91, 0.5, 0.5), [48, 64]), steps, onTrained);
}

describe('a conv + batch-norm autoencoder on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('trains to the losses of the stock layer, leaks nothing, and saves a standard BatchNormalization that reloads to the same codes', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bn-'));
    let saved: Promise<void> = Promise.resolve();
    let codes: number[] = [];
    const x = tf.tensor2d(data(5 * 64, 92, 0.5, 0.5), [5, 64]);
    const fusedLosses = trainConvBn(30, (ae) => {
      codes = tf.tidy(() => Array.from(ae.forward(x, { training: false, seed: 0 }).code.dataSync()));
      saved = saveLayersModel(ae.encoder, dir);
    });
    await saved;
    // The stock layer's path: without our kernel the layer calls tfjs's.
    tf.unregisterKernel(BATCH_NORM_TRAIN, 'wasm');
    let stockLosses: number[];
    try {
      stockLosses = trainConvBn(30);
    } finally {
      tf.registerKernel(batchNormTrainConfig);
    }
    expect(fusedLosses[29]).toBeLessThan(fusedLosses[0] * 0.9);
    fusedLosses.forEach((l, i) => expect(Math.abs(l - stockLosses[i]) / stockLosses[i], `step ${i + 1}: ${l} vs ${stockLosses[i]}`).toBeLessThan(1e-5));

    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: Array<{ class_name: string }> } } };
    const classes = json.modelTopology.config.layers.map((l) => l.class_name);
    expect(classes.filter((c) => c === 'BatchNormalization')).toHaveLength(CONV_BN.filters.length);
    const loaded = await loadLayersModel(dir);
    expect(loaded.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(CONV_BN.filters.length);
    const reloaded = tf.tidy(() => Array.from((loaded.predict(x) as tf.Tensor).dataSync()));
    expect(reloaded).toEqual(codes);
    loaded.dispose();
    x.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("after 40 steps its moving statistics have caught up: inference on the training images loses what training does (Keras's momentum 0.99 lags)", () => {
    // A small folder trains few steps (5,800 images in batches of 128: 46 an epoch), and a study's validation
    // error, early stopping, Hyperband's rungs and the probe's codes all run in inference mode. With Keras's
    // momentum 0.99 the moving averages still weigh their start (mean 0, variance 1) by 0.99^40 = 0.67 here.
    // Four 8x8 stripe patterns with a little noise: structure the model learns within the 40 steps.
    const noise = data(48 * 64, 93, 0, 0.05);
    const images = tf.tensor2d(Float32Array.from(noise, (v, i) => {
      const [image, pixel] = [Math.floor(i / 64), i % 64];
      const [row, col] = [Math.floor(pixel / 8), pixel % 8];
      const on = [row < 4, col < 4, (row + col) % 2 === 0, row % 2 === 0][image % 4];
      return (on ? 0.9 : 0.1) + v;
    }), [48, 64]);
    let inference = Number.NaN;
    let trainingMode = Number.NaN;
    trainLosses(CONV_BN, images.clone(), 40, (ae) => {
      [inference, trainingMode] = tf.tidy(() => [false, true].map((training) => {
        // Training-mode loss over the same three batches, without touching the weights (no optimizer step).
        const losses = [0, 1, 2].map((b) => batchLoss(ae, images.slice([b * 16, 0], [16, 64]), training, 0).dataSync()[0]);
        return losses.reduce((a, v) => a + v, 0) / 3;
      }));
    });
    images.dispose();
    expect(inference / trainingMode, `inference ${inference} vs training ${trainingMode}`).toBeLessThan(1.2);
  });
});
