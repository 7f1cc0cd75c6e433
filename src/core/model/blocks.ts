// Building blocks shared by the builders: seeded initialisers, hidden blocks (layer -> batch norm ->
// activation -> dropout), per-pass dropout seeds, and the reconstruction and weight-decay losses.
import * as tf from '@tensorflow/tfjs';
import type { Activation, AutoencoderParams } from '../../shared/dto';
import { createRng, type Rng } from '../../shared/rng';
import { batchNormalization } from './batchNorm';
import { dropout } from './dropout';
import { fusedBinaryCrossEntropy, fusedMeanSquaredError } from '../training/wasmKernels/lossKernels';

/** Hands out one seed per layer, so the same trial seed gives the same initial weights. */
export class LayerSeeds {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = createRng(seed);
  }
  next(): number {
    return this.rng.uint32() >>> 1;
  }
  glorot(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.next() });
  }
}

export type SymbolicTensor = tf.SymbolicTensor;

/** The kind of layer that does the linear part of a block (Dense, Conv2D, Conv2DTranspose). */
export type LinearLayerFactory = (activation: 'linear' | Exclude<Activation, 'leakyRelu'>, useBias: boolean) => tf.layers.Layer;

/** Tracks what the training loop needs from the layers: kernels (weight decay) and dropouts (seeding). */
export class BlockRegistry {
  readonly kernelLayers: tf.layers.Layer[] = [];
  readonly dropouts: tf.layers.Layer[] = [];

  /** Sets every dropout layer's seed for one pass: the stock layer reuses a fixed seed (the same mask every
   * batch) or Math.random (irreproducible) otherwise. */
  seedDropouts(seed: number): void {
    this.dropouts.forEach((layer, i) => {
      (layer as unknown as { seed?: number }).seed = (seed + Math.imul(i + 1, 0x9e3779b1)) >>> 0;
    });
  }

  kernels(): tf.Tensor[] {
    // Kernel first, bias second in every tfjs Dense/Conv layer; read() is the variable itself, so the
    // penalty's gradient reaches it.
    return this.kernelLayers.map((l) => l.trainableWeights[0].read());
  }
}

export type BlockParams = Pick<AutoencoderParams, 'activation' | 'dropout' | 'batchNorm'>;

/**
 * linear layer -> [batch norm] -> activation -> [dropout]. Without batch norm a plain activation is folded into
 * the layer (fusable); LeakyReLU is a layer in tfjs, not an activation string.
 */
export function hiddenBlock(x: SymbolicTensor, make: LinearLayerFactory, p: BlockParams, reg: BlockRegistry, name: string): SymbolicTensor {
  const inline = !p.batchNorm && p.activation !== 'leakyRelu';
  const linear = make(inline ? (p.activation as Exclude<Activation, 'leakyRelu'>) : 'linear', !p.batchNorm);
  reg.kernelLayers.push(linear);
  let h = linear.apply(x) as SymbolicTensor;
  // PyTorch's momentum (0.1 there), not Keras's 0.99: a folder of a few thousand images trains ~50 steps an
  // epoch, and with 0.99 the moving statistics that inference uses (validation error, pruning, the probe's codes)
  // still lagged after 10 epochs: the reference conv model's validation MSE 0.0168 against 0.0095 (PyTorch 0.0105).
  if (p.batchNorm) h = batchNormalization({ name: `${name}_bn`, momentum: 0.9 }).apply(h) as SymbolicTensor;
  if (p.activation === 'leakyRelu') h = tf.layers.leakyReLU({ alpha: 0.2, name: `${name}_lrelu` }).apply(h) as SymbolicTensor;
  else if (!inline) h = tf.layers.activation({ activation: p.activation, name: `${name}_act` }).apply(h) as SymbolicTensor;
  if (p.dropout > 0) {
    const drop = dropout({ rate: p.dropout, name: `${name}_dropout` });
    reg.dropouts.push(drop);
    h = drop.apply(h) as SymbolicTensor;
  }
  return h;
}

const EPS = 1e-7;

/** Mean over elements. bce expects reconstructions in (0,1) (sigmoid output); they are clipped like Keras does. */
export function reconstructionLoss(kind: AutoencoderParams['loss'], target: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    // One kernel on wasm (lossKernels.ts), tfjs's ops elsewhere.
    if (kind === 'mse') return fusedMeanSquaredError(target, y) ?? (tf.mean(tf.squaredDifference(target, y)) as tf.Scalar);
    const fused = fusedBinaryCrossEntropy(target, y, EPS);
    if (fused) return fused;
    const p = tf.clipByValue(y, EPS, 1 - EPS);
    const ll = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll)) as tf.Scalar;
  });
}

/** Keras-style L2: weightDecay * sum of squared kernel entries (biases and batch-norm parameters excluded). */
export function l2Penalty(kernels: tf.Tensor[], weightDecay: number): tf.Scalar | null {
  if (weightDecay <= 0 || kernels.length === 0) return null;
  return tf.tidy(() => tf.mul(tf.addN(kernels.map((k) => tf.sum(tf.square(k)))), weightDecay) as tf.Scalar);
}
