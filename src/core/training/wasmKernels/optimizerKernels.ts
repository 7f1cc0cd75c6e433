// One kernel per step and variable for tf.train's RMSprop, Adagrad, momentum (plain or Nesterov) and SGD on
// wasm (optimizerLoops.ts has the loops). Inputs: value, gradient and the rule's slots; outputs: the new value
// and slots, fresh tensors (never written in place, like adam.ts). The float32 operations and their order are
// tfjs's (tfjs-core's optimizers/*.ts), with its scalars rounded to float32 as tfjs's scalar tensors are:
//   RMSprop:  ms' = ms decay + g^2 (1 - decay);  mom' = mom momentum + (g lr) / sqrt(ms' + eps);  w' = w - mom'
//   Adagrad:  acc' = acc + g^2;  w' = (g / sqrt(acc' + eps)) (-lr) + w
//   momentum: acc' = momentum acc + g;  w' = (-lr) acc' + w, or with Nesterov (-lr) (g + acc' momentum) + w
//   SGD:      w' = (-lr) g + w
import * as tf from '@tensorflow/tfjs';
import { WASM, asWasm, sameShape, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor } from './loops';
import { OPTIMIZER_TWINS, type OptimizerLoops } from './optimizerLoops';

export const RMSPROP_UPDATE = 'LatentLabRmspropUpdate';
export const ADAGRAD_UPDATE = 'LatentLabAdagradUpdate';
export const MOMENTUM_UPDATE = 'LatentLabMomentumUpdate';
export const SGD_UPDATE = 'LatentLabSgdUpdate';

/** The attributes each kernel takes (all numbers; nesterov a boolean). */
export interface OptimizerAttrs {
  learningRate: number;
  decay?: number;
  momentum?: number;
  epsilon?: number;
  nesterov?: boolean;
}

const f = Math.fround;

function need(attrs: OptimizerAttrs, key: 'decay' | 'momentum' | 'epsilon', kernel: string): number {
  const v = attrs[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${kernel} needs a finite ${key}, got ${String(v)}`);
  return v;
}

interface Rule {
  kernelName: string;
  slots: readonly string[];
  loop: (attrs: OptimizerAttrs) => keyof OptimizerLoops;
  /** The loop's float32 constants, as tfjs rounds its scalars. */
  constants: (attrs: OptimizerAttrs) => number[];
}

const RULES: readonly Rule[] = [
  {
    kernelName: RMSPROP_UPDATE,
    slots: ['meanSquare', 'moment'],
    loop: () => 'rmsprop',
    constants: (a) => {
      const decay = need(a, 'decay', RMSPROP_UPDATE);
      return [f(decay), f(1 - decay), f(a.learningRate), f(need(a, 'momentum', RMSPROP_UPDATE)), f(need(a, 'epsilon', RMSPROP_UPDATE))];
    },
  },
  { kernelName: ADAGRAD_UPDATE, slots: ['accumulator'], loop: () => 'adagrad', constants: (a) => [f(need(a, 'epsilon', ADAGRAD_UPDATE)), f(-a.learningRate)] },
  {
    kernelName: MOMENTUM_UPDATE,
    slots: ['accumulation'],
    loop: (a) => (a.nesterov ? 'nesterov' : 'momentum'),
    constants: (a) => [f(need(a, 'momentum', MOMENTUM_UPDATE)), f(-a.learningRate)],
  },
  { kernelName: SGD_UPDATE, slots: [], loop: () => 'sgd', constants: (a) => [f(-a.learningRate)] },
];

function updateConfig(rule: Rule): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo[] => {
    const names = ['value', 'gradient', ...rule.slots];
    const ins = names.map((name) => params.inputs[name]);
    const value = ins[0];
    if (!value || ins.some((t) => !t || t.dtype !== 'float32' || !sameShape(t.shape, value.shape))) {
      throw new Error(`${rule.kernelName} needs float32 inputs ${names.join(', ')} of one shape`);
    }
    const attrs = params.attrs as unknown as OptimizerAttrs;
    const constants = rule.constants(attrs);
    const loop = rule.loop(attrs);
    const wasm = asWasm(params.backend);
    const outs = names.filter((n) => n !== 'gradient').map(() => wasm.makeOutput([...value.shape], 'float32'));
    // Views only after every allocation (an allocation may grow and detach the heap).
    const inViews = ins.map((t) => wasm.typedArrayFromHeap(t as TensorInfo) as Float32Array);
    const outViews = outs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
    const n = inViews[0].length;
    const loops = loopsFor(params.backend);
    if (loops) {
      const run = loops[loop] as (...args: number[]) => void;
      run(...inViews.map((v) => v.byteOffset), ...outViews.map((v) => v.byteOffset), n, ...constants);
    } else {
      const twin = OPTIMIZER_TWINS[loop];
      for (let i = 0; i < n; i++) twin(inViews.map((v) => v[i]), constants).forEach((r, j) => (outViews[j][i] = r));
    }
    return outs;
  };
  return { kernelName: rule.kernelName, backendName: WASM, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const OPTIMIZER_KERNELS: readonly KernelConfig[] = RULES.map(updateConfig);

/** Slot names of each kernel, in input order after value and gradient. */
export const OPTIMIZER_SLOTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(RULES.map((r) => [r.kernelName, r.slots]));
