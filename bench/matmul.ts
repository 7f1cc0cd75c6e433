// Matrix products of one training step of the reference dense AE (batch 128, 784-256-64-32-64-256-784) on the
// wasm backend: our gemm (wasmKernels/gemm.ts) against the stock XNNPACK kernel, in GFLOP/s. The right-hand
// operand is a fresh tensor every call, as in training (XNNPACK then re-packs it). It also measures the
// ceiling: what 128-bit wasm SIMD multiply-adds can do on this CPU at all (native code such as PyTorch's MKL
// uses 256- or 512-bit vectors where the CPU has them; wasm has only 128).
//   node --import tsx bench/matmul.ts [--reps 30] [--no-fma]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/training/backend';
import { registerWasmKernels, restoreStockWasmKernels } from '../src/core/training/wasmKernels';
import { rerunWithTrainerFlags } from '../src/cli/rerun';
import { I32, V128, assemble, f32, forRange, get, i32, set, splat, vadd, vmadd, vmul, vstore } from '../src/core/wasm/asm';
import { WA } from '../src/core/wasm/api';
import { hasRelaxedSimd } from '../src/core/training/wasmKernels/loops';

/**
 * GFLOP/s of 12 independent chains acc = acc * a + b (fused where relaxed SIMD is on), enough in flight to
 * hide the latency: the most any wasm kernel can multiply-add per second on one core here. Best of 3.
 */
function simdPeak(fma: boolean): number {
  const CHAINS = 12;
  const [N, I, A, B] = [0, 1, 2, 3];
  const acc = (k: number): number => 4 + k;
  const step = Array.from({ length: CHAINS }, (_, k) => set(acc(k), fma ? vmadd(get(acc(k)), get(A), get(B)) : vadd(vmul(get(acc(k)), get(A)), get(B)))).flat();
  // The sums are stored at the end, so the engine cannot drop the loop as dead code.
  const store = Array.from({ length: CHAINS }, (_, k) => vstore(i32(16 * k), get(acc(k)))).flat();
  const body = [...set(A, splat(f32(0.999))), ...set(B, splat(f32(0.001))), ...forRange(I, i32(0), get(N), step), ...store];
  const bytes = assemble([{ name: 'peak', params: [I32], locals: [I32, V128, V128, ...Array<number>(CHAINS).fill(V128)], body }]);
  const run = (new WA.Instance(new WA.Module(bytes), { env: { memory: new WA.Memory({ initial: 1 }) } }).exports as { peak(n: number): void }).peak;
  run(1e6);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const n = 2e7;
    const t0 = performance.now();
    run(n);
    best = Math.max(best, (n * CHAINS * 8) / ((performance.now() - t0) / 1e3) / 1e9);
  }
  return best;
}

const WIDTHS = [784, 256, 64, 32, 64, 256, 784];
const BATCH = 128;

interface Shape {
  label: string;
  a: [number, number];
  b: [number, number];
  tA: boolean;
  tB: boolean;
}

function stepShapes(): Shape[] {
  const out: Shape[] = [];
  for (let l = 0; l + 1 < WIDTHS.length; l++) {
    const [i, o] = [WIDTHS[l], WIDTHS[l + 1]];
    out.push({ label: `fwd ${i}->${o}`, a: [BATCH, i], b: [i, o], tA: false, tB: false });
    if (l > 0) out.push({ label: `dx  ${i}->${o}`, a: [BATCH, o], b: [i, o], tA: false, tB: true });
    out.push({ label: `dW  ${i}->${o}`, a: [BATCH, i], b: [BATCH, o], tA: true, tB: false });
  }
  return out;
}

function msPerCall(s: Shape, reps: number): number {
  const a = tf.randomUniform(s.a);
  const bs = Array.from({ length: reps + 2 }, () => tf.randomUniform(s.b));
  const run = (b: tf.Tensor): void => tf.matMul(a, b, s.tA, s.tB).dispose();
  run(bs[0]);
  run(bs[1]);
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) run(bs[r + 2]);
  const ms = (performance.now() - t0) / reps;
  tf.dispose([a, ...bs]);
  return ms;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--reps');
  const reps = i > 0 ? Number(process.argv[i + 1]) : 30;
  const info = await selectBackend('wasm');
  if (info.name !== 'wasm') throw new Error(`wasm backend unavailable: ${info.note}`);
  const shapes = stepShapes();
  const rows: string[] = [];
  let total = { ours: 0, stock: 0 };
  for (const s of shapes) {
    const [m, k] = s.tA ? [s.a[1], s.a[0]] : s.a;
    const n = s.tB ? s.b[0] : s.b[1];
    registerWasmKernels();
    const ours = msPerCall(s, reps);
    restoreStockWasmKernels();
    const stock = msPerCall(s, reps);
    registerWasmKernels();
    const gflop = (2 * m * k * n) / 1e9;
    total = { ours: total.ours + ours, stock: total.stock + stock };
    rows.push(`| ${s.label} | ${m}x${k}x${n} | ${ours.toFixed(3)} | ${(gflop / (ours / 1e3)).toFixed(1)} | ${stock.toFixed(3)} | ${(gflop / (stock / 1e3)).toFixed(1)} |`);
  }
  console.log('| product | m x k x n | ours ms | ours GFLOP/s | stock ms | stock GFLOP/s |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`| one step | | ${total.ours.toFixed(2)} | | ${total.stock.toFixed(2)} | |`);
  const fma = hasRelaxedSimd() && !process.argv.includes('--no-fma');
  console.log(`\nCeiling: 128-bit wasm SIMD ${fma ? 'fused multiply-add' : 'multiply + add'} on this CPU peaks at ${simdPeak(fma).toFixed(1)} GFLOP/s on one core.`);
}

await rerunWithTrainerFlags();
await main();
