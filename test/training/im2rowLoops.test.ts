// The wasm im2row, im2panel and col2im (loops.ts) against their plain-JS twins (im2col.ts; im2panel: im2row's
// rows regrouped into the gemm's panels), bit for bit, over geometries
// a conv autoencoder meets and the edges it may not: one channel, channel counts around the SIMD width, filters
// wider than the image, strides above the filter, 'valid', 'same' and explicit pads. col2im's sums must keep
// the JS loop's order per pixel, so random data would expose any reordering as a changed last bit.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/shared/rng';
import { WA } from '../../src/core/wasm/api';
import { col2im, colsSize, geometry, im2row, type ConvGeometry } from '../../src/core/training/wasmKernels/im2col';
import { compiledLoops, GEOMETRY_ORDER, instantiateLoops } from '../../src/core/training/wasmKernels/loops';
import { panelsFromRows } from '../../src/core/training/wasmKernels/im2panel';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
// [x shape, [fh, fw, inC, outC], stride, pad]
const CASES: Array<[number[], number[], number | [number, number], Pad]> = [
  [[3, 28, 28, 1], [3, 3, 1, 16], 2, 'same'],
  [[2, 14, 14, 16], [3, 3, 16, 32], 2, 'same'],
  [[2, 7, 9, 1], [3, 3, 1, 2], 1, 'same'],
  [[2, 9, 7, 2], [5, 5, 2, 3], 2, 'same'],
  [[1, 8, 8, 3], [3, 3, 3, 4], [1, 2], 'valid'],
  [[2, 6, 5, 4], [3, 2, 4, 1], 3, 'same'],
  [[1, 3, 2, 5], [5, 5, 5, 2], 1, 'same'],
  [[2, 10, 11, 1], [2, 2, 1, 3], 3, 'valid'],
  [[2, 6, 6, 7], [3, 3, 7, 2], 2, [[0, 0], [2, 1], [0, 3], [0, 0]]],
  [[1, 5, 5, 1], [1, 1, 1, 1], 1, 'valid'],
];

const random = (n: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
};

/** The loops on a memory of their own, with x (or cols) at byte 64 and the output after it. */
function onLoops(kind: 'im2row' | 'im2panel' | 'col2im', input: Float32Array, outLength: number, g: ConvGeometry): Float32Array {
  const compiled = compiledLoops('plain');
  if (!compiled) throw new Error('the wasm loops do not compile here');
  const bytes = 64 + 4 * (input.length + outLength) + 64;
  const memory = new WA.Memory({ initial: Math.ceil(bytes / 65536) });
  const loops = instantiateLoops(compiled, memory);
  const heap = new Float32Array(memory.buffer);
  const inAt = 16;
  const outAt = inAt + input.length;
  heap.set(input, inAt);
  // Garbage where the output goes: im2row must write every slot; col2im expects zeros (its caller's fill).
  heap.fill(kind === 'col2im' ? 0 : Number.NaN, outAt, outAt + outLength);
  heap[outAt + outLength] = 12345;
  const args = GEOMETRY_ORDER.map((k) => g[k]);
  loops[kind](4 * inAt, 4 * outAt, ...args);
  expect(heap[outAt + outLength], 'a float past the output was written').toBe(12345);
  return heap.slice(outAt, outAt + outLength);
}

describe('im2row and col2im in wasm', () => {
  it.each(CASES)('x %j filter %j stride %j pad %j: the JS twins\' bits', (xs, fs, strides, pad) => {
    const g = geometry('test', xs, fs, { strides, pad } as unknown as tf.NamedAttrMap);
    const xLength = g.n * g.inH * g.inW * g.inC;
    const x = random(xLength, 1);
    const expectedCols = new Float32Array(colsSize(g));
    im2row(x, g, expectedCols);
    expect(onLoops('im2row', x, colsSize(g), g)).toEqual(expectedCols);
    const K = g.fh * g.fw * g.inC;
    expect(onLoops('im2panel', x, colsSize(g), g), 'im2panel: im2row in panels').toEqual(panelsFromRows(expectedCols, colsSize(g) / K, K));

    const cols = random(colsSize(g), 2);
    const expectedDx = new Float32Array(xLength);
    col2im(cols, g, expectedDx);
    const dx = onLoops('col2im', cols, xLength, g);
    expect(Buffer.from(dx.buffer).equals(Buffer.from(expectedDx.buffer)), 'col2im bits').toBe(true);
  });
});
