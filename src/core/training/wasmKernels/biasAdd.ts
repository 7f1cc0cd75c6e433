// Add of a per-channel bias for wasm: x [..., c] + b [c] (or [1, ..., 1, c]), the bias add of every conv and
// dense layer that tfjs does not fuse while recording gradients. The stock kernel sends a broadcast to a
// generic loop at ~4 ns per element (~10% of the reference conv AE's step: 1.1M elements per step); this is
// one SIMD pass over the rows. Float32 addition either way, so the same bits. Everything else goes to the stock
// kernel (same-shape adds are XNNPACK's and fast).
import { asWasm, sizeOf, type KernelConfig, type KernelParams, type TensorInfo } from './common';
import { loopsFor } from './loops';


/** Whether `bias` is one value per last-axis entry of `x` (shape [c] or [1, ..., 1, c], no higher rank). */
function isChannelBias(x: TensorInfo, bias: TensorInfo): boolean {
  const c = x.shape[x.shape.length - 1];
  return bias.shape.length >= 1 && bias.shape.length <= x.shape.length && bias.shape[bias.shape.length - 1] === c && sizeOf(bias.shape) === c && sizeOf(x.shape) > c;
}

export function biasAddConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (params: KernelParams): TensorInfo | TensorInfo[] => {
    const { a, b } = params.inputs;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length === 0) return original.kernelFunc(params);
    // x + b = b + x exactly in IEEE arithmetic, so the bias may be either operand.
    const [x, bias] = isChannelBias(a, b) ? [a, b] : b.shape.length > 0 && isChannelBias(b, a) ? [b, a] : [null, null];
    const loops = x && bias ? loopsFor(params.backend) : null;
    if (!loops || !x || !bias) return original.kernelFunc(params);
    const wasm = asWasm(params.backend);
    const out = wasm.makeOutput([...x.shape], 'float32');
    // Addresses only after the allocation (it may grow the heap).
    const addr = (t: TensorInfo): number => wasm.typedArrayFromHeap(t).byteOffset;
    const c = x.shape[x.shape.length - 1];
    loops.addRows(addr(x), addr(bias), addr(out), sizeOf(x.shape) / c, c);
    return out;
  };
  return { ...original, kernelFunc };
}
