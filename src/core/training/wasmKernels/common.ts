// Shared plumbing for the wasm kernel patches: calling another registered wasm kernel from inside a kernel, and
// freeing its intermediate outputs. Intermediates never reach the engine, so they must be released with
// backend.disposeData or they leak wasm heap (tf.memory() would not even see them).
import * as tf from '@tensorflow/tfjs';

export const WASM = 'wasm';

export type TensorInfo = tf.TensorInfo;
export type KernelConfig = tf.KernelConfig;
export type KernelParams = Parameters<tf.KernelFunc>[0];

/** The part of BackendWasm the patches use; typed locally so we do not depend on its emscripten types. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  /** A view into the wasm heap (no copy). Any allocation may grow the heap and detach it: take views last. */
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Elements of a tensor of this shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export const asWasm = (backend: object): WasmBackendLike => backend as WasmBackendLike;

/** Calls the currently registered wasm kernel `name` and returns its single output. */
export function runKernel(name: string, inputs: Record<string, TensorInfo>, backend: object, attrs: tf.NamedAttrMap): TensorInfo {
  const out = tf.getKernel(name, WASM).kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned ${out.length} outputs where one was expected`);
  return out;
}

export function disposeInfos(backend: object, infos: readonly TensorInfo[]): void {
  for (const t of infos) asWasm(backend).disposeData(t.dataId);
}

/** Runs `fill` to compute `out`; on failure frees `out` (it never reaches the engine) and rethrows. */
export function guarded(backend: object, out: TensorInfo, fill: () => void): TensorInfo {
  try {
    fill();
    return out;
  } catch (err) {
    asWasm(backend).disposeData(out.dataId);
    throw err;
  }
}

/** A view of the same data with another shape (no copy, no refcount: the caller keeps the original alive). */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** Permutation that swaps the last two axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
