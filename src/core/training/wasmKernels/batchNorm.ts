// Batch normalization in training mode as one forward and one backward kernel on wasm, for the layer in
// ../../model/batchNorm.ts. tfjs-layers computes it as tf.moments (Mean, Sub, Square, Mean) and FusedBatchNorm,
// and differentiates those op by op through Multiply, Sub, Sum, Add and Tile kernels, each a full-size pass and
// temporary: on the feature learner's conv AE that was ~29 ms of a ~100 ms step. Here the forward is two passes
// over x (per-channel sums, then y) and the backward two over dy and x (per-channel sums, then dx), with N the
// rows (every axis but the last) and per-channel work in float64 between the passes:
//   mean = E[x], var = E[x^2] - mean^2 (biased, as tf.moments), y = (x - mean) gamma / sqrt(var + eps) + beta,
//   dx = gamma invstd (dy - E[dy] - xhat E[dy xhat]) + dmean / N + 2 dvar (x - mean) / N, xhat = (x - mean) invstd,
//   dgamma = sum dy xhat, dbeta = sum dy:
// the full batch-statistics gradient, plus what reaches the mean and variance outputs themselves (zeros when only
// the moving averages read them, as in our layer; kept so that the tape is right for any use).
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, sizeOf, type KernelConfig, type KernelParams, type TensorInfo, type WasmBackendLike } from './common';
import { loopsFor } from './loops';

export const BATCH_NORM_TRAIN = 'LatentLabBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'LatentLabBatchNormTrainGrad';

interface Geometry {
  rows: number;
  channels: number;
}

/** The named inputs, all present and float32. */
function operands(kernel: string, inputs: KernelParams['inputs'], names: readonly string[]): TensorInfo[] {
  const ts = names.map((name) => inputs[name]);
  if (ts.some((t) => !t || t.dtype !== 'float32')) throw new Error(`${kernel} needs float32 inputs ${names.join(', ')}`);
  return ts as TensorInfo[];
}

/** Rows and channels of a channels-last x, checking that the per-channel operands have C values. */
function geometry(kernel: string, x: TensorInfo, perChannel: readonly TensorInfo[]): Geometry {
  if (x.shape.length < 2 || sizeOf(x.shape) === 0) throw new Error(`${kernel} needs a non-empty x of rank >= 2`);
  const channels = x.shape[x.shape.length - 1];
  if (perChannel.some((t) => sizeOf(t.shape) !== channels)) throw new Error(`${kernel} needs per-channel operands of ${channels} values`);
  return { rows: sizeOf(x.shape) / channels, channels };
}

/**
 * One allocation for a kernel's per-channel work: 2C float64 sums (8-byte aligned: one float of slack in front)
 * and `arrays` float32 arrays of C. Views come from `scratchViews`, after every allocation.
 */
const scratch = (wasm: WasmBackendLike, channels: number, arrays: number): TensorInfo => wasm.makeOutput([1 + 4 * channels + arrays * channels], 'float32');

function scratchViews(wasm: WasmBackendLike, info: TensorInfo, channels: number, arrays: number): { sums: Float64Array; arrays: Float32Array[] } {
  const all = wasm.typedArrayFromHeap(info) as Float32Array;
  const slack = all.byteOffset % 8 === 0 ? 0 : 1;
  const sums = new Float64Array(all.buffer, all.byteOffset + 4 * slack, 2 * channels);
  const base = 1 + 4 * channels;
  return { sums, arrays: Array.from({ length: arrays }, (_, i) => all.subarray(base + i * channels, base + (i + 1) * channels)) };
}

const f = Math.fround;

// Plain-JS twins of the loops (batchNormLoops.ts), for when the wasm memory is not reachable: the same float32
// terms added in float64 in the same order, so the same bits.

function statsTwin(x: Float32Array, sums: Float64Array, { rows, channels: C }: Geometry): void {
  sums.fill(0);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < C; c++, i++) {
      sums[c] += x[i];
      sums[C + c] += x[i] * x[i];
    }
  }
}

function applyTwin(x: Float32Array, mean: Float32Array, scale: Float32Array, beta: Float32Array, y: Float32Array, { rows, channels: C }: Geometry): void {
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < C; c++, i++) y[i] = f(f(f(x[i] - mean[c]) * scale[c]) + beta[c]);
  }
}

function gradStatsTwin(dy: Float32Array, x: Float32Array, mean: Float32Array, sums: Float64Array, { rows, channels: C }: Geometry): void {
  sums.fill(0);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < C; c++, i++) {
      sums[c] += dy[i];
      sums[C + c] += f(dy[i] * f(x[i] - mean[c]));
    }
  }
}

function gradApplyTwin(dy: Float32Array, x: Float32Array, mean: Float32Array, [mdy, a, b, k]: Float32Array[], dx: Float32Array, { rows, channels: C }: Geometry): void {
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < C; c++, i++) dx[i] = f(f(f(a[c] * f(dy[i] - mdy[c])) + f(b[c] * f(x[i] - mean[c]))) + k[c]);
  }
}

/** Inputs x, gamma, beta; attr epsilon. Outputs y, the batch mean and the biased batch variance (per channel). */
function batchNormTrain(params: KernelParams): TensorInfo[] {
  const [x, gamma, beta] = operands(BATCH_NORM_TRAIN, params.inputs, ['x', 'gamma', 'beta']);
  const g = geometry(BATCH_NORM_TRAIN, x, [gamma, beta]);
  const { epsilon } = params.attrs as unknown as { epsilon: number };
  const wasm = asWasm(params.backend);
  const C = g.channels;
  const outs = [wasm.makeOutput([...x.shape], 'float32'), wasm.makeOutput([C], 'float32'), wasm.makeOutput([C], 'float32')];
  const work = scratch(wasm, C, 1);
  // Views only after every allocation (an allocation may grow and detach the heap).
  const [xv, gv, bv] = [x, gamma, beta].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const [yv, mean, variance] = outs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const {
    sums,
    arrays: [scale],
  } = scratchViews(wasm, work, C, 1);
  const loops = loopsFor(params.backend);
  if (loops) loops.bnStats(xv.byteOffset, sums.byteOffset, g.rows, C);
  else statsTwin(xv, sums, g);
  for (let c = 0; c < C; c++) {
    const m = sums[c] / g.rows;
    mean[c] = m;
    variance[c] = Math.max(0, sums[C + c] / g.rows - m * m);
    scale[c] = gv[c] / Math.sqrt(variance[c] + epsilon);
  }
  if (loops) loops.bnApply(xv.byteOffset, mean.byteOffset, scale.byteOffset, bv.byteOffset, yv.byteOffset, g.rows, C);
  else applyTwin(xv, mean, scale, bv, yv, g);
  wasm.disposeData(work.dataId);
  return outs;
}

/**
 * Inputs dy, x, gamma, the forward's mean and variance and their gradients dmean and dvariance; attr epsilon.
 * Outputs dx, dgamma, dbeta.
 */
function batchNormTrainGrad(params: KernelParams): TensorInfo[] {
  const [dy, x, gamma, mean, variance, dmean, dvariance] = operands(BATCH_NORM_TRAIN_GRAD, params.inputs, ['dy', 'x', 'gamma', 'mean', 'variance', 'dmean', 'dvariance']);
  const g = geometry(BATCH_NORM_TRAIN_GRAD, x, [gamma, mean, variance, dmean, dvariance]);
  if (sizeOf(dy.shape) !== sizeOf(x.shape)) throw new Error(`${BATCH_NORM_TRAIN_GRAD} needs a dy shaped like x`);
  const { epsilon } = params.attrs as unknown as { epsilon: number };
  const wasm = asWasm(params.backend);
  const C = g.channels;
  const outs = [wasm.makeOutput([...x.shape], 'float32'), wasm.makeOutput([C], 'float32'), wasm.makeOutput([C], 'float32')];
  const work = scratch(wasm, C, 4);
  // Views only after every allocation.
  const [dyv, xv, gv, mv, vv, dmv, dvv] = [dy, x, gamma, mean, variance, dmean, dvariance].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const [dxv, dgamma, dbeta] = outs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  const { sums, arrays } = scratchViews(wasm, work, C, 4);
  const [mdy, a, b, k] = arrays;
  const loops = loopsFor(params.backend);
  if (loops) loops.bnGradStats(dyv.byteOffset, xv.byteOffset, mv.byteOffset, sums.byteOffset, g.rows, C);
  else gradStatsTwin(dyv, xv, mv, sums, g);
  const n = g.rows;
  for (let c = 0; c < C; c++) {
    const invstd = 1 / Math.sqrt(vv[c] + epsilon);
    const sumDy = sums[c];
    // sum dy (x - mean); sum dy xhat is this times invstd.
    const sumDyCentred = sums[C + c];
    const gi = gv[c] * invstd;
    dbeta[c] = sumDy;
    dgamma[c] = sumDyCentred * invstd;
    // dx = a (dy - E[dy]) + b (x - mean) + k, the formula at the top regrouped per channel. E[dy] is taken off
    // dy before scaling (as tfjs does), so a channel whose dy are all equal (batch 1) gets exactly 0; k makes
    // up for E[dy]'s rounding to float32.
    mdy[c] = sumDy / n;
    a[c] = gi;
    b[c] = (2 * dvv[c] - gi * invstd * invstd * sumDyCentred) / n;
    k[c] = (dmv[c] - gi * (sumDy - n * mdy[c])) / n;
  }
  if (loops) loops.bnGradApply(dyv.byteOffset, xv.byteOffset, mv.byteOffset, mdy.byteOffset, a.byteOffset, b.byteOffset, k.byteOffset, dxv.byteOffset, g.rows, C);
  else gradApplyTwin(dyv, xv, mv, arrays, dxv, g);
  wasm.disposeData(work.dataId);
  return outs;
}

export const batchNormTrainConfig: KernelConfig = { kernelName: BATCH_NORM_TRAIN, backendName: WASM, kernelFunc: batchNormTrain as tf.KernelFunc };
export const batchNormTrainGradConfig: KernelConfig = { kernelName: BATCH_NORM_TRAIN_GRAD, backendName: WASM, kernelFunc: batchNormTrainGrad as tf.KernelFunc };

export const batchNormTrainGradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dmean, dvariance] = dys as tf.Tensor[];
    const [x, gamma, mean, variance] = saved;
    // One kernel for all three derivatives (each thunk runs in its own tidy; these live in the gradient's scope).
    const inputs = { dy, x, gamma, mean, variance, dmean, dvariance };
    const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, inputs, attrs as tf.NamedAttrMap) as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};
