// Every patched wasm kernel against the cpu backend (to 1e-4 of the largest magnitude), plus: no leaked
// tensor infos (the wasm backend's data-id count is unchanged), and clear errors for what is not covered.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { FusedAdam } from '../../src/core/training/optimizer';
import { DENSE, LEAKY_RELU_GRAD, PATCHED_KERNELS, RELU_GRAD, SIGMOID_GRAD, SQUARED_DIFFERENCE_GRAD } from '../../src/core/training/wasmKernels';
import { gemmMatMul } from '../../src/core/training/wasmKernels/batchMatMul';
import { adamUpdateConfig } from '../../src/core/training/wasmKernels/adam';
import { leakyReluGradConfig } from '../../src/core/training/wasmKernels/leakyRelu';
import { ELEMENTWISE_GRAD_KERNELS } from '../../src/core/training/wasmKernels/elementwiseGrads';
import {
  conv2dBackpropFilter,
  conv2dBackpropFilterConfig,
  conv2dBackpropInput,
  conv2dBackpropInputConfig,
} from '../../src/core/training/wasmKernels/conv2dBackpropFilter';
import { createRng } from '../../src/shared/rng';
import { expectClose } from '../helpers/kernelRuns';

type Arrays = Float32Array[];

/** Runs f on a backend and returns its outputs as plain arrays (tensors freed). */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Arrays> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
}

/** Deterministic inputs, the same on both backends. */
function data(shape: number[], seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
}

const dataIds = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

/** Compares f on wasm and cpu, and checks the wasm run leaves no tensor data behind. */
async function compare(label: string, f: () => tf.Tensor[]): Promise<void> {
  const expected = await on('cpu', f);
  await tf.setBackend('wasm');
  const before = dataIds();
  const actual = await on('wasm', f);
  expect(dataIds(), `${label}: wasm data ids leaked`).toBe(before);
  expectClose(actual, expected, label, 1e-4);
}

describe('wasm kernel patches', () => {
  beforeAll(async () => {
    const b = await selectBackend('wasm');
    expect(b.name).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('are registered for wasm', () => {
    for (const name of PATCHED_KERNELS) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
  });

  const matmulCases: Array<[number[], number[], boolean, boolean]> = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[1, 6, 4], [1, 9, 4], false, true],
    [[2, 3, 4], [2, 5, 4], false, true],
    [[2, 4, 3], [2, 4, 5], true, false],
    [[64, 20], [64, 30], true, false],
    [[20, 64], [30, 64], false, true],
    [[4, 64], [64, 96], false, false],
    [[64, 4], [64, 96], true, false],
    [[1, 4, 64], [1, 64, 96], false, false],
    // Our gemm's edges: row tails (M mod 4), column tails (N mod 8) in both orientations, K = 1, several strips.
    [[9, 17], [17, 11], false, false],
    [[17, 9], [11, 17], true, true],
    [[6, 1], [1, 10], false, false],
    [[130, 40], [33, 40], false, true],
    [[3, 50], [50, 25], false, false],
  ];
  it.each(matmulCases)('matMul %j x %j (tA=%s, tB=%s) and its gradients', async (sa, sb, tA, tB) => {
    await compare(`matMul ${sa} ${sb} ${tA} ${tB}`, () => {
      const a = tf.tensor(data(sa, 1), sa);
      const b = tf.tensor(data(sb, 2), sb);
      const y = tf.matMul(a, b, tA, tB);
      const dy = tf.tensor(data(y.shape, 3), y.shape);
      const [ga, gb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, w, tA, tB), dy)))([a, b]);
      return [y, ga, gb];
    });
  });

  it('fused matMul with bias and relu, and its gradients', async () => {
    await compare('fused matMul', () => {
      const a = tf.tensor2d(data([16, 12], 4), [16, 12]);
      const b = tf.tensor2d(data([12, 8], 5), [12, 8]);
      const bias = tf.tensor1d(data([8], 6));
      const f = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor): tf.Tensor =>
        tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: c, activation: 'relu' })));
      const y = tf.fused.matMul({ a, b, bias, activation: 'relu', transposeA: false, transposeB: false });
      const yt = tf.fused.matMul({ a: tf.transpose(a), b: tf.transpose(b), transposeA: true, transposeB: true, bias, activation: 'relu' });
      // No bias, linear: the shape a Dense layer with a non-fusable activation produces; computed swapped.
      const wide = tf.tensor2d(data([12, 40], 19), [12, 40]);
      const plain = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D })));
      return [y, yt, ...tf.grads(f)([a, b, bias]), ...tf.grads(plain)([a, wide])];
    });
  });

  it.each([
    ['elu', undefined],
    ['sigmoid', undefined],
    ['relu6', undefined],
    ['leakyrelu', 0.1],
    ['linear', undefined],
  ] as Array<[tf.fused.Activation, number | undefined]>)('fused matMul with a %s activation and a [1, N] bias', async (activation, leakyreluAlpha) => {
    await compare(`fused ${activation}`, () => {
      const a = tf.tensor2d(data([10, 13], 23), [10, 13]);
      const b = tf.tensor2d(data([9, 13], 24), [9, 13]);
      const bias = tf.tensor2d(data([1, 9], 25), [1, 9]);
      return [tf.fused.matMul({ a, b, transposeB: true, bias, activation, leakyreluAlpha })];
    });
  });

  it('unbatched float32 products take our gemm; batched and prelu ones the stock path', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const run = (inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap = {}): tf.TensorInfo | null => gemmMatMul({ inputs, backend, attrs });
    const a = tf.ones([4, 3]);
    const b = tf.ones([3, 2]);
    const out = run({ a, b });
    expect(out?.shape).toEqual([4, 2]);
    const product = tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
    expect(Array.from(product.dataSync())).toEqual(Array<number>(8).fill(3));
    product.dispose();
    const batched = [tf.ones([2, 4, 3]), tf.ones([2, 3, 2])];
    expect(run({ a: batched[0], b: batched[1] })).toBeNull();
    const alpha = tf.ones([2]);
    expect(run({ a, b, preluActivationWeights: alpha }, { activation: 'prelu' })).toBeNull();
    tf.dispose([a, b, alpha, ...batched]);
  });

  // [x shape, filter [fh, fw, inC, outC], strides, pad]
  const convCases: Array<[number[], number[], number, 'same' | 'valid' | number]> = [
    [[2, 8, 8, 1], [3, 3, 1, 4], 1, 'same'],
    [[2, 8, 8, 3], [3, 3, 3, 5], 2, 'same'],
    [[2, 7, 9, 2], [3, 3, 2, 4], 2, 'same'],
    [[2, 8, 8, 2], [3, 3, 2, 3], 1, 'valid'],
    [[2, 9, 9, 2], [5, 5, 2, 3], 2, 'valid'],
    [[1, 6, 6, 4], [1, 1, 4, 2], 2, 'same'],
    [[2, 8, 8, 2], [3, 3, 2, 3], 2, 1],
    // More than 4 input channels: im2row + gemm (fewer take the direct loops of convDirect.ts).
    [[2, 9, 8, 5], [3, 3, 5, 6], 2, 'same'],
    [[2, 8, 8, 6], [3, 3, 6, 3], 1, 'valid'],
  ];
  it.each(convCases)('conv2d %j filter %j stride %s pad %s: forward and gradients', async (xs, fs, s, pad) => {
    await compare(`conv2d ${xs} ${fs} ${s} ${pad}`, () => {
      const x = tf.tensor4d(data(xs, 7), xs as [number, number, number, number]);
      const w = tf.tensor4d(data(fs, 8), fs as [number, number, number, number]);
      const y = tf.conv2d(x, w, s, pad);
      const dy = tf.tensor(data(y.shape, 9), y.shape);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad), dy)))([x, w]);
      return [y, gx, gw];
    });
  });

  it.each([
    [[2, 4, 4, 3], [3, 3, 2, 3], [2, 8, 8, 2], 2, 'same'],
    [[2, 4, 4, 3], [3, 3, 2, 3], [2, 4, 4, 2], 1, 'same'],
    [[2, 3, 3, 2], [3, 3, 1, 2], [2, 7, 7, 1], 2, 'valid'],
  ] as Array<[number[], number[], number[], number, 'same' | 'valid']>)(
    'conv2dTranspose %j filter %j -> %j: forward and gradients',
    async (xs, fs, outShape, s, pad) => {
      await compare(`conv2dTranspose ${xs} ${fs}`, () => {
        const x = tf.tensor4d(data(xs, 10), xs as [number, number, number, number]);
        const w = tf.tensor4d(data(fs, 11), fs as [number, number, number, number]);
        const out = outShape as [number, number, number, number];
        const y = tf.conv2dTranspose(x, w, out, s, pad);
        const dy = tf.tensor(data(y.shape, 12), y.shape);
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out, s, pad), dy)))([x, w]);
        return [y, gx, gw];
      });
    },
  );

  it('batch chunks (used when the im2col scratch would be too large) give the same gradients', async () => {
    const small = (name: 'Conv2DBackpropFilter' | 'Conv2DBackpropInput'): tf.KernelConfig => ({
      kernelName: name,
      backendName: 'wasm',
      // A limit of one image's scratch: every image becomes its own chunk.
      kernelFunc: (p) => (name === 'Conv2DBackpropFilter' ? conv2dBackpropFilter(p, 1) : conv2dBackpropInput(p, 1)),
    });
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const) {
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(small(name));
    }
    try {
      await compare('chunked conv gradients', () => {
        // 6 input channels: the im2col path (fewer take the direct loops, which need no chunks).
        const x = tf.tensor4d(data([3, 7, 8, 6], 21), [3, 7, 8, 6]);
        const w = tf.tensor4d(data([3, 3, 6, 3], 22), [3, 3, 6, 3]);
        return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x, w]);
      });
    } finally {
      for (const config of [conv2dBackpropFilterConfig, conv2dBackpropInputConfig]) {
        tf.unregisterKernel(config.kernelName, 'wasm');
        tf.registerKernel(config);
      }
    }
  });

  it('explicit padding reaches the filter gradient', async () => {
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [1, 2], [2, 0], [0, 0]];
    await compare('explicit pad', () => {
      const x = tf.tensor4d(data([2, 6, 6, 2], 13), [2, 6, 6, 2]);
      const w = tf.tensor4d(data([3, 3, 2, 3], 14), [3, 3, 2, 3]);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad))))([x, w]);
      return [gx, gw];
    });
  });

  it('rejects what it does not cover with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 4, 4, 3]);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] })).toThrow(/NHWC/);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: tf.zeros([1, 4, 4, 3], 'int32') }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] })).toThrow(/float32/);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] })).toThrow(/does not match/);
    tf.dispose([x, dy]);
  });

  it('the plain-JS twins (used when the wasm memory is unreachable) give the same conv gradients and Adam step', async () => {
    await tf.setBackend('wasm');
    const real = tf.backend();
    // The same backend, except that loopsFor() cannot reach its memory.
    const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
    const hidden = new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) });
    const read = (info: tf.TensorInfo): Float32Array => {
      const t = tf.engine().makeTensorFromTensorInfo(info);
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    };
    const x = tf.tensor4d(data([2, 7, 8, 6], 31), [2, 7, 8, 6]);
    const w = tf.tensor4d(data([3, 3, 6, 5], 32), [3, 3, 6, 5]);
    const dy = tf.tensor4d(data([2, 4, 4, 5], 33), [2, 4, 4, 5]);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: w.shape, inputShape: x.shape } as unknown as tf.NamedAttrMap;
    let expected: Float32Array[] = [];
    for (const backend of [real, hidden]) {
      const gw = read(conv2dBackpropFilter({ inputs: { x, dy }, backend, attrs }));
      const gx = read(conv2dBackpropInput({ inputs: { dy, filter: w }, backend, attrs }));
      const [value, gradient, m, v] = [34, 35, 36, 37].map((seed) => tf.tensor1d(data([103], seed)).abs());
      const adam = (adamUpdateConfig.kernelFunc({ inputs: { value, gradient, m, v }, backend, attrs: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3 } }) as tf.TensorInfo[]).map(read);
      tf.dispose([value, gradient, m, v]);
      if (backend === real) expected = [gw, gx, ...adam];
      else expectClose([gw, gx, ...adam], expected, 'JS twins', 1e-4);
    }
    tf.dispose([x, w, dy]);
  });

  it("the elementwise gradients' plain-JS twins give the loops' bits (LeakyRelu's too)", async () => {
    await tf.setBackend('wasm');
    const real = tf.backend();
    const wasmProxy = new Proxy((real as unknown as { wasm: object }).wasm, { get: (t, k) => (k === 'asm' ? undefined : Reflect.get(t, k)) });
    const hidden = new Proxy(real, { get: (t, k) => (k === 'wasm' ? wasmProxy : Reflect.get(t, k)) });
    const shape = [3, 5, 7];
    const values = data(shape, 81).map((v, i) => (i === 3 ? Number.NaN : i === 4 ? 0 : i === 6 ? -0 : v));
    const [p, q, r] = [values, data(shape, 82), data(shape, 83).map((v, i) => (i === 9 ? -0 : v))].map((v) => tf.tensor(v, shape));
    for (const config of ELEMENTWISE_GRAD_KERNELS) {
      const names = config.kernelName.endsWith('SquaredDifferenceGrad') ? ['dy', 'p', 'q'] : ['dy', config.kernelName.endsWith('SigmoidGrad') ? 'y' : 'x'];
      const inputs = Object.fromEntries(names.map((name, i) => [name, [r, p, q][i]]));
      const [loops, twin] = [real, hidden].map((backend) => {
        const t = tf.engine().makeTensorFromTensorInfo(config.kernelFunc({ inputs, backend, attrs: {} }) as tf.TensorInfo);
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      });
      expect(twin.findIndex((v, i) => !Object.is(v, loops[i])), config.kernelName).toBe(-1);
    }
    const [loops, twin] = [real, hidden].map((backend) => {
      const t = tf.engine().makeTensorFromTensorInfo(leakyReluGradConfig.kernelFunc({ inputs: { dy: r, x: p }, backend, attrs: { alpha: 0.2 } }) as tf.TensorInfo);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    });
    expect(twin.findIndex((v, i) => !Object.is(v, loops[i])), LEAKY_RELU_GRAD).toBe(-1);
    tf.dispose([p, q, r]);
  });

  it('a sum over leading axes adds each column\'s rows in order (SIMD columns and the last cols mod 4 alike)', async () => {
    await tf.setBackend('wasm');
    for (const cols of [1, 6]) {
      const rows = 1001;
      const values = data([rows, cols], 40 + cols).map((v, i) => v * (1 + (i % 7) * 1e3));
      const got = tf.tidy(() => tf.sum(tf.tensor2d(values, [rows, cols]), 0).dataSync() as Float32Array);
      const want = Array.from({ length: cols }, (_, c) => {
        let acc = 0;
        for (let r = 0; r < rows; r++) acc = Math.fround(acc + values[r * cols + c]);
        return acc;
      });
      expect(Array.from(got), `${cols} columns`).toEqual(want);
    }
  });

  it('slices, gathers, clones, sums, averages and tiles like cpu', async () => {
    await compare('slice/gather/identity', () => {
      const x = tf.tensor(data([5, 6, 7], 15), [5, 6, 7]);
      const y = tf.tensor(data([4, 3, 2, 5, 2], 16), [4, 3, 2, 5, 2]);
      const idx = tf.tensor1d([4, 0, 2, 2], 'int32');
      return [
        tf.slice(x, [1, 0, 0], [3, -1, -1]),
        tf.slice(x, [1, 2, 3], [2, 3, 4]),
        tf.slice(y, [1, 0, 1, 2, 0], [2, 3, 1, 2, 2]),
        tf.gather(x, idx),
        tf.gather(x, tf.tensor1d([5, 1], 'int32'), 1),
        tf.gather(x, tf.tensor1d([6, 0, 3], 'int32'), 2),
        tf.clone(x),
        tf.sum(x, 0),
        tf.sum(x, [0, 1], true),
        tf.sum(y, [1, 0, 2]),
        tf.sum(x, [1, 2]),
        tf.sum(x),
        tf.mean(x, 0),
        tf.mean(x, [0, 1], true),
        tf.mean(y, [0, 1, 2, 3]),
        tf.mean(x, [1, 2]),
        // Tile: leading reps (batch norm's statistics), inner, mixed, rank 1 and 5, a zero rep.
        tf.tile(tf.tensor(data([1, 1, 1, 3], 17), [1, 1, 1, 3]), [4, 5, 6, 1]),
        tf.tile(x, [1, 1, 3]),
        tf.tile(x, [2, 3, 2]),
        tf.tile(tf.tensor1d([1, 2, 3]), [5]),
        tf.tile(y, [1, 2, 1, 3, 1]),
        tf.tile(x, [1, 0, 2]),
        tf.tile(tf.tensor([1, 0, 1, 1], [2, 2], 'int32'), [3, 2]).toFloat(),
        tf.tile(tf.tensor([true, false], [2, 1], 'bool'), [2, 3]).toFloat(),
      ];
    });
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const c = tf.clone(x);
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    c.dispose();
    expect(() => tf.gather(tf.tensor1d([1, 2]), tf.tensor1d([2], 'int32'))).toThrow(/not in \[0, 1\]/);
  });

  it("LeakyRelu and its one-pass gradient equal tfjs's x > 0 ? x : x * alpha and where(x > 0, dy, dy * alpha) to the bit, and cpu keeps tfjs's", async () => {
    // 315 elements: a SIMD body and a scalar tail of 3, with zeros of both signs and a NaN in each.
    const shape = [3, 5, 7, 3];
    const xs = data(shape, 21);
    xs[0] = 0;
    xs[1] = -0;
    xs[313] = -0;
    const both = (nan = true): tf.Tensor[] => {
      const x = tf.tensor(xs.map((v, i) => ((i === 2 || i === 314) && nan ? Number.NaN : v)), shape);
      const dy = tf.tensor(data(shape, 22), shape);
      const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(v, 0.2), dy)))([x]);
      return [tf.leakyRelu(x, 0.2), g, tf.where(tf.greater(x, 0), x, tf.mul(x, 0.2)), tf.where(tf.greater(x, 0), dy, tf.mul(dy, 0.2))];
    };
    await tf.setBackend('wasm');
    expect(tf.getKernel(LEAKY_RELU_GRAD, 'wasm')).toBeDefined();
    const [y, g, stockY, stockG] = tf.tidy(both).map((t) => Array.from(t.dataSync()));
    const differs = (a: number[], b: number[]): number => a.findIndex((v, i) => !Object.is(v, b[i]));
    expect(differs(y, stockY), 'forward').toBe(-1);
    expect(differs(g, stockG), 'gradient').toBe(-1);
    await compare('leakyRelu forward and gradient', () => both(false).slice(0, 2));
  });

  it("Relu's, Sigmoid's, SquaredDifference's and Mean's gradients equal tfjs's formulas to the bit (NaN, signed zeros, SIMD tails)", async () => {
    // 3 x 5 x 7 = 105 elements: a SIMD body and a scalar tail of 1.
    const shape = [3, 5, 7];
    const xs = data(shape, 31);
    xs[0] = 0;
    xs[1] = -0;
    xs[104] = 0;
    const special = (v: Float32Array, at: number[]): Float32Array => v.map((x, i) => (at.includes(i) ? Number.NaN : x));
    const grads = (): tf.Tensor[] => {
      const x = tf.tensor(special(xs, [2, 103]), shape);
      const t = tf.tensor(data(shape, 32), shape);
      const dy = tf.tensor(special(data(shape, 33), [4, 102]).map((v, i) => (i === 5 ? -0 : v)), shape);
      const dyOf = (f: (v: tf.Tensor) => tf.Tensor) => (v: tf.Tensor) => tf.sum(tf.mul(f(v), dy));
      const [relu] = tf.grads(dyOf((v) => tf.relu(v)))([x]);
      const [sigmoid] = tf.grads(dyOf((v) => tf.sigmoid(v)))([x]);
      const [da, db] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.squaredDifference(a, b), dy)))([x, t]);
      const [mean] = tf.grads((v: tf.Tensor) => tf.mul(tf.mean(v), 3.7))([x]);
      const [meanAxis] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.mean(v, [0, 2], true), tf.tensor(data([1, 5, 1], 34), [1, 5, 1]))))([x]);
      // tfjs's own formulas (tfjs-core's gradient configs), run as plain ops.
      const y = tf.sigmoid(x);
      const two = tf.scalar(2);
      const stock = [
        tf.mul(dy, tf.cast(tf.step(x), 'float32')),
        tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y))),
        tf.mul(dy, tf.mul(two, tf.sub(x, t))),
        tf.mul(dy, tf.mul(two, tf.sub(t, x))),
        tf.div(tf.mul(tf.scalar(3.7), tf.ones(shape)), 105),
        tf.div(tf.mul(tf.reshape(tf.tensor(data([1, 5, 1], 34), [1, 5, 1]), [1, 5, 1]), tf.ones(shape)), 21),
      ];
      return [relu, sigmoid, da, db, mean, meanAxis, ...stock];
    };
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const before = dataIds();
      const values = tf.tidy(grads).map((t) => {
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      });
      expect(dataIds(), `${backend}: data ids leaked`).toBe(before);
      const labels = ['relu', 'sigmoid', 'squaredDifference a', 'squaredDifference b', 'mean', 'mean over axes 0, 2'];
      // Object.is tells -0 from 0 and NaN from NaN; toEqual on arrays does not tell the zeros apart.
      labels.forEach((label, i) => {
        const [ours, stock] = [values[i], values[i + labels.length]];
        expect(ours.length, `${backend} ${label}`).toBe(stock.length);
        const differs = ours.findIndex((v, j) => !Object.is(v, stock[j]));
        expect(differs, `${backend} ${label}: first differing index (ours ${ours[differs]}, tfjs ${stock[differs]})`).toBe(-1);
      });
    }
    await tf.setBackend('wasm');
    for (const k of [RELU_GRAD, SIGMOID_GRAD, SQUARED_DIFFERENCE_GRAD]) {
      expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
      expect(tf.getKernel(k, 'cpu'), k).toBeUndefined();
    }
  });

  const denseCases: Array<[string, number[], number[], 'relu' | 'linear', boolean, boolean]> = [
    ['relu + bias (our kernel)', [9, 17], [17, 11], 'relu', true, false],
    ['linear + bias (our kernel)', [6, 5], [5, 16], 'linear', true, false],
    ['linear, no bias (our kernel)', [5, 7], [7, 3], 'linear', false, false],
    ['relu, transposed b (tfjs)', [9, 17], [11, 17], 'relu', true, true],
  ];
  it.each(denseCases)("Dense's fused.matMul: %s, forward and gradients like cpu", async (label, sa, sb, activation, withBias, transposeB) => {
    const n = transposeB ? sb[0] : sb[1];
    const run = (): tf.Tensor[] => {
      const a = tf.tensor(data(sa, 41), sa);
      const b = tf.tensor(data(sb, 42), sb);
      const bias = tf.tensor(data([n], 43), [n]);
      const layer = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor): tf.Tensor =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, transposeB, bias: withBias ? c : undefined, activation });
      const y = layer(a, b, bias);
      const dy = tf.tensor(data(y.shape, 44), y.shape);
      const loss = (x: tf.Tensor, w: tf.Tensor, c?: tf.Tensor): tf.Tensor => tf.sum(tf.mul(layer(x, w, c ?? bias), dy));
      return [y, ...(withBias ? tf.grads(loss)([a, b, bias]) : tf.grads(loss)([a, b]))];
    };
    await compare(`dense ${label}`, run);
    await tf.setBackend('wasm');
    const ran = (await tf.profile(() => tf.dispose(tf.tidy(run)))).kernelNames;
    expect(ran.includes(DENSE), `${label}: ${DENSE} ran`).toBe(!transposeB);
  });

  it('a per-channel bias add (either operand, any channel count, SIMD tails) equals cpu to the bit; other adds keep the stock kernel', async () => {
    const cases: Array<[number[], number[]]> = [
      [[3, 5, 7], [7]],
      [[4, 6], [1, 6]],
      [[2, 5, 3, 16], [1, 1, 1, 16]],
      [[5, 3, 3, 1], [1, 1, 1, 1]],
      [[7], [3, 5, 7]],
      [[3, 5, 7], [3, 5, 7]],
      [[3, 5, 7], [5, 1]],
    ];
    const run = (): tf.Tensor[] => cases.map(([sa, sb], i) => tf.add(tf.tensor(data(sa, 50 + i), sa), tf.tensor(data(sb, 60 + i).map((v, j) => (j === 0 ? -0 : v)), sb)));
    const [cpu, wasm] = [await on('cpu', run), await on('wasm', run)];
    cases.forEach((c, i) => {
      const differs = Array.from(wasm[i]).findIndex((v, j) => !Object.is(v, cpu[i][j]));
      expect(differs, `${JSON.stringify(c)}: first differing index`).toBe(-1);
    });
    await compare('bias add and its gradient', () => {
      const x = tf.tensor(data([2, 5, 3, 16], 70), [2, 5, 3, 16]);
      const b = tf.tensor(data([16], 71), [16]);
      const dy = tf.tensor(data([2, 5, 3, 16], 72), [2, 5, 3, 16]);
      return tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(tf.add(u, v), dy)))([x, b]);
    });
    await tf.setBackend('wasm');
    expect(Array.from(tf.add(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor([10, 20], [2], 'int32')).dataSync())).toEqual([11, 22, 13, 24]);
  });

  it('fused Adam follows tf.train.adam', async () => {
    const steps = (make: () => tf.Optimizer) => (): tf.Tensor[] => {
      const w = tf.variable(tf.tensor2d(data([37, 5], 17), [37, 5]));
      const target = tf.tensor2d(data([37, 5], 18), [37, 5]);
      const opt = make();
      for (let i = 0; i < 5; i++) opt.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar, false, [w]);
      const out = tf.clone(w);
      opt.dispose();
      w.dispose();
      return [out];
    };
    const expected = await on('cpu', steps(() => tf.train.adam(0.01)));
    const cpuFused = await on('cpu', steps(() => new FusedAdam(0.01)));
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const wasmFused = await on('wasm', steps(() => new FusedAdam(0.01)));
    expect(tf.memory().numTensors).toBe(before);
    expectClose(cpuFused, expected, 'FusedAdam on cpu', 1e-4);
    expectClose(wasmFused, expected, 'FusedAdam on wasm', 1e-4);
  });
});
