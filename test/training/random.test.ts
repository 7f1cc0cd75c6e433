// The seeded counter-based stream (uniforms, normals, dropout): the same numbers on wasm (SIMD kernels) and cpu
// (the JS twin), tfjs's dropout formula on those uniforms to the bit, sane moments, and the Dropout layer that
// uses it in training while serialising as tfjs's own.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { DROPOUT, RANDOM_NORMAL, RANDOM_UNIFORM } from '../../src/core/training/wasmKernels';
import { seededDropout, seededNormal, seededUniform } from '../../src/core/training/wasmKernels/random';
import { dropout } from '../../src/core/model/dropout';

const dataIds = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

async function on<T>(backend: 'wasm' | 'cpu', f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

const values = (f: () => tf.Tensor): number[] => {
  const t = f();
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

const firstDiffering = (a: number[], b: number[]): number => a.findIndex((v, i) => !Object.is(v, b[i]));

function moments(v: number[]): { mean: number; variance: number; kurtosis: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  const kurtosis = v.reduce((a, b) => a + (b - mean) ** 4, 0) / v.length / variance ** 2;
  return { mean, variance, kurtosis };
}

describe('seeded random stream', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('uniforms: the same bits on wasm and cpu, in [0, 1), 1/12 variance, and a new seed gives new numbers', async () => {
    // 2^16 + 3: a SIMD body and a scalar tail.
    const shape = [65539];
    const before = dataIds();
    const wasm = await on('wasm', () => values(() => seededUniform(shape, 7)));
    expect(dataIds()).toBe(before);
    const cpu = await on('cpu', () => values(() => seededUniform(shape, 7)));
    await tf.setBackend('wasm');
    expect(firstDiffering(wasm, cpu)).toBe(-1);
    expect(Math.min(...wasm)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...wasm)).toBeLessThan(1);
    const { mean, variance } = moments(wasm);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const other = values(() => seededUniform(shape, 8));
    expect(other.filter((v, i) => v === wasm[i]).length).toBeLessThan(10);
    const ran = (await tf.profile(() => tf.dispose(seededUniform([4], 1)))).kernelNames;
    expect(ran).toContain(RANDOM_UNIFORM);
  });

  it('normals: wasm and cpu agree to float32 rounding, with N(mean, std) moments; a ragged size is a prefix of a whole one', async () => {
    const shape = [65536];
    const wasm = await on('wasm', () => values(() => seededNormal(shape, 0.5, 2, 11)));
    const cpu = await on('cpu', () => values(() => seededNormal(shape, 0.5, 2, 11)));
    await tf.setBackend('wasm');
    const worst = Math.max(...wasm.map((v, i) => Math.abs(v - cpu[i]) / Math.max(1, Math.abs(cpu[i]))));
    expect(worst).toBeLessThan(5e-6);
    const { mean, variance, kurtosis } = moments(wasm);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(variance - 4)).toBeLessThan(0.1);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.1);
    const before = dataIds();
    const ragged = values(() => seededNormal([7], 0.5, 2, 11));
    expect(dataIds()).toBe(before);
    expect(firstDiffering(ragged, wasm.slice(0, 7))).toBe(-1);
    expect((await tf.profile(() => tf.dispose(seededNormal([5], 0, 1, 1)))).kernelNames).toContain(RANDOM_NORMAL);
  });

  it("dropout is tfjs's formula x * floor(u + keep) / keep on the stream's uniforms, to the bit, forward and backward, on wasm and cpu", async () => {
    // 1,003 elements with signed zeros and a NaN: x * 0 keeps -0 and NaN, as tfjs's multiply does.
    const xs = Float32Array.from({ length: 1003 }, (_, i) => Math.sin(i) * 3);
    xs[0] = -0;
    xs[5] = Number.NaN;
    const rate = 0.3;
    const run = (): number[][] =>
      tf.tidy(() => {
        const x = tf.tensor(xs);
        const dy = tf.tensor(Float32Array.from({ length: xs.length }, (_, i) => Math.cos(i)));
        const ours = seededDropout(x, rate, 21);
        const [grad] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(seededDropout(v, rate, 21), dy)))([x]);
        const keep = 1 - rate;
        const multiplier = tf.div(tf.floor(tf.add(seededUniform(x.shape, 21), keep)), keep);
        return [ours, grad, tf.mul(x, multiplier), tf.mul(dy, multiplier)].map((t) => Array.from(t.dataSync()));
      });
    const wasm = await on('wasm', run);
    const cpu = await on('cpu', run);
    await tf.setBackend('wasm');
    expect(firstDiffering(wasm[0], wasm[2]), 'forward vs formula').toBe(-1);
    expect(firstDiffering(wasm[1], wasm[3]), 'gradient vs formula').toBe(-1);
    expect(firstDiffering(wasm[0], cpu[0]), 'forward, wasm vs cpu').toBe(-1);
    expect(firstDiffering(wasm[1], cpu[1]), 'gradient, wasm vs cpu').toBe(-1);
    const kept = wasm[0].filter((v) => v !== 0).length / xs.length;
    expect(Math.abs(kept - 0.7)).toBeLessThan(0.05);
    expect((await tf.profile(() => tf.tidy(() => seededDropout(tf.ones([4]), 0.5, 1)))).kernelNames).toContain(DROPOUT);
    expect(() => tf.tidy(() => seededDropout(tf.ones([4]), 1, 1))).toThrow(/rate in \(0, 1\), got 1/);
    // Outside a tidy, on either path, only the result is left.
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const x = tf.ones([9]);
      const before = tf.memory().numTensors;
      const y = seededDropout(x, 0.5, 3);
      expect(tf.memory().numTensors, backend).toBe(before + 1);
      tf.dispose([x, y]);
    }
    await tf.setBackend('wasm');
  });

  it('the Dropout layer draws from the stream in training, passes inputs through in inference, and serialises as tfjs\'s Dropout', async () => {
    const layer = dropout({ rate: 0.25, name: 'd' });
    (layer as unknown as { seed: number }).seed = 99;
    const x = tf.ones([4, 6]);
    const trained = tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()));
    const expected = values(() => seededDropout(x, 0.25, 99));
    expect(firstDiffering(trained, expected)).toBe(-1);
    expect(trained.some((v) => v === 0)).toBe(true);
    expect(tf.tidy(() => Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync()))).toEqual(Array(24).fill(1));
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 3 }), layer] });
    const json = model.toJSON(null, false) as unknown as { config: { layers: Array<{ class_name: string }> } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'Dropout']);
    model.dispose();
    x.dispose();
  });
});
