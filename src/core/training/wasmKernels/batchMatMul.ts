// BatchMatMul / _FusedMatMul for wasm. The stock wasm kernel sends any transposed operand to a scalar fallback
// loop ~10x slower than its XNNPACK path; the backward pass of every Dense layer needs exactly those cases
// (dx = dy . W^T, dW = x^T . dy). Materialising the transpose (an O(n) copy) and calling the plain path is
// far cheaper than the O(n^3) slow loop. Unfused ones may also be computed swapped (see swapIsCheaper).
import { disposeInfos, runKernel, swapLastTwo, type KernelConfig, type KernelParams, type TensorInfo } from './common';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * XNNPACK also re-packs its right operand whenever it is a new tensor (every call, in training). C = A.B can be
 * computed as (B^T.A^T)^T instead; this counts the elements each way moves (our transposes plus the packing)
 * and takes the cheaper. It swaps dx = dy.W^T of a wide layer (transposing and packing dy instead of W): ~3.0
 * instead of ~3.7 ms in one profile of the reference output layer. Weighting packing 4-16x a transpose measured
 * no better: it also swapped dW = h^T.dy, which got slower.
 */
function swapIsCheaper(m: number, k: number, n: number, tA: boolean, tB: boolean): boolean {
  const direct = (tA ? m * k : 0) + (tB ? k * n : 0) + k * n;
  const swapped = (tB ? 0 : k * n) + (tA ? 0 : m * k) + m * k + m * n;
  return swapped < direct;
}

/** Wraps a matmul-shaped kernel (inputs a, b; attrs transposeA/B) so it never sees a transpose flag. */
export function fastMatMul(original: KernelConfig): KernelConfig {
  const fused = original.kernelName !== 'BatchMatMul';
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { inputs, backend } = params;
    const attrs = params.attrs ?? {};
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
    const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
    try {
      const ra = a.shape.length;
      const [m, k] = tA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
      const n = tB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
      // The swapped form would move a bias to the wrong axis, so fused products always go direct.
      if (!fused && swapIsCheaper(m, k, n, tA, tB)) {
        const left = tB ? b : transpose(b);
        const right = tA ? a : transpose(a);
        const ct = original.kernelFunc({ inputs: { ...inputs, a: left, b: right }, backend, attrs: plainAttrs }) as TensorInfo;
        temps.push(ct);
        // Transpose allocates a fresh output, which outlives the temps.
        const c = runKernel('Transpose', { x: ct }, backend, { perm: swapLastTwo(ct.shape.length) });
        const outBatch = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
        return { ...c, shape: [...outBatch, m, n] };
      }
      const a2 = tA ? transpose(a) : a;
      const b2 = tB ? transpose(b) : b;
      return original.kernelFunc({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: plainAttrs });
    } finally {
      disposeInfos(backend, temps);
    }
  };
  // setupFunc stays the original's: it binds the wasm function the delegate calls, should the backend re-init.
  return { ...original, kernelFunc };
}
