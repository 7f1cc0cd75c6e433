// The direct convolutions for few input channels (convDirect.ts): forward (bias, relu), filter and input
// gradients against the cpu backend to 1e-5 of each output's largest magnitude over strides, paddings, odd sizes
// and channel counts around the vector widths; the same bytes on 1 and 2 threads; and what they do not cover
// going to the im2col path (and to its plain-JS twins when the wasm memory is not reachable).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../../src/core/training/wasmKernels/conv2dBackpropFilter';
import { directCovers, directFilterGrad, directForward, directInputGrad } from '../../src/core/training/wasmKernels/convDirect';
import { THREADED_MIN_MACS } from '../../src/core/training/wasmKernels/gemmJob';
import { colsSize, geometry } from '../../src/core/training/wasmKernels/im2col';
import { kernelPool, setKernelThreads } from '../../src/core/training/wasmKernels/kernelThreads';
import { data, expectClose, on } from '../helpers/kernelRuns';

type Pad = 'same' | 'valid';
type Case = [number[], number[], number | [number, number], Pad];

/** y = relu(conv(x, W) + b) and the gradients of sum(conv(x, W) * dy) for x and W. */
const convAndGrads = ([xs, fs, strides, pad]: Case, seed: number) => (): tf.Tensor[] => {
  const x = tf.tensor4d(data(xs, seed), xs as [number, number, number, number]);
  const w = tf.tensor4d(data(fs, seed + 1), fs as [number, number, number, number]);
  const bias = tf.tensor1d(data([fs[3]], seed + 2));
  const y = tf.fused.conv2d({ x, filter: w, strides, pad, bias, activation: 'relu' });
  const dy = tf.tensor(data(y.shape, seed + 3), y.shape);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), dy)))([x, w]);
  return [y, ...grads];
};

const geometryOf = ([xs, fs, strides, pad]: Case) => geometry('test', xs, fs, { strides, pad } as unknown as tf.NamedAttrMap);

describe('direct convolutions for few input channels', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    setKernelThreads(1);
    await tf.setBackend('wasm');
  });

  const cases: Case[] = [
    [[7, 28, 28, 1], [3, 3, 1, 16], 2, 'same'],
    [[1, 9, 11, 1], [3, 3, 1, 5], 1, 'same'],
    [[7, 9, 11, 1], [3, 3, 1, 5], 2, 'valid'],
    [[1, 10, 7, 1], [5, 4, 1, 16], [1, 2], 'same'],
    [[7, 8, 8, 1], [2, 2, 1, 4], 3, 'valid'],
    [[1, 7, 9, 3], [3, 3, 3, 3], 1, 'same'],
    [[7, 9, 9, 3], [3, 3, 3, 12], 2, 'same'],
    [[1, 6, 5, 2], [3, 3, 2, 9], 1, 'valid'],
    [[7, 11, 7, 4], [3, 2, 4, 7], 2, 'same'],
    // A filter wider than the image, and a stride above the filter.
    [[1, 3, 2, 1], [5, 5, 1, 6], 1, 'same'],
    [[7, 10, 11, 1], [2, 2, 1, 8], 3, 'valid'],
  ];
  it.each(cases)('x %j filter %j stride %j %s: forward with bias and relu, and both gradients, match cpu', async (...c) => {
    const g = geometryOf(c);
    expect(directCovers(g, 'forward') && directCovers(g, 'input')).toBe(true);
    // Fewer than 4 output channels: the filter gradient stays on the im2col path (its groups are whole vectors).
    expect(directCovers(g, 'filter')).toBe(g.outC >= 4);
    const f = convAndGrads(c, 11);
    expectClose(await on('wasm', 1, f), await on('cpu', 1, f), JSON.stringify(c));
  });

  it('give the same bytes on 1 and 2 threads (filter gradient: per-image sums added in image order)', async () => {
    const threadedCases: Case[] = [
      [[16, 28, 28, 1], [3, 3, 1, 16], 1, 'same'],
      [[9, 30, 30, 3], [3, 3, 3, 6], 1, 'same'],
      [[24, 29, 31, 1], [3, 3, 1, 24], 2, 'valid'],
    ];
    for (const c of threadedCases) {
      expect(colsSize(geometryOf(c)) * c[1][3], 'threaded').toBeGreaterThanOrEqual(THREADED_MIN_MACS);
      const f = convAndGrads(c, 21);
      const one = await on('wasm', 1, f);
      setKernelThreads(2);
      const jobs = kernelPool()?.jobs ?? 0;
      const two = await on('wasm', 2, f);
      expect(kernelPool()?.jobs ?? 0, 'took the threaded path').toBeGreaterThan(jobs);
      two.forEach((t, i) => expect(Buffer.from(t.buffer).equals(Buffer.from(one[i].buffer)), `${JSON.stringify(c)} output ${i}`).toBe(true));
      expectClose(two, await on('cpu', 1, f), JSON.stringify(c));
    }
    // The filter gradient alone: threaded only where its arithmetic outweighs the copies into the pool.
    await tf.setBackend('wasm');
    setKernelThreads(2);
    for (const [c, threaded] of [[threadedCases[1], true], [threadedCases[0], false]] as const) {
      const [xs, fs, strides, pad] = c;
      const x = tf.tensor4d(data(xs, 51), xs as [number, number, number, number]);
      const g = geometryOf(c);
      const dy = tf.tensor4d(data([g.n, g.outH, g.outW, g.outC], 52), [g.n, g.outH, g.outW, g.outC]);
      const jobs = kernelPool()?.jobs ?? 0;
      const dw = directFilterGrad({ inputs: { x, dy }, backend: tf.backend(), attrs: { strides, pad, filterShape: fs } as unknown as tf.NamedAttrMap }, g);
      expect((kernelPool()?.jobs ?? 0) > jobs, `${JSON.stringify(c)} filter gradient threaded`).toBe(threaded);
      tf.engine().makeTensorFromTensorInfo(dw as tf.TensorInfo).dispose();
      tf.dispose([x, dy]);
    }
  });

  it("an Inf in dy spoils only the input gradient's pixels it reaches, as on cpu", async () => {
    // The input gradient adds 4 taps at a time along a filter row of 3: the 4th lane must add nothing, not 0 * Inf.
    // The Inf mid-row: the 4th lane of its tap vectors lands on an image pixel it does not reach.
    for (const [strides, at] of [[2, 7], [1, 5]] as const) {
      const f = (): tf.Tensor[] => {
        const w = tf.tensor4d(data([3, 3, 1, 5], 41), [3, 3, 1, 5]);
        const shape = strides === 2 ? [1, 5, 6, 5] : [1, 9, 11, 5];
        const dy = tf.tensor4d(data(shape, 42).map((v, i) => (i === at * 5 + 2 ? Number.POSITIVE_INFINITY : v)), shape as [number, number, number, number]);
        return [tf.conv2dTranspose(dy, w, [1, 9, 11, 1], strides, 'same')];
      };
      const [cpu] = await on('cpu', 1, f);
      const [wasm] = await on('wasm', 1, f);
      const finite = (a: Float32Array): string => Array.from(a, (v) => (Number.isFinite(v) ? '.' : 'x')).join('');
      expect(finite(wasm), `stride ${strides}`).toBe(finite(cpu));
      expect(finite(cpu)).toContain('x');
      expectClose([wasm.map((v) => (Number.isFinite(v) ? v : 0))], [cpu.map((v) => (Number.isFinite(v) ? v : 0))], `stride ${strides}`);
    }
  });

  it('leave wider inputs to im2col, and without a reachable wasm memory the im2col path matches them', async () => {
    await tf.setBackend('wasm');
    setKernelThreads(1);
    const real = tf.backend();
    expect(directCovers(geometryOf([[1, 8, 8, 5], [3, 3, 5, 8], 1, 'same']), 'forward')).toBe(false);
    // The same backend, except that loopsFor() cannot reach its memory.
    const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
    const hidden = new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) });
    const read = (info: tf.TensorInfo | null): Float32Array => {
      const t = tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    };
    const x = tf.tensor4d(data([3, 9, 8, 1], 31), [3, 9, 8, 1]);
    const w = tf.tensor4d(data([3, 3, 1, 5], 32), [3, 3, 1, 5]);
    const dy = tf.tensor4d(data([3, 5, 4, 5], 33), [3, 5, 4, 5]);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape, inputShape: x.shape } as unknown as tf.NamedAttrMap;
    const g = geometry('test', x.shape, w.shape, attrs);
    expect(directForward({ inputs: { x, filter: w }, backend: hidden, attrs }, g, false)).toBeNull();
    expect(directFilterGrad({ inputs: { x, dy }, backend: hidden, attrs }, g)).toBeNull();
    expect(directInputGrad({ inputs: { dy, filter: w }, backend: hidden, attrs }, g, x.shape)).toBeNull();
    const [direct, twin] = [real, hidden].map((backend) => [
      read(conv2dBackpropFilter({ inputs: { x, dy }, backend, attrs })),
      read(conv2dBackpropInput({ inputs: { dy, filter: w }, backend, attrs })),
    ]);
    expectClose(twin, direct, 'im2col JS twins vs direct');
    tf.dispose([x, w, dy]);
  });
});
