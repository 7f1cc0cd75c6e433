// The conv layers' fused kernels (wasmKernels/convFused.ts, model/conv2dTranspose.ts): tf.fused.conv2d and the
// Conv2DTranspose layer, forward and gradients (x, filter, bias), against the cpu backend to 1e-5 of each output's
// largest magnitude, over strides, paddings, odd sizes, channel counts around the vector widths (the direct
// loops' 1-4 input channels and im2row's wider ones), bias or none, and each activation; that ours ran where they
// cover the call and tfjs's where not; the Conv2DTranspose layer's bits equal tfjs's own layer's on wasm; the same
// bytes on 1 and 2 threads; no leaked wasm data; the fused ReLU (gemm, direct, dense) keeping NaN sums NaN as cpu;
// and a small conv autoencoder that trains on wasm to the losses of the unfused path, saves standard layers, and
// reloads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { conv2dTranspose } from '../../src/core/model/conv2dTranspose';
import { loadLayersModel, saveLayersModel } from '../../src/core/export/encoderBundle';
import { selectBackend } from '../../src/core/training/backend';
import { BIAS_ACTIVATION_GRAD, CONV2D, CONV2D_TRANSPOSE } from '../../src/core/training/wasmKernels';
import { CONV_FUSED_KERNELS } from '../../src/core/training/wasmKernels/convFused';
import { setKernelThreads } from '../../src/core/training/wasmKernels/kernelThreads';
import { data, expectClose, on } from '../helpers/kernelRuns';
import { trainLosses } from '../helpers/trainLosses';

type Pad = 'same' | 'valid';
type Activation = 'linear' | 'relu' | 'sigmoid';
/** x shape, filter shape, strides, padding, activation, with a bias. */
type Case = [number[], number[], number | [number, number], Pad, Activation, boolean];

const tensor = (shape: number[], seed: number): tf.Tensor => tf.tensor(data(shape, seed), shape);

/** y = fused.conv2d(...) and the gradients of sum(y * dy) for x, the filter and the bias. */
const fusedConv = ([xs, fs, strides, pad, activation, withBias]: Case, seed: number) => (): tf.Tensor[] => {
  const [x, w, bias] = [tensor(xs, seed), tensor(fs, seed + 1), tensor([fs[3]], seed + 2)];
  const layer = (a: tf.Tensor, b: tf.Tensor, c?: tf.Tensor): tf.Tensor =>
    tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides, pad, bias: c, activation: activation as 'relu' });
  const y = layer(x, w, withBias ? bias : undefined);
  const dy = tensor(y.shape, seed + 3);
  const loss = (a: tf.Tensor, b: tf.Tensor, c?: tf.Tensor): tf.Tensor => tf.sum(tf.mul(layer(a, b, c), dy));
  return [y, ...(withBias ? tf.grads(loss)([x, w, bias]) : tf.grads(loss)([x, w]))];
};

/** Our Conv2DTranspose layer's output and the gradients of sum(y * dy) for its input, kernel and bias. */
const transposeLayer = ([xs, fs, strides, pad, activation, withBias]: Case, seed: number) => (): tf.Tensor[] => {
  // fs is the layer's kernel: [kh, kw, filters, input channels].
  const layer = conv2dTranspose({ filters: fs[2], kernelSize: [fs[0], fs[1]], strides, padding: pad, activation, useBias: withBias });
  layer.build(xs);
  const weights = withBias ? [tensor(fs, seed + 1), tensor([fs[2]], seed + 2)] : [tensor(fs, seed + 1)];
  layer.setWeights(weights);
  const x = tensor(xs, seed);
  const y = layer.apply(x) as tf.Tensor;
  const dy = tensor(y.shape, seed + 3);
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, dy)) as tf.Scalar, vars);
  const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, dy)))(x);
  const out = [y, dx, ...vars.map((v) => grads[v.name])];
  const keep = out.map((t) => t.clone());
  tf.dispose([...out, ...weights]);
  for (const w of layer.weights) w.dispose();
  return keep;
};

async function kernelsRun(f: () => tf.Tensor[]): Promise<string[]> {
  await tf.setBackend('wasm');
  return (await tf.profile(() => tf.dispose(tf.tidy(f)))).kernelNames;
}

describe('fused conv layers on wasm', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    setKernelThreads(1);
    await tf.setBackend('wasm');
  });

  const convCases: Case[] = [
    [[7, 28, 28, 1], [3, 3, 1, 16], 2, 'same', 'relu', true],
    [[5, 14, 14, 16], [3, 3, 16, 32], 2, 'same', 'relu', true],
    [[3, 9, 11, 3], [3, 3, 3, 5], 1, 'valid', 'relu', true],
    [[3, 9, 7, 6], [2, 3, 6, 7], [1, 2], 'same', 'linear', true],
    [[3, 9, 7, 6], [3, 3, 6, 9], 2, 'same', 'linear', false],
    [[2, 8, 8, 5], [3, 3, 5, 3], 1, 'same', 'relu', false],
  ];
  it.each(convCases)('fused.conv2d x %j filter %j stride %j %s %s bias %s: ours, and like cpu', async (...c) => {
    const f = fusedConv(c, 21);
    expectClose(await on('wasm', 1, f), await on('cpu', 1, f), JSON.stringify(c));
    const ran = await kernelsRun(f);
    expect(ran, 'ours forward').toContain(CONV2D);
    expect(ran.includes(BIAS_ACTIVATION_GRAD), 'one pass for the derivative and bias').toBe(c[4] === 'relu');
    for (const unfused of ['FusedConv2D', 'Conv2D', 'Relu', 'Add', 'LatentLabReluGrad']) expect(ran, unfused).not.toContain(unfused);
  });

  it('fused.conv2d calls it does not cover (sigmoid, dilation, a rank-3 input) take tfjs\'s path, still like cpu', async () => {
    const sigmoid: Case = [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'same', 'sigmoid', true];
    const f = fusedConv(sigmoid, 5);
    expectClose(await on('wasm', 1, f), await on('cpu', 1, f), 'sigmoid');
    expect(await kernelsRun(f)).not.toContain(CONV2D);
    const dilated = (): tf.Tensor[] => [tf.fused.conv2d({ x: tensor([1, 9, 9, 2], 1) as tf.Tensor4D, filter: tensor([3, 3, 2, 4], 2) as tf.Tensor4D, strides: 1, pad: 'same', dilations: 2, bias: tensor([4], 3), activation: 'relu' })];
    expectClose(await on('wasm', 1, dilated), await on('cpu', 1, dilated), 'dilated');
    expect(await kernelsRun(dilated)).not.toContain(CONV2D);
    const rank3 = (): tf.Tensor[] => [tf.fused.conv2d({ x: tensor([9, 9, 2], 1) as tf.Tensor3D, filter: tensor([3, 3, 2, 4], 2) as tf.Tensor4D, strides: 2, pad: 'same', bias: tensor([4], 3), activation: 'relu' })];
    expectClose(await on('wasm', 1, rank3), await on('cpu', 1, rank3), 'rank 3');
    expect(await kernelsRun(rank3)).not.toContain(CONV2D);
  });

  const transposeCases: Case[] = [
    // The reference decoder's layers: 7x7x32 -> 14x14x16 relu, 14x14x16 -> 28x28x1 sigmoid.
    [[5, 7, 7, 32], [3, 3, 16, 32], 2, 'same', 'relu', true],
    [[5, 14, 14, 16], [3, 3, 1, 16], 2, 'same', 'sigmoid', true],
    [[3, 5, 6, 4], [3, 2, 6, 4], [2, 1], 'valid', 'linear', true],
    [[3, 5, 5, 3], [3, 3, 7, 3], 2, 'same', 'relu', false],
    [[2, 4, 5, 6], [4, 4, 3, 6], 2, 'valid', 'sigmoid', false],
    [[2, 6, 5, 5], [3, 3, 5, 5], 1, 'same', 'linear', false],
  ];
  it.each(transposeCases)('Conv2DTranspose layer x %j kernel %j stride %j %s %s bias %s: ours, and like cpu (tfjs\'s call there)', async (...c) => {
    const f = transposeLayer(c, 31);
    expectClose(await on('wasm', 1, f), await on('cpu', 1, f), JSON.stringify(c));
    const ran = await kernelsRun(f);
    expect(ran, 'ours forward').toContain(CONV2D_TRANSPOSE);
    expect(ran.includes(BIAS_ACTIVATION_GRAD), 'one pass for the derivative and bias').toBe(c[4] !== 'linear');
    for (const unfused of ['Add', 'LatentLabReluGrad', 'LatentLabSigmoidGrad']) expect(ran, unfused).not.toContain(unfused);
  });

  it('the Conv2DTranspose layer gives the bits of tfjs\'s own layer on wasm (output, dx, dkernel, dbias)', async () => {
    await tf.setBackend('wasm');
    const shapes: Array<[number[], number, Activation]> = [
      [[9, 7, 7, 32], 16, 'relu'],
      [[9, 14, 14, 16], 1, 'sigmoid'],
      [[9, 5, 6, 8], 7, 'relu'],
      [[9, 5, 6, 8], 5, 'linear'],
      // Three runs of images (18, 18, 5), each taking the bias and ReLU right after its col2im.
      [[41, 7, 7, 32], 16, 'relu'],
      [[41, 7, 7, 32], 16, 'linear'],
    ];
    for (const [xs, filters, activation] of shapes) {
      const args = { filters, kernelSize: 3, strides: 2, padding: 'same' as const, activation };
      const results = [conv2dTranspose(args), tf.layers.conv2dTranspose(args)].map((layer) => {
        layer.build(xs);
        const weights = [tensor([3, 3, filters, xs[3]], 1), tensor([filters], 2)];
        layer.setWeights(weights);
        const x = tensor(xs, 3);
        const dy = tensor([xs[0], 2 * xs[1], 2 * xs[2], filters], 4);
        const f = (a: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, dy));
        const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() => f(x), vars);
        const outs = [layer.apply(x) as tf.Tensor, tf.grad(f)(x), ...vars.map((v) => grads[v.name])];
        const bytes = outs.map((t) => Buffer.from((t.dataSync() as Float32Array).buffer));
        tf.dispose([...outs, value, x, dy, ...weights]);
        for (const w of layer.weights) w.dispose();
        return bytes;
      });
      results[0].forEach((b, i) => expect(b.equals(results[1][i]), `${JSON.stringify(xs)} ${activation} output ${i}`).toBe(true));
    }
  });

  it('give the same bytes on 1 and 2 threads', async () => {
    const cases: Array<() => tf.Tensor[]> = [
      fusedConv([[32, 28, 28, 1], [3, 3, 1, 16], 2, 'same', 'relu', true], 3),
      fusedConv([[32, 14, 14, 16], [3, 3, 16, 32], 2, 'same', 'relu', true], 4),
      transposeLayer([[32, 7, 7, 32], [3, 3, 16, 32], 2, 'same', 'relu', true], 5),
      transposeLayer([[32, 14, 14, 16], [3, 3, 1, 16], 2, 'same', 'sigmoid', true], 6),
    ];
    for (const [i, f] of cases.entries()) {
      const one = await on('wasm', 1, f);
      const two = await on('wasm', 2, f);
      one.forEach((v, j) => expect(Buffer.from(two[j].buffer).equals(Buffer.from(v.buffer)), `case ${i} output ${j}`).toBe(true));
    }
  });
});

describe('the fused ReLU of our products (gemm, direct conv, dense) and of the transposed layer', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });

  // relu is f32x4.pmax(sum, 0), one x86 instruction where max takes several: a NaN sum must stay NaN and a
  // negative one become 0, as tfjs's relu does on cpu.
  it('keeps a NaN sum NaN and clamps negative ones to 0, as cpu does', async () => {
    const withNaN = (shape: number[], seed: number, at: number[]): tf.Tensor => tf.tensor(data(shape, seed).map((v, i) => (at.includes(i) ? Number.NaN : v)), shape);
    const cases: Array<[string, () => tf.Tensor[]]> = [
      ['gemm conv', () => [tf.fused.conv2d({ x: withNaN([3, 14, 14, 16], 1, [5, 1000]) as tf.Tensor4D, filter: tensor([3, 3, 16, 32], 2) as tf.Tensor4D, strides: 2, pad: 'same', bias: tensor([32], 3), activation: 'relu' })]],
      ['direct conv', () => [tf.fused.conv2d({ x: withNaN([3, 28, 28, 1], 4, [7, 900]) as tf.Tensor4D, filter: tensor([3, 3, 1, 16], 5) as tf.Tensor4D, strides: 2, pad: 'same', bias: tensor([16], 6), activation: 'relu' })]],
      ['dense', () => [tf.fused.matMul({ a: withNaN([9, 37], 7, [40]) as tf.Tensor2D, b: tensor([37, 21], 8) as tf.Tensor2D, bias: tensor([21], 9), activation: 'relu' })]],
      // The transposed layer's bias and ReLU pass (convBiasLoops.ts biasRelu): 16 channels are whole vectors, 7
      // end in the scalar tail.
      ...[16, 7].map((filters): [string, () => tf.Tensor[]] => [`transposed conv to ${filters}`, () => {
        const layer = conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
        layer.build([3, 7, 7, 32]);
        const weights = [tensor([3, 3, filters, 32], 10), tensor([filters], 11)];
        layer.setWeights(weights);
        const y = layer.apply(withNaN([3, 7, 7, 32], 12, [3, 800])) as tf.Tensor;
        tf.dispose(weights);
        for (const w of layer.weights) w.dispose();
        return [y];
      }]),
    ];
    for (const [label, f] of cases) {
      const [ours] = await on('wasm', 1, f);
      const [cpu] = await on('cpu', 1, f);
      const nans = (v: Float32Array): number[] => [...v.keys()].filter((i) => Number.isNaN(v[i]));
      expect(nans(cpu).length, `${label}: the case has NaN sums`).toBeGreaterThan(0);
      expect(nans(ours), `${label}: NaN positions`).toEqual(nans(cpu));
      expect(ours.filter((v) => v === 0).length, `${label}: clamped sums`).toBeGreaterThan(ours.length / 10);
      const finite = (v: Float32Array): Float32Array => v.map((x) => (Number.isNaN(x) ? 0 : x));
      expectClose([finite(ours)], [finite(cpu)], label);
    }
  });
});

const CONV: AutoencoderParams = { ...DEFAULT_PARAMS, architecture: 'conv', filters: [6, 8], kernelSize: 3, latentSize: 5, imageSize: 12, batchSize: 16, learningRate: 1e-2, seed: 7 };

/** Training losses of a fresh conv autoencoder for `steps` batches on the current backend (trainLosses.ts). */
function trainConv(steps: number, onTrained?: Parameters<typeof trainLosses>[3]): number[] {
  // Smooth images (a sine wave per image) with some noise: something the model can learn in a few steps.
  const noise = data([48, 144], 91);
  const images = tf.tensor2d(noise.map((v, i) => 0.5 + 0.4 * Math.sin(0.4 * (i % 144) + Math.floor(i / 144)) + 0.05 * v), [48, 144]);
  return trainLosses(CONV, images, steps, onTrained);
}

describe('a conv autoencoder on wasm with the fused conv layers', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('trains to the losses of the unfused path, leaks nothing, and its decoder saves standard Conv2DTranspose layers that reload', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-convt-'));
    let saved: Promise<void> = Promise.resolve();
    let reconstruction: number[] = [];
    const z = tf.tensor2d(data([3, CONV.latentSize], 93), [3, CONV.latentSize]);
    let ran: string[] = [];
    const fusedLosses = trainConv(20, (ae) => {
      reconstruction = tf.tidy(() => Array.from((ae.decoder.predict(z) as tf.Tensor).dataSync()));
      saved = saveLayersModel(ae.decoder, dir);
    });
    await saved;
    ran = (await tf.profile(() => trainConv(2))).kernelNames;
    expect(ran).toContain(CONV2D);
    expect(ran).toContain(CONV2D_TRANSPOSE);
    // The unfused path: without our kernels fused.conv2d and the layer call tfjs's.
    for (const k of CONV_FUSED_KERNELS) tf.unregisterKernel(k.kernelName, 'wasm');
    let stockLosses: number[];
    try {
      stockLosses = trainConv(20);
      ran = (await tf.profile(() => trainConv(2))).kernelNames;
    } finally {
      for (const k of CONV_FUSED_KERNELS) tf.registerKernel(k);
    }
    expect(ran).not.toContain(CONV2D);
    expect(ran).not.toContain(CONV2D_TRANSPOSE);
    expect(fusedLosses[19]).toBeLessThan(fusedLosses[0] * 0.9);
    fusedLosses.forEach((l, i) => expect(Math.abs(l - stockLosses[i]) / stockLosses[i], `step ${i + 1}: ${l} vs ${stockLosses[i]}`).toBeLessThan(1e-5));

    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: Array<{ class_name: string }> } } };
    const classes = json.modelTopology.config.layers.map((l) => l.class_name);
    expect(classes.filter((c) => c === 'Conv2DTranspose')).toHaveLength(CONV.filters.length);
    const loaded = await loadLayersModel(dir);
    // A loaded model gets tfjs's own class back.
    expect(loaded.layers.filter((l) => l.getClassName() === 'Conv2DTranspose' && l.constructor === tf.layers.conv2dTranspose({ filters: 1, kernelSize: 1 }).constructor)).toHaveLength(CONV.filters.length);
    const reloaded = tf.tidy(() => Array.from((loaded.predict(z) as tf.Tensor).dataSync()));
    expect(reloaded).toEqual(reconstruction);
    loaded.dispose();
    z.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(tf.memory().numTensors).toBe(before);
  });
});
