// Training throughput of the two reference models of shared/reference/REFERENCE.md through the real training
// engine (fitAutoencoder) on one thread and on every core, beside PyTorch (bench/train_torch.py, Debian's
// python3-torch) on one thread and on every core, run in the same invocation so the ratios share the load.
//   node --import tsx bench/train.ts [--epochs 10] [--threads 1,all] [--backends wasm,wasm-stock,cpu]
//                                    [--models dense,conv] [--no-torch] [--no-fma]
// wasm-stock is the wasm backend without our kernel patches (the "before"); cpu runs are cut short (slow).
// "samples per CPU-second" divides by the process's CPU time instead of the wall clock: on a machine others are
// loading, the single-thread rows stay comparable that way; multi-thread rows need a quiet machine.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../src/shared/dto';
import { buildAutoencoder, countParams } from '../src/core/model';
import { selectBackend } from '../src/core/training/backend';
import { fitAutoencoder, type FitEpochMetrics } from '../src/core/training/fit';
import { createOptimizer } from '../src/core/training/optimizer';
import { registerWasmKernels, restoreStockWasmKernels } from '../src/core/training/wasmKernels';
import { setKernelThreads } from '../src/core/training/wasmKernels/kernelThreads';
import { coreCount } from '../src/core/study/parallel';
import { rerunWithTrainerFlags } from '../src/cli/rerun';
import { ONE_THREAD_ENV, PYTHON, torchMissing } from './python';

const require = createRequire(import.meta.url);
const DIM = 784;

/** 600 training and 100 validation images per class from the package's raw arrays (its set() is broken). */
export function loadFashionMnist(trainPerClass = 600, valPerClass = 100): { train: Float32Array; val: Float32Array; trainLabels: number[]; valLabels: number[] } {
  const train = new Float32Array(trainPerClass * 10 * DIM);
  const val = new Float32Array(valPerClass * 10 * DIM);
  const trainLabels: number[] = [];
  const valLabels: number[] = [];
  for (let c = 0; c < 10; c++) {
    const raw = (require(`fashion-mnist/src/clothes/${c}.json`) as { data: number[][] }).data;
    if (raw.length < trainPerClass + valPerClass) throw new Error(`fashion-mnist class ${c} has only ${raw.length} images`);
    // Pixels are 0-255 in the package (not 0-1 as its README says).
    const put = (dst: Float32Array, row: number, img: number[]): void => {
      for (let j = 0; j < DIM; j++) dst[row * DIM + j] = img[j] / 255;
    };
    for (let i = 0; i < trainPerClass; i++) {
      put(train, c * trainPerClass + i, raw[i]);
      trainLabels.push(c);
    }
    for (let i = 0; i < valPerClass; i++) {
      put(val, c * valPerClass + i, raw[trainPerClass + i]);
      valLabels.push(c);
    }
  }
  return { train, val, trainLabels, valLabels };
}

export const REFERENCE_MODELS: Record<'dense' | 'conv', AutoencoderParams> = {
  dense: { ...DEFAULT_PARAMS, architecture: 'dense', hiddenUnits: [256, 64], latentSize: 32, batchSize: 128, learningRate: 1e-3, imageSize: 28, seed: 1 },
  conv: { ...DEFAULT_PARAMS, architecture: 'conv', filters: [16, 32], kernelSize: 3, latentSize: 32, batchSize: 128, learningRate: 1e-3, imageSize: 28, seed: 1 },
};

const TARGET_SHARE = { dense: 0.6, conv: 1.0 };
const MSE_TARGET = { dense: 0.0193 * 1.1, conv: 0.0175 * 1.1 };

interface Result {
  engine: string;
  model: 'dense' | 'conv';
  threads: number;
  epochs: number;
  samples: number;
  /** Median over epochs 2..N of training samples per wall-clock second. */
  medianSps: number | null;
  /** The same per second of this process's CPU time (all its threads): what a core does when the machine is shared. */
  medianCpuSps: number | null;
  finalValMse: number | null;
  note: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const tail = (xs: number[]): number[] => (xs.length > 1 ? xs.slice(1) : xs);

async function run(engine: string, model: 'dense' | 'conv', threads: number, epochs: number, trainRows: number, data: ReturnType<typeof loadFashionMnist>): Promise<Result> {
  const p = { ...REFERENCE_MODELS[model], epochs };
  const train = tf.tensor2d(data.train.subarray(0, trainRows * DIM), [trainRows, DIM]);
  const val = tf.tensor2d(data.val, [data.val.length / DIM, DIM]);
  const ae = buildAutoencoder(p, { width: 28, height: 28, channels: 1 }, p.seed);
  const optimizer = createOptimizer(p);
  const log: FitEpochMetrics[] = [];
  const cpuRates: number[] = [];
  let cpu0 = cpuSeconds();
  try {
    const out = await fitAutoencoder({
      ae,
      optimizer,
      train,
      val,
      batchSize: p.batchSize,
      epochs,
      seed: p.seed,
      onEpoch: (m) => {
        log.push(m);
        // The epoch's wall time over its CPU time scales the wall-clock rate to a CPU-time rate.
        const cpu = cpuSeconds() - cpu0;
        cpuRates.push(m.samplesPerSec * (m.seconds / Math.max(cpu, 1e-9)));
        cpu0 = cpuSeconds();
        console.log(`  ${engine} ${model} ${threads} thread(s) epoch ${m.epoch}: ${m.samplesPerSec.toFixed(0)} samples/s, val MSE ${m.valMse.toFixed(5)}`);
      },
    });
    if (out.state !== 'COMPLETE') throw new Error(out.state === 'FAILED' ? out.reason : out.state);
    return {
      engine,
      model,
      threads,
      epochs,
      samples: trainRows,
      medianSps: median(tail(log.map((m) => m.samplesPerSec))),
      medianCpuSps: median(tail(cpuRates)),
      finalValMse: log.at(-1)?.valMse ?? null,
      note: `${countParams(ae).toLocaleString('en-US')} params`,
    };
  } catch (err) {
    const why = `cannot train: ${(err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 90)}`;
    return { engine, model, threads, epochs, samples: trainRows, medianSps: null, medianCpuSps: null, finalValMse: null, note: why };
  } finally {
    optimizer.dispose();
    ae.dispose();
    train.dispose();
    val.dispose();
  }
}

/** PyTorch's figures from bench/train_torch.py, or why there are none (no python3-torch here). */
function torchRuns(models: string[], epochs: number, threads: '1' | 'all'): { results: Result[]; skipped: string | null } {
  const missing = torchMissing();
  if (missing) return { results: [], skipped: `PyTorch columns skipped: ${missing}` };
  const env = threads === '1' ? ONE_THREAD_ENV : process.env;
  const script = fileURLToPath(new URL('./train_torch.py', import.meta.url));
  const r = spawnSync(PYTHON, [script, '--epochs', String(epochs), '--models', models.join(','), '--threads', threads], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  if (r.status !== 0) return { results: [], skipped: `PyTorch run failed: ${(r.stderr || String(r.error)).trim().split('\n').at(-1)}` };
  const results = r.stdout.trim().split('\n').map((line) => {
    const j = JSON.parse(line) as { model: 'dense' | 'conv'; threads: number; samplesPerSec: number; samplesPerCpuSec: number; valMse: number };
    return { engine: 'PyTorch', model: j.model, threads: j.threads, epochs, samples: 6000, medianSps: j.samplesPerSec, medianCpuSps: j.samplesPerCpuSec, finalValMse: j.valMse, note: `torch, ${threads === '1' ? 'OMP/OpenBLAS 1 thread' : `set_num_threads(${j.threads})`}` };
  });
  return { results, skipped: null };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const epochs = Number(arg('epochs', '10'));
  const backends = arg('backends', 'wasm').split(',');
  const models = arg('models', 'dense,conv').split(',') as Array<'dense' | 'conv'>;
  const cores = coreCount();
  const threadCounts = [...new Set(arg('threads', `1,${cores}`).split(',').map((t) => (t === 'all' ? cores : Number(t))))];
  const info = await selectBackend('wasm');
  const loadBefore = load();
  console.log(`tfjs ${info.tfjsVersion}; ${info.note}; node ${process.version}; ${cores} cores; load average ${loadBefore}`);
  const data = loadFashionMnist();
  const results: Result[] = [];
  for (const backend of backends) {
    for (const model of models) {
      // The slow engines train a shortened run: enough epochs for a median, not for the MSE column.
      let ep = epochs;
      let rows = 6000;
      if (backend === 'wasm-stock') ep = Math.min(epochs, 3);
      if (backend === 'cpu') [ep, rows] = model === 'dense' ? [Math.min(epochs, 2), 6000] : [2, 256];
      if (backend === 'cpu') await tf.setBackend('cpu');
      else await tf.setBackend('wasm');
      if (backend === 'wasm-stock') restoreStockWasmKernels();
      else if (backend === 'wasm') registerWasmKernels();
      for (const threads of backend === 'wasm' ? threadCounts : [1]) {
        const inEffect = backend === 'cpu' ? 1 : setKernelThreads(threads);
        console.log(`${backend} / ${model} / ${inEffect} thread(s): ${ep} epochs on ${rows} images, batch 128`);
        results.push(await run(`tfjs ${backend}`, model, inEffect, ep, rows, data));
      }
      setKernelThreads(1);
      registerWasmKernels();
    }
  }
  await tf.setBackend('wasm');
  const torchNotes: string[] = [];
  if (!process.argv.includes('--no-torch')) {
    for (const t of ['1', 'all'] as const) {
      const r = torchRuns(models, epochs, t);
      results.push(...r.results);
      if (r.skipped && !torchNotes.includes(r.skipped)) torchNotes.push(r.skipped);
    }
  }

  const torchOne = (model: string): Result | undefined => results.find((r) => r.engine === 'PyTorch' && r.threads === 1 && r.model === model);
  const pct = (a: number | null, b: number | null | undefined): string => (a !== null && b ? `${((100 * a) / b).toFixed(0)}%` : '-');
  console.log(`\nload average before ${loadBefore}, after ${load()} (1, 5, 15 min; ${cores} cores)`);
  console.log('| engine | model | threads | epochs x images | samples/s (median ep 2..N) | samples per CPU-second | val MSE after last epoch | vs PyTorch 1 thread (wall / CPU) | note |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const sps = r.medianSps === null ? '-' : r.medianSps.toFixed(0);
    const cpu = r.medianCpuSps === null ? '-' : r.medianCpuSps.toFixed(0);
    const mse = r.finalValMse === null ? '-' : `${r.finalValMse.toFixed(4)}${r.epochs < 10 ? ` (@${r.epochs})` : ''}`;
    const ref = torchOne(r.model);
    const vs = r.engine === 'PyTorch' && r.threads === 1 ? '100%' : `${pct(r.medianSps, ref?.medianSps)} / ${pct(r.medianCpuSps, ref?.medianCpuSps)}`;
    console.log(`| ${r.engine} | ${r.model} | ${r.threads} | ${r.epochs} x ${r.samples} | ${sps} | ${cpu} | ${mse} | ${vs} | ${r.note} |`);
  }
  for (const n of torchNotes) console.log(n);
  for (const r of results.filter((x) => x.engine === 'tfjs wasm' && x.medianSps !== null)) {
    const ref = torchOne(r.model);
    const share = TARGET_SHARE[r.model];
    const speed = ref?.medianSps && r.medianSps ? `${r.threads} thread(s) ${pct(r.medianSps, ref.medianSps)} wall, ${pct(r.medianCpuSps, ref.medianCpuSps)} per CPU-second of PyTorch 1 thread: target >= ${share * 100}% ${r.medianSps >= share * ref.medianSps ? 'met' : 'NOT met'} (wall)` : 'no PyTorch figure to compare with';
    const mseOk = r.epochs >= 10 ? ((r.finalValMse ?? Infinity) <= MSE_TARGET[r.model] ? 'met' : 'NOT met') : '(needs 10 epochs)';
    console.log(`target wasm ${r.model}: ${speed}; val MSE @10 <= ${MSE_TARGET[r.model].toFixed(4)} ${mseOk}`);
  }
}

// Only when run directly: trainRss.ts imports the data loader from here.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await rerunWithTrainerFlags();
  await main();
}
