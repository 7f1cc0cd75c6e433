// How much memory one trainer needs for a trial, worked out from the hyperparameters alone (no model is built),
// so a study can be sized before anything starts: how many trainers fit ('auto'), or that none does and why.
// The shapes follow the builders in ../model (dense.ts, conv.ts, blocks.ts); a test checks the parameter count
// against the built models. The constants were calibrated against measured peak RSS (bench/trainerRss.ts).
import type { AutoencoderParams } from '../../shared/dto';
import { IN_MEMORY_BYTES } from '../data/imageRows';
import { downsampledSizes } from '../model/shapes';

export interface MemoryEstimate {
  /** Node, TensorFlow.js, the wasm module and its heap's floor: what an idle trainer holds. */
  runtime: number;
  /** Weights, their gradients and a best-weights copy. */
  model: number;
  /** The optimizer's state (Adam: two moments per weight) and its step's temporaries. */
  optimizer: number;
  /** Activations, their gradients and the convolution scratch of one batch (kept by the wasm heap's high water). */
  batch: number;
  /** Images held in memory (small folders; large ones are read per batch) and every image's code. */
  data: number;
  /** The decoded-image cache file, which the OS keeps in its page cache while it has room (not counted in total). */
  cachePages: number;
  total: number;
}

/** An idle trainer process (Node + tfjs + wasm backend + our kernels), measured: ~250 MB resident. */
export const RUNTIME_BYTES = 300 * 2 ** 20;
/** Float32 tensors alive per activation element during a step: forward output, saved input, gradient, temporaries. */
const ACTIVATION_COPIES = 4;
/** Rows per evaluation batch (fit.ts) and the float tensors alive per activation element there. */
const EVAL_ROWS = 512;
const EVAL_COPIES = 1.5;
/** The wasm heap grows to the largest step's need and keeps fragments: a margin on the batch term. */
const HEAP_MARGIN = 1.5;

interface Layer {
  params: number;
  /** Output elements per sample. */
  outputs: number;
  /** im2col scratch elements per sample (convolutions). */
  patches: number;
}

const dense = (inputs: number, units: number, p: AutoencoderParams): Layer => ({
  // Batch norm replaces the bias and adds gamma, beta and two moving statistics per unit.
  params: inputs * units + (p.batchNorm ? 4 * units : units),
  outputs: units * (p.batchNorm ? 2 : 1),
  patches: 0,
});

function denseLayers(p: AutoencoderParams, inputDim: number): Layer[] {
  const layers: Layer[] = [];
  let width = inputDim;
  for (const units of p.hiddenUnits) {
    layers.push(dense(width, units, p));
    width = units;
  }
  layers.push({ params: width * p.latentSize + p.latentSize, outputs: p.latentSize, patches: 0 });
  if (p.architecture === 'variational') layers.push({ params: width * p.latentSize + p.latentSize, outputs: 2 * p.latentSize, patches: 0 });
  width = p.latentSize;
  for (const units of [...p.hiddenUnits].reverse()) {
    layers.push(dense(width, units, p));
    width = units;
  }
  layers.push({ params: width * inputDim + inputDim, outputs: inputDim, patches: 0 });
  return layers;
}

function convLayers(p: AutoencoderParams, size: number, channels: number): Layer[] {
  const k2 = p.kernelSize * p.kernelSize;
  const sizes = downsampledSizes(size, size, p.filters.length);
  const conv = (inC: number, outC: number, outPixels: number, patchPixels: number, bn: boolean): Layer => ({
    params: k2 * inC * outC + (bn ? 4 * outC : outC),
    outputs: outPixels * outC * (bn ? 2 : 1),
    // Forward im2row and the filter gradient's patches: output pixels x k2 x input channels (the input
    // gradient's scatter has the same size, seen from the other side).
    patches: patchPixels * k2 * inC,
  });
  const layers: Layer[] = [];
  let inC = channels;
  p.filters.forEach((f, i) => {
    const [h, w] = sizes[i + 1];
    layers.push(conv(inC, f, h * w, h * w, p.batchNorm));
    inC = f;
  });
  const [hL, wL] = sizes[p.filters.length];
  const flat = hL * wL * inC;
  layers.push({ params: flat * p.latentSize + p.latentSize, outputs: p.latentSize, patches: 0 });
  layers.push(dense(p.latentSize, flat, p));
  // Transposed convolutions back up, each doubling the map; the last one to the image's channels.
  for (let i = p.filters.length - 1; i >= 0; i--) {
    const outC = i >= 1 ? p.filters[i - 1] : channels;
    const pixels = hL * wL * 4 ** (p.filters.length - i);
    const layer = conv(outC, inC, pixels, pixels / 4, i >= 1 && p.batchNorm);
    layers.push({ ...layer, params: k2 * inC * outC + (i >= 1 && p.batchNorm ? 4 * outC : outC), outputs: pixels * outC });
    inC = outC;
  }
  return layers;
}

/** The layers a trial trains, for counting: parameters, activations and convolution scratch. */
export function trialLayers(p: AutoencoderParams, channels = p.channels): Layer[] {
  return p.architecture === 'conv' ? convLayers(p, p.imageSize, channels) : denseLayers(p, p.imageSize * p.imageSize * channels);
}

/** Every weight a trial trains or keeps (batch-norm statistics and the VAE's log-variance head included). */
export function estimatedParams(p: AutoencoderParams): number {
  return trialLayers(p).reduce((s, l) => s + l.params, 0);
}

const optimizerSlots = (p: AutoencoderParams): number => (p.optimizer === 'adam' ? 2 : p.optimizer === 'sgd' ? (p.momentum > 0 ? 1 : 0) : 1);

/** One trainer's memory for a trial of `p` on a folder of `images` images (bytes). */
export function estimateTrialMemory(p: AutoencoderParams, images: number): MemoryEstimate {
  const layers = trialLayers(p);
  const params = layers.reduce((s, l) => s + l.params, 0);
  const rowBytes = p.imageSize * p.imageSize * p.channels;
  const perSample = layers.reduce((s, l) => s + l.outputs, 0) + rowBytes;
  const patches = Math.max(0, ...layers.map((l) => l.patches));
  const model = 4 * params * 3;
  // Slots, plus the fresh value and slots of one variable's update before the old ones are freed.
  const optimizer = 4 * params * optimizerSlots(p) + 4 * Math.max(...layers.map((l) => l.params)) * (1 + optimizerSlots(p));
  // Evaluation runs in batches of 512 without gradients, but tidy keeps a batch's intermediates until it ends.
  const training = p.batchSize * (perSample * ACTIVATION_COPIES + 2 * patches);
  const evaluation = EVAL_ROWS * (perSample * EVAL_COPIES + patches);
  const batch = HEAP_MARGIN * 4 * Math.max(training, evaluation);
  const pixels = images * rowBytes;
  const data = Math.min(pixels, IN_MEMORY_BYTES) + 4 * images * (p.latentSize + 2) + 5 * 1024 * rowBytes;
  const total = RUNTIME_BYTES + model + optimizer + batch + data;
  return { runtime: RUNTIME_BYTES, model, optimizer, batch, data, cachePages: pixels, total: Math.ceil(total) };
}

const mb = (b: number): string => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GB` : `${Math.max(1, Math.round(b / 2 ** 20))} MB`);

/** "1.2 GB (runtime 300 MB, model 5 MB, optimizer 4 MB, batch 600 MB, images 70 MB)". */
export function describeMemory(e: MemoryEstimate): string {
  return `${mb(e.total)} (runtime ${mb(e.runtime)}, model ${mb(e.model)}, optimizer ${mb(e.optimizer)}, batch ${mb(e.batch)}, images and codes ${mb(e.data)})`;
}

export const formatBytes = mb;
