// Optimizers by name. Adam on wasm runs as one fused kernel per variable (wasmKernels/adam.ts); elsewhere it
// is the same update written with tf ops, so every backend follows the same formula as tf.train.adam.
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderParams } from '../../shared/dto';
import { ADAM_UPDATE } from './wasmKernels';

export type OptimizerParams = Pick<AutoencoderParams, 'optimizer' | 'learningRate' | 'momentum' | 'nesterov'>;

interface Slot {
  m: tf.Variable;
  v: tf.Variable;
}

/** Adam (Kingma & Ba) with tfjs's defaults: beta1 0.9, beta2 0.999, epsilon 1e-7. */
export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    return 'Adam';
  }

  private readonly slots = new Map<string, Slot>();
  private step = 0;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {
    super();
  }

  applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    this.step++;
    const fused = tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
    const { learningRate, beta1, beta2, epsilon, step } = this;
    tf.tidy(() => {
      for (const { name, tensor: gradient } of list) {
        const value = tf.engine().registeredVariables[name];
        if (!value || !gradient) continue;
        const slot = this.slotFor(name, value);
        if (fused) {
          const attrs = { learningRate, beta1, beta2, epsilon, step };
          const [w, m, v] = tf.engine().runKernel(ADAM_UPDATE, { value, gradient, m: slot.m, v: slot.v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          value.assign(w);
          slot.m.assign(m);
          slot.v.assign(v);
        } else {
          const m = slot.m.mul(beta1).add(gradient.mul(1 - beta1));
          const v = slot.v.mul(beta2).add(gradient.square().mul(1 - beta2));
          const mHat = m.div(1 - beta1 ** step);
          const vHat = v.div(1 - beta2 ** step);
          value.assign(value.sub(mHat.div(vHat.sqrt().add(epsilon)).mul(learningRate)));
          slot.m.assign(m);
          slot.v.assign(v);
        }
      }
    });
    this.incrementIterations();
  }

  private slotFor(name: string, value: tf.Variable): Slot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = tf.tidy(() => ({ m: tf.zerosLike(value).variable(false), v: tf.zerosLike(value).variable(false) }));
      this.slots.set(name, slot);
    }
    return slot;
  }

  override dispose(): void {
    for (const s of this.slots.values()) tf.dispose([s.m, s.v]);
    this.slots.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** tf.train.momentum, whose dispose() forgets the learning-rate scalar of its SGD base (one tensor per trial). */
class Momentum extends tf.MomentumOptimizer {
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

export function createOptimizer(p: OptimizerParams): tf.Optimizer {
  switch (p.optimizer) {
    case 'adam':
      return new FusedAdam(p.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(p.learningRate);
    case 'adagrad':
      return tf.train.adagrad(p.learningRate);
    case 'sgd':
      return p.momentum > 0 ? new Momentum(p.learningRate, p.momentum, p.nesterov) : tf.train.sgd(p.learningRate);
  }
}
