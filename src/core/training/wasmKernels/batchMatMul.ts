// BatchMatMul / _FusedMatMul for wasm. Unbatched float32 products (every Dense layer, forward and backward, and
// the im2col convolution gradients) go to our SIMD gemm (gemm.ts): 6,500 -> 9,000 samples/s on the reference
// dense AE. The rest goes to the stock kernel, which sends any transposed operand to a scalar loop ~10x slower
// than its XNNPACK path, so transposes are materialised first (an O(n^2) copy against O(n^3) work).
import { asWasm, disposeInfos, runKernel, sizeOf, swapLastTwo, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { packedFloats, productOffsets } from './gemm';
import { THREADED_MIN_MACS, threadedProduct } from './gemmJob';
import { kernelPool } from './kernelThreads';
import { loopsFor } from './loops';


/** Fused activations applied after our product by the backend's own kernel (relu is done in the product). */
const AFTER: Record<string, string> = { elu: 'Elu', relu6: 'Relu6', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu' };

/**
 * C = op(A).op(B) (+ bias, activation) through our SIMD gemm (gemm.ts), for unbatched float32 products; null
 * when it does not apply (batched, another dtype, a bias that is not one value per column, prelu) or the
 * wasm memory is not reachable, and the caller takes the stock path.
 */
export function gemmMatMul(params: KernelParams): TensorInfo | null {
  const { inputs, backend } = params;
  const attrs = params.attrs ?? {};
  const { a, b, bias, preluActivationWeights } = inputs;
  const activation = typeof attrs.activation === 'string' ? attrs.activation : 'linear';
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || preluActivationWeights) return null;
  if (activation !== 'linear' && activation !== 'relu' && !(activation in AFTER)) return null;
  if (a.shape.length < 2 || b.shape.length < 2 || sizeOf(a.shape.slice(0, -2)) !== 1 || sizeOf(b.shape.slice(0, -2)) !== 1) return null;
  const tA = attrs.transposeA === true;
  const tB = attrs.transposeB === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = tA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const [kb, n] = tB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
  if (k !== kb || m === 0 || n === 0 || k === 0) return null;
  if (bias && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== n || bias.shape.some((d, i) => d !== 1 && i !== bias.shape.length - 1))) return null;
  const loops = loopsFor(backend);
  if (!loops) return null;
  const wasm = asWasm(backend);
  const outBatch = ra >= rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const out = wasm.makeOutput([...outBatch, m, n], 'float32');
  const pool = m * n * k >= THREADED_MIN_MACS ? kernelPool() : null;
  if (pool) {
    // Views only after every allocation (an allocation may grow the heap).
    const view = (t: TensorInfo): Float32Array => wasm.typedArrayFromHeap(t) as Float32Array;
    try {
      threadedProduct(pool, { a: view(a), b: view(b), bias: bias ? view(bias) : null, m, n, k, transposeA: tA, transposeB: tB, relu: activation === 'relu' }, view(out));
    } catch (err) {
      wasm.disposeData(out.dataId);
      throw err;
    }
  } else {
    const scratch = wasm.makeOutput([packedFloats(m, k, n)], 'float32');
    try {
      // Addresses only after every allocation (an allocation may grow the heap).
      const addr = (t: TensorInfo): number => wasm.typedArrayFromHeap(t).byteOffset;
      const packed = addr(scratch);
      const offsets = productOffsets(k, n);
      const packedBias = packed + offsets.bias;
      const blockScratch = packed + offsets.scratch;
      loops.pack8(addr(b), packed, k, n, tB ? 1 : n, tB ? k : 1);
      if (bias) loops.pack8(addr(bias), packedBias, 1, n, 0, 1);
      // A(i, k) at rsA*i + ksA*k bytes: a row-major m x k, or k x m read down its columns.
      const [rsA, ksA] = tA ? [4, 4 * m] : [4 * k, 4];
      loops.gemm(addr(a), packed, addr(out), bias ? packedBias : 0, m, n, k, rsA, ksA, 4 * n, activation === 'relu' ? 1 : 0, blockScratch, 0, 0);
    } finally {
      wasm.disposeData(scratch.dataId);
    }
  }
  const after = AFTER[activation];
  if (!after) return out;
  try {
    return runKernel(after, { x: out }, backend, after === 'LeakyRelu' ? { alpha: typeof attrs.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2 } : {});
  } finally {
    wasm.disposeData(out.dataId);
  }
}

/** Wraps a matmul-shaped kernel (inputs a, b; attrs transposeA/B) so it never sees a transpose flag. */
export function fastMatMul(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { inputs, backend } = params;
    const attrs = params.attrs ?? {};
    const ours = gemmMatMul(params);
    if (ours) return ours;
    const { a, b } = inputs;
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    // Only unbatched products reach XNNPACK; batched ones take the slow loop whatever we do, so leave them.
    if ((!tA && !tB) || !a || !b || sizeOf(a.shape.slice(0, -2)) !== 1 || sizeOf(b.shape.slice(0, -2)) !== 1) {
      return original.kernelFunc(params);
    }
    const temps: TensorInfo[] = [];
    const transpose = (t: TensorInfo): TensorInfo => {
      const out = runKernel('Transpose', { x: t }, backend, { perm: swapLastTwo(t.shape.length) });
      temps.push(out);
      return out;
    };
    try {
      const a2 = tA ? transpose(a) : a;
      const b2 = tB ? transpose(b) : b;
      return original.kernelFunc({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      disposeInfos(backend, temps);
    }
  };
  // setupFunc stays the original's: it binds the wasm function the delegate calls, should the backend re-init.
  return { ...original, kernelFunc };
}
