import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../../src/shared/dto';
import { buildAutoencoder, countParams, type Autoencoder } from '../../src/core/model';
import { corruptInputs } from '../../src/core/model/assemble';
import { downsampledSizes } from '../../src/core/model/conv';
import { loadLayersModel, saveLayersModel } from '../../src/core/export/encoderBundle';
import { selectBackend } from '../../src/core/training/backend';

const IMG = { width: 8, height: 8, channels: 1 };
const base: AutoencoderParams = { ...DEFAULT_PARAMS, hiddenUnits: [16], latentSize: 4, filters: [4, 8], imageSize: 8, seed: 3 };
const ARCHS = ['dense', 'conv', 'denoising', 'sparse', 'variational'] as const;

const build = (over: Partial<AutoencoderParams> = {}, input = IMG, seed = 3): Autoencoder => buildAutoencoder({ ...base, ...over }, input, seed);
const flatWeights = (ae: Autoencoder): number[] => ae.weights.flatMap((w) => [...w.read().dataSync()]);

describe('buildAutoencoder', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  it.each(ARCHS)('%s: separate encoder (input -> code) and decoder (code -> input), seeded weights', (architecture) => {
    const ae = build({ architecture });
    expect(ae.encoder.inputs[0].shape).toEqual([null, 64]);
    expect(ae.encoder.outputs).toHaveLength(1);
    expect(ae.encoder.outputs[0].shape).toEqual([null, 4]);
    expect(ae.decoder.inputs[0].shape).toEqual([null, 4]);
    expect(ae.decoder.outputs[0].shape).toEqual([null, 64]);
    const again = build({ architecture });
    const other = build({ architecture }, IMG, 4);
    expect(flatWeights(again)).toEqual(flatWeights(ae));
    expect(flatWeights(other)).not.toEqual(flatWeights(ae));
    const y = tf.tidy(() => ae.forward(tf.ones([3, 64]), { training: false, seed: 0 }).reconstruction.dataSync());
    expect(y).toHaveLength(3 * 64);
    expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...y)).toBeLessThanOrEqual(1);
    for (const m of [ae, again, other]) m.dispose();
  });

  it('reproduces the reference models of REFERENCE.md exactly (parameter counts)', () => {
    const mnist = { width: 28, height: 28, channels: 1 };
    const dense = build({ architecture: 'dense', hiddenUnits: [256, 64], latentSize: 32 }, mnist);
    const conv = build({ architecture: 'conv', filters: [16, 32], kernelSize: 3, latentSize: 32 }, mnist);
    expect(countParams(dense)).toBe(439_728);
    expect(countParams(conv)).toBe(111_521);
    const convLayers = conv.encoder.layers.map((l) => l.getClassName());
    expect(convLayers).toEqual(['InputLayer', 'Reshape', 'Conv2D', 'Conv2D', 'Flatten', 'Dense']);
    expect(conv.decoder.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense', 'Reshape', 'Conv2DTranspose', 'Conv2DTranspose', 'Flatten']);
    dense.dispose();
    conv.dispose();
  });

  it('conv handles odd and non-square RGB images (crops the decoder overshoot)', () => {
    expect(downsampledSizes(7, 9, 2)).toEqual([[7, 9], [4, 5], [2, 3]]);
    const ae = build({ architecture: 'conv', filters: [4, 8] }, { width: 9, height: 7, channels: 3 });
    expect(ae.encoder.inputs[0].shape).toEqual([null, 7 * 9 * 3]);
    expect(ae.decoder.outputs[0].shape).toEqual([null, 7 * 9 * 3]);
    const y = tf.tidy(() => ae.forward(tf.zeros([2, 189]), { training: true, seed: 1 }).reconstruction.shape);
    expect(y).toEqual([2, 189]);
    ae.dispose();
  });

  it('dropout, batch norm, every activation and linear output build and run', () => {
    for (const activation of ['relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'linear'] as const) {
      for (const architecture of ['dense', 'conv'] as const) {
        const ae = build({ architecture, activation, dropout: 0.3, batchNorm: true, outputActivation: 'linear' });
        const names = [...ae.encoder.layers, ...ae.decoder.layers].map((l) => l.getClassName());
        expect(names).toContain('Dropout');
        expect(names).toContain('BatchNormalization');
        if (activation === 'leakyRelu') expect(names).toContain('LeakyReLU');
        const out = tf.tidy(() => ae.forward(tf.randomUniform([4, 64], 0, 1, 'float32', 1) as tf.Tensor2D, { training: true, seed: 2 }).reconstruction.dataSync());
        expect(out.every(Number.isFinite)).toBe(true);
        ae.dispose();
      }
    }
  });

  it('dropout masks are seeded per pass: same seed same output, another seed another, none at inference', () => {
    const ae = build({ dropout: 0.5 });
    const x = tf.ones([2, 64]) as tf.Tensor2D;
    const run = (training: boolean, seed: number): number[] => tf.tidy(() => [...ae.forward(x, { training, seed }).code.dataSync()]);
    expect(run(true, 1)).toEqual(run(true, 1));
    expect(run(true, 1)).not.toEqual(run(true, 2));
    expect(run(false, 1)).toEqual(run(false, 2));
    x.dispose();
    ae.dispose();
  });

  it.each(['dense', 'conv'] as const)('%s: code dropout drops code units on their way to the decoder in training only, seeded; the code itself is untouched', (architecture) => {
    const ae = build({ architecture, codeDropout: 0.5, latentSize: 16 });
    const plain = build({ architecture, latentSize: 16 });
    const x = tf.ones([2, 64]) as tf.Tensor2D;
    const run = (m: Autoencoder, training: boolean, seed: number) =>
      tf.tidy(() => {
        const f = m.forward(x, { training, seed });
        return { code: [...f.code.dataSync()], rec: [...f.reconstruction.dataSync()] };
      });
    const before = tf.memory().numTensors;
    expect(run(ae, true, 1)).toEqual(run(ae, true, 1));
    expect(run(ae, true, 1).rec).not.toEqual(run(ae, true, 2).rec);
    expect(run(ae, true, 1).code).toEqual(run(plain, true, 1).code);
    expect(run(ae, true, 1).rec).not.toEqual(run(plain, true, 1).rec);
    expect(run(ae, false, 1)).toEqual(run(plain, false, 1));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    ae.dispose();
    plain.dispose();
  });

  it('denoising corrupts training inputs only: gaussian noise or masking at noiseLevel, seeded', () => {
    const x = tf.fill([50, 64], 0.5) as tf.Tensor2D;
    const masked = corruptInputs(x, 'masking', 0.25, 7);
    const zeros = masked.dataSync().filter((v) => v === 0).length / (50 * 64);
    expect(zeros).toBeGreaterThan(0.2);
    expect(zeros).toBeLessThan(0.3);
    const g1 = corruptInputs(x, 'gaussian', 0.1, 7);
    const g2 = corruptInputs(x, 'gaussian', 0.1, 7);
    expect([...g1.dataSync()]).toEqual([...g2.dataSync()]);
    const sd = tf.tidy(() => tf.moments(tf.sub(g1, x)).variance.sqrt().dataSync()[0]);
    expect(sd).toBeGreaterThan(0.08);
    expect(sd).toBeLessThan(0.12);
    const ae = build({ architecture: 'denoising' });
    expect(ae.corrupt).toBeDefined();
    const plain = build({ architecture: 'dense' });
    expect(plain.corrupt).toBeUndefined();
    plain.dispose();
    // A denoising conv: convNoise adds gaussian noise of that sd; 0 leaves a plain conv.
    const conv = build({ architecture: 'conv', convNoise: 0.1 });
    const c1 = conv.corrupt?.(x, 7);
    expect(c1 && [...c1.dataSync()]).toEqual([...g1.dataSync()]);
    const plainConv = build({ architecture: 'conv' });
    expect(plainConv.corrupt).toBeUndefined();
    tf.dispose([x, masked, g1, g2, ...(c1 ? [c1] : [])]);
    conv.dispose();
    plainConv.dispose();
    ae.dispose();
  });

  it('sparse adds an L1 activity penalty on the code; variational a KL term (and samples only in training)', () => {
    const x = tf.randomUniform([6, 64], 0, 1, 'float32', 5);
    const sparse = build({ architecture: 'sparse', l1: 0.01 });
    const s = tf.tidy(() => {
      const f = sparse.forward(x as tf.Tensor2D, { training: true, seed: 1 });
      const expected = tf.mul(tf.mean(tf.sum(tf.abs(f.code), 1)), 0.01);
      return [f.extraLoss!.dataSync()[0], expected.dataSync()[0]];
    });
    expect(s[0]).toBeCloseTo(s[1], 6);
    const vae = build({ architecture: 'variational', klBeta: 2 });
    const run = (training: boolean, seed: number): { extra: number; rec: number[] } =>
      tf.tidy(() => {
        const f = vae.forward(x as tf.Tensor2D, { training, seed });
        return { extra: f.extraLoss!.dataSync()[0], rec: [...f.reconstruction.dataSync()] };
      });
    const kl = run(true, 1).extra;
    const [sampledA, sampledB] = [run(true, 1).rec, run(true, 2).rec];
    const [meanA, meanB] = [run(false, 1).rec, run(false, 2).rec];
    expect(kl).toBeGreaterThan(0);
    expect(sampledA).not.toEqual(sampledB);
    expect(meanA).toEqual(meanB);
    x.dispose();
    sparse.dispose();
    vae.dispose();
  });

  it('weight decay is L2 on kernels only', () => {
    const ae = build({ weightDecay: 0.5 });
    const expected = tf.tidy(() => {
      const kernels = ae.weights.filter((w) => w.name.includes('kernel')).map((w) => tf.sum(tf.square(w.read())));
      return tf.mul(tf.addN(kernels), 0.5).dataSync()[0];
    });
    const got = tf.tidy(() => ae.regularization()!.dataSync()[0]);
    expect(got).toBeCloseTo(expected, 4);
    const noDecay = build({ weightDecay: 0 });
    expect(noDecay.regularization()).toBeNull();
    noDecay.dispose();
    ae.dispose();
  });

  it('loss mse or bce; bce with a linear output is refused clearly', () => {
    const ae = build({ loss: 'bce' });
    const [bce, ref] = tf.tidy(() => {
      const t = tf.tensor2d([[0, 1, 0.5]]);
      const y = tf.tensor2d([[0.1, 0.8, 0.5]]);
      const manual = -(Math.log(0.9) + Math.log(0.8) + 0.5 * Math.log(0.5) + 0.5 * Math.log(0.5)) / 3;
      return [ae.lossFn(t, y).dataSync()[0], manual];
    });
    expect(bce).toBeCloseTo(ref, 5);
    ae.dispose();
    expect(() => build({ loss: 'bce', outputActivation: 'linear' })).toThrow(/sigmoid/);
  });

  it.each(['variational', 'conv', 'denoising'] as const)('%s: the exported encoder (the mean for the VAE) loads with plain tfjs and gives the same codes', async (architecture) => {
    const ae = build({ architecture, dropout: 0.2, batchNorm: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-enc-'));
    await saveLayersModel(ae.encoder, dir);
    const loaded = await loadLayersModel(dir);
    const x = tf.randomUniform([5, 64], 0, 1, 'float32', 9);
    const [a, b] = tf.tidy(() => [[...ae.forward(x as tf.Tensor2D, { training: false, seed: 0 }).code.dataSync()], [...(loaded.predict(x) as tf.Tensor).dataSync()]]);
    expect(b).toEqual(a);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: unknown };
    expect(JSON.stringify(json.modelTopology)).not.toContain('log_var');
    loaded.dispose();
    x.dispose();
    ae.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
