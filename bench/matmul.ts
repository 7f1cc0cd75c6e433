// Matrix products of one training step of the reference dense AE (batch 128, 784-256-64-32-64-256-784) on the
// wasm backend: our gemm (wasmKernels/gemm.ts) against the stock XNNPACK kernel, in GFLOP/s. The right-hand
// operand is a fresh tensor every call, as in training (XNNPACK then re-packs it).
//   node --import tsx bench/matmul.ts [--reps 30] [--no-fma]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/training/backend';
import { registerWasmKernels, restoreStockWasmKernels } from '../src/core/training/wasmKernels';
import { rerunWithTrainerFlags } from '../src/cli/rerun';

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
}

await rerunWithTrainerFlags();
await main();
