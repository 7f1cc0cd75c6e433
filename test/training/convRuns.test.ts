// The im2col convolution gradients in cache-sized runs of images (im2col.ts): the filter gradient's runs continue
// one sum over the batch, so one thread must give the bits of the threaded path (which multiplies a whole batch
// chunk's patches in one product), and both the cpu backend's values; the input gradient's runs (per thread on
// the threaded path) each scatter their own images, which must all be written, once. Cases cover several runs with a short
// last one, batch chunks (the scratch limit) cut across runs, channel counts off the SIMD and strip widths,
// strides 1 and 2, 'valid' and 'same'. Random data would expose a lost or doubled run, or a reordered sum.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../../src/core/training/wasmKernels/conv2dBackpropFilter';
import { THREADED_MIN_MACS } from '../../src/core/training/wasmKernels/gemmJob';
import { colsSize, geometry, gradientRunImages } from '../../src/core/training/wasmKernels/im2col';
import { kernelPool, setKernelThreads } from '../../src/core/training/wasmKernels/kernelThreads';
import { data, on } from '../helpers/kernelRuns';

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
  /** Images per batch chunk (the scratch limit in images), or the whole batch. */
  chunk?: number;
}

const CASES: Case[] = [
  // the reference model's 16 -> 32 layer at a batch with a short last run (18 + 18 + 5)
  { x: [41, 14, 14, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'same' },
  // 12 -> 13 channels (row and strip tails), stride 1: runs of 2 images, 2 + 2 + 2 + 2 + 1
  { x: [9, 20, 21, 12], filter: [3, 3, 12, 13], strides: 1, pad: 'same' },
  // 'valid', stride 2, 10 -> 9 channels: runs of 3 images, 3 + 2
  { x: [5, 41, 40, 10], filter: [3, 3, 10, 9], strides: 2, pad: 'valid' },
  // batch chunks of 5 images across runs of 2: 2 + 2 + 1 per chunk, chunks summed in order
  { x: [13, 20, 21, 12], filter: [3, 3, 12, 13], strides: 1, pad: 'same', chunk: 5 },
];

const attrsOf = (c: Case): tf.NamedAttrMap => ({ strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.filter }) as unknown as tf.NamedAttrMap;
const geometryOf = (c: Case): ReturnType<typeof geometry> => geometry('test', c.x, c.filter, attrsOf(c));
const dyShape = (c: Case): number[] => {
  const g = geometryOf(c);
  return [g.n, g.outH, g.outW, g.outC];
};

describe('conv gradients in runs of images', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    setKernelThreads(1);
    await tf.setBackend('wasm');
  });

  it('the cases cover several runs, a short last run, chunks across runs, and the threaded path', () => {
    for (const c of CASES) {
      const g = geometryOf(c);
      const run = gradientRunImages(g);
      const chunk = c.chunk ?? g.n;
      expect(Math.ceil(chunk / run), `${c.x}: runs per chunk`).toBeGreaterThan(1);
      expect(chunk % run, `${c.x}: a short last run`).not.toBe(0);
      expect(colsSize(g) * g.outC).toBeGreaterThanOrEqual(THREADED_MIN_MACS);
    }
  });

  /** The kernel's output on cpu, and on wasm with 1 and 2 threads: near cpu, and the same bits on both thread counts. */
  async function check(f: () => tf.Tensor): Promise<void> {
    const [expected] = await on('cpu', 1, () => [f()]);
    const [one] = await on('wasm', 1, () => [f()]);
    setKernelThreads(2);
    const jobs = kernelPool()?.jobs ?? 0;
    const [two] = await on('wasm', 2, () => [f()]);
    expect(kernelPool()?.jobs ?? 0, 'took the threaded path').toBeGreaterThan(jobs);
    let scale = 1e-6;
    let worst = 0;
    for (let j = 0; j < expected.length; j++) {
      scale = Math.max(scale, Math.abs(expected[j]));
      worst = Math.max(worst, Math.abs(one[j] - expected[j]));
    }
    expect(worst / scale, 'vs cpu').toBeLessThanOrEqual(1e-4);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer)), '2 threads = 1 thread bit for bit').toBe(true);
  }

  /** The limit that makes batch chunks of c.chunk images. */
  const limitOf = (c: Case): number | undefined => (c.chunk ? c.chunk * colsSize({ ...geometryOf(c), n: 1 }) : undefined);

  it.each(CASES)('filter gradient of x $x, filter $filter, stride $strides, $pad, chunk $chunk', async (c) => {
    await check(() => {
      const x = tf.tensor4d(data(c.x, 1), c.x);
      const dy = tf.tensor4d(data(dyShape(c), 2), dyShape(c) as [number, number, number, number]);
      if (tf.getBackend() === 'cpu') return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.strides, c.pad), dy)))(tf.zeros(c.filter));
      return tf.engine().makeTensorFromTensorInfo(conv2dBackpropFilter({ inputs: { x, dy }, backend: tf.backend(), attrs: attrsOf(c) }, limitOf(c)));
    });
  });

  it.each(CASES)('input gradient of x $x, filter $filter, stride $strides, $pad, chunk $chunk', async (c) => {
    await check(() => {
      const w = tf.tensor4d(data(c.filter, 3), c.filter);
      const dy = tf.tensor4d(data(dyShape(c), 4), dyShape(c) as [number, number, number, number]);
      if (tf.getBackend() === 'cpu') return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, c.strides, c.pad), dy)))(tf.zeros(c.x));
      const attrs = { ...attrsOf(c), inputShape: c.x } as unknown as tf.NamedAttrMap;
      return tf.engine().makeTensorFromTensorInfo(conv2dBackpropInput({ inputs: { dy, filter: w }, backend: tf.backend(), attrs }, limitOf(c)));
    });
  });
});
