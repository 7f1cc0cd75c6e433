// A conv layer's bias and activation as single passes over its channels-last output (convFused.ts has the
// kernels): forward, the bias and ReLU added in place to a transposed convolution's product; backward, the
// activation's derivative applied to dy and the bias gradient summed per channel in the same pass (tfjs runs
// the two as a full-size elementwise kernel, then a Sum that reads its result again). The derivatives are
// reluGrad's and sigmoidGrad's formulas (loops.ts) and each channel adds its rows in order from 0 in float32,
// as colsum does for the Sum they replace, so both outputs have the bits of the unfused path.
import {
  F32, V128, at, bitselect, f32, fgt, fmul, fne, forRange, fsub, get, i32, select, set, splat, store, vgt, vmul, vne, vstore, vsub, vzero,
  add, fadd, vadd, type Code, type FuncDef,
} from '../../wasm/asm';
import { channelWalk, rowMap, walkIndices } from './channelWalk';

// biasRelu(x, bias, out, rows, C): out = relu(x + bias); out may be x (each element is read before it is written).
// The sum x + bias of a product started from +0 is never -0, so relu's a < 0 ? 0 : a gives max(a, 0)'s bits.
const biasRelu = rowMap('biasRelu', 1, 1, ({ data: [x], chan: [b], op }) => op.relu(op.add(x, b)));

/** An activation's derivative times dy, given the activation's output y, on four lanes or one. */
type Derivative = (dy: Code, y: Code, vector: boolean) => Code;

/** dy * step(y): 1 where y > 0, NaN where y is NaN, else 0 (loops.ts reluGrad). */
const reluTimes: Derivative = (dy, y, vector) =>
  vector
    ? vmul(dy, bitselect(y, bitselect(splat(f32(1)), vzero(), vgt(y, vzero())), vne(y, y)))
    : fmul(dy, select(y, select(f32(1), f32(0), fgt(y, f32(0))), fne(y, y)));

/** dy * (y * (1 - y)) (loops.ts sigmoidGrad). */
const sigmoidTimes: Derivative = (dy, y, vector) => (vector ? vmul(dy, vmul(y, vsub(splat(f32(1)), y))) : fmul(dy, fmul(y, fsub(f32(1), y))));

/**
 * name(dy, y, dbias, d, rows, C): d = derivative(dy, y), dbias[c] = sum over rows of d[., c] (zeroed here). The
 * walk keeps channel group c's running sums in its per-channel locals, loaded from dbias at each block of rows
 * and stored back after it.
 */
function biasGrad(name: string, derivative: Derivative): FuncDef {
  const ix = walkIndices(2, 1);
  const DBIAS = 2;
  const [t, ts] = [ix.extra, ix.extra + 1];
  return channelWalk({
    name,
    nData: 2,
    nChan: 1,
    extra: [V128, F32],
    prologue: forRange(ix.c, i32(0), get(ix.C), store(at(get(DBIAS), get(ix.c)), f32(0))),
    step: ({ data: [dy, y] }, vector) => {
      const [term, sum] = vector ? [t, ix.chanV] : [ts, ix.chanS];
      const out = at(get(ix.last), add(get(ix.row), get(ix.c)));
      return [
        ...set(term, derivative(dy, y, vector)),
        ...(vector ? vstore : store)(out, get(term)),
        ...set(sum, (vector ? vadd : fadd)(get(sum), get(term))),
      ];
    },
    leave: (vector) => (vector ? vstore(at(get(DBIAS), get(ix.c)), get(ix.chanV)) : store(at(get(DBIAS), get(ix.c)), get(ix.chanS))),
  });
}

export const CONV_BIAS_FUNCS: readonly FuncDef[] = [biasRelu, biasGrad('reluBiasGrad', reluTimes), biasGrad('sigmoidBiasGrad', sigmoidTimes)];

export interface ConvBiasLoops {
  biasRelu(x: number, bias: number, out: number, rows: number, c: number): void;
  reluBiasGrad(dy: number, y: number, dbias: number, d: number, rows: number, c: number): void;
  sigmoidBiasGrad(dy: number, y: number, dbias: number, d: number, rows: number, c: number): void;
}
