// Optimizers by name. On wasm each step runs as one fused kernel per variable (wasmKernels/adam.ts,
// optimizerKernels.ts); elsewhere it is the same update written with tf ops, so every backend follows tf.train's
// formulas (for RMSprop, Adagrad and momentum SGD to the bit).
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderParams } from '../../shared/dto';
import { ADAM_UPDATE } from './wasmKernels';
import { ADAGRAD_UPDATE, MOMENTUM_UPDATE, OPTIMIZER_SLOTS, RMSPROP_UPDATE, SGD_UPDATE } from './wasmKernels/optimizerKernels';

export type OptimizerParams = Pick<AutoencoderParams, 'optimizer' | 'learningRate' | 'momentum' | 'nesterov'>;

/**
 * An optimizer whose step is one fused kernel per variable where the current backend has it (wasm), and the
 * same float32 update written with tf ops elsewhere. Slots are variables of the value's shape, made on first use.
 */
abstract class FusedOptimizer extends tf.Optimizer {
  private readonly slots = new Map<string, tf.Variable[]>();
  protected step = 0;

  /** The kernel's name, its slot inputs in order, and each slot's initial value. */
  protected abstract readonly kernel: string;
  protected abstract readonly slotNames: readonly string[];
  protected slotInitial(): number {
    return 0;
  }
  protected abstract attrs(): Record<string, number | boolean>;
  /** The update with tf ops (any backend): the new value, then the new slots. */
  protected abstract update(value: tf.Tensor, gradient: tf.Tensor, slots: tf.Variable[]): tf.Tensor[];

  applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    this.step++;
    const fused = tf.getKernel(this.kernel, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      const attrs = this.attrs() as unknown as tf.NamedAttrMap;
      for (const { name, tensor: gradient } of list) {
        const value = tf.engine().registeredVariables[name];
        if (!value || !gradient) continue;
        const slots = this.slotsFor(name, value);
        const inputs: tf.NamedTensorMap = { value, gradient };
        this.slotNames.forEach((slot, k) => (inputs[slot] = slots[k]));
        const [next, ...nextSlots] = fused ? (tf.engine().runKernel(this.kernel, inputs, attrs) as tf.Tensor[]) : this.update(value, gradient, slots);
        value.assign(next);
        slots.forEach((slot, k) => slot.assign(nextSlots[k]));
      }
    });
    this.incrementIterations();
  }

  private slotsFor(name: string, value: tf.Variable): tf.Variable[] {
    let slots = this.slots.get(name);
    if (!slots) {
      slots = tf.tidy(() => this.slotNames.map(() => tf.fill(value.shape, this.slotInitial(), 'float32').variable(false)));
      this.slots.set(name, slots);
    }
    return slots;
  }

  override dispose(): void {
    for (const s of this.slots.values()) tf.dispose(s);
    this.slots.clear();
  }
}

/** Adam (Kingma & Ba) with tfjs's defaults: beta1 0.9, beta2 0.999, epsilon 1e-7. */
export class FusedAdam extends FusedOptimizer {
  static get className(): string {
    return 'Adam';
  }
  protected readonly kernel = ADAM_UPDATE;
  protected readonly slotNames = ['m', 'v'];

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {
    super();
  }

  protected attrs(): Record<string, number> {
    const { learningRate, beta1, beta2, epsilon, step } = this;
    return { learningRate, beta1, beta2, epsilon, step };
  }

  protected update(value: tf.Tensor, gradient: tf.Tensor, [m0, v0]: tf.Variable[]): tf.Tensor[] {
    const { learningRate, beta1, beta2, epsilon, step } = this;
    const m = m0.mul(beta1).add(gradient.mul(1 - beta1));
    const v = v0.mul(beta2).add(gradient.square().mul(1 - beta2));
    const mHat = m.div(1 - beta1 ** step);
    const vHat = v.div(1 - beta2 ** step);
    return [value.sub(mHat.div(vHat.sqrt().add(epsilon)).mul(learningRate)), m, v];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** tf.train.rmsprop's update (not centered) with its defaults: decay 0.9, momentum 0, epsilon 1e-7. */
export class FusedRmsprop extends FusedOptimizer {
  static get className(): string {
    return 'RMSProp';
  }
  protected readonly kernel = RMSPROP_UPDATE;
  protected readonly slotNames = OPTIMIZER_SLOTS[RMSPROP_UPDATE];

  constructor(
    readonly learningRate: number,
    readonly decay = 0.9,
    readonly momentum = 0,
    readonly epsilon = 1e-7,
  ) {
    super();
  }

  protected attrs(): Record<string, number> {
    const { learningRate, decay, momentum, epsilon } = this;
    return { learningRate, decay, momentum, epsilon };
  }

  protected update(value: tf.Tensor, gradient: tf.Tensor, [meanSquare, moment]: tf.Variable[]): tf.Tensor[] {
    const ms = tf.add(tf.mul(meanSquare, this.decay), tf.mul(tf.square(gradient), 1 - this.decay));
    const mom = tf.add(tf.mul(moment, this.momentum), tf.div(tf.mul(gradient, this.learningRate), tf.sqrt(tf.add(ms, this.epsilon))));
    return [tf.sub(value, mom), ms, mom];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, decay: this.decay, momentum: this.momentum, epsilon: this.epsilon, centered: false };
  }
}

/** tf.train.adagrad's update: accumulators start at 0.1, epsilon the backend's (1e-7). */
export class FusedAdagrad extends FusedOptimizer {
  static get className(): string {
    return 'Adagrad';
  }
  protected readonly kernel = ADAGRAD_UPDATE;
  protected readonly slotNames = OPTIMIZER_SLOTS[ADAGRAD_UPDATE];

  constructor(
    readonly learningRate: number,
    readonly initialAccumulatorValue = 0.1,
  ) {
    super();
  }

  protected override slotInitial(): number {
    return this.initialAccumulatorValue;
  }

  protected attrs(): Record<string, number> {
    return { learningRate: this.learningRate, epsilon: tf.backend().epsilon() };
  }

  protected update(value: tf.Tensor, gradient: tf.Tensor, [accumulator]: tf.Variable[]): tf.Tensor[] {
    const acc = tf.add(accumulator, tf.square(gradient));
    return [tf.add(tf.mul(tf.div(gradient, tf.sqrt(tf.add(acc, tf.backend().epsilon()))), -this.learningRate), value), acc];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, initialAccumulatorValue: this.initialAccumulatorValue };
  }
}

/** tf.train.momentum's update (plain or Nesterov); with momentum 0 and no Nesterov, tf.train.sgd's. */
export class FusedMomentum extends FusedOptimizer {
  static get className(): string {
    return 'Momentum';
  }
  protected readonly kernel: string;
  protected readonly slotNames: readonly string[];

  constructor(
    readonly learningRate: number,
    readonly momentum: number,
    readonly useNesterov = false,
  ) {
    super();
    // No momentum: tf.train.sgd (Nesterov changes nothing then, and needs no accumulator).
    const plain = momentum === 0;
    this.kernel = plain ? SGD_UPDATE : MOMENTUM_UPDATE;
    this.slotNames = OPTIMIZER_SLOTS[this.kernel];
  }

  protected attrs(): Record<string, number | boolean> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.useNesterov };
  }

  protected update(value: tf.Tensor, gradient: tf.Tensor, [accumulation]: tf.Variable[]): tf.Tensor[] {
    const c = tf.scalar(-this.learningRate);
    if (!accumulation) return [tf.add(tf.mul(c, gradient), value)];
    const m = tf.scalar(this.momentum);
    const acc = tf.add(tf.mul(m, accumulation), gradient);
    const next = this.useNesterov ? tf.add(tf.mul(c, tf.add(gradient, tf.mul(acc, m))), value) : tf.add(tf.mul(c, acc), value);
    return [next, acc];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.useNesterov };
  }
}

export function createOptimizer(p: OptimizerParams): tf.Optimizer {
  switch (p.optimizer) {
    case 'adam':
      return new FusedAdam(p.learningRate);
    case 'rmsprop':
      return new FusedRmsprop(p.learningRate);
    case 'adagrad':
      return new FusedAdagrad(p.learningRate);
    case 'sgd':
      return new FusedMomentum(p.learningRate, p.momentum, p.nesterov);
  }
}
