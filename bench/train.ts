// Training throughput of the two reference models of shared/reference/REFERENCE.md on every available tfjs
// backend, through the real training engine (fitAutoencoder), side by side with PyTorch's figures.
//   node --import tsx bench/train.ts [--epochs 10] [--backends wasm,wasm-stock,cpu] [--models dense,conv] [--no-fma]
// wasm-stock is the wasm backend without our kernel patches (the "before"); cpu runs are cut short (slow).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../src/shared/dto';
import { buildAutoencoder, countParams } from '../src/core/model';
import { selectBackend } from '../src/core/training/backend';
import { fitAutoencoder, type FitEpochMetrics } from '../src/core/training/fit';
import { createOptimizer } from '../src/core/training/optimizer';
import { registerWasmKernels, restoreStockWasmKernels } from '../src/core/training/wasmKernels';
import { rerunWithTrainerFlags } from '../src/cli/rerun';

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

const PYTORCH = {
  dense: { sps: '~27,200 (1 thread)', mse: '0.0229 (0.0193 glorot)' },
  conv: { sps: '~5,900-6,500 (1 thread)', mse: '0.0171 (0.0175 glorot)' },
};
const TARGET = { dense: { sps: 7000, mse: 0.0193 * 1.1 }, conv: { sps: 1000, mse: 0.0175 * 1.1 } };

interface Result {
  backend: string;
  model: 'dense' | 'conv';
  epochs: number;
  samples: number;
  medianSps: number | null;
  finalValMse: number | null;
  note: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function run(backend: string, model: 'dense' | 'conv', epochs: number, trainRows: number, data: ReturnType<typeof loadFashionMnist>): Promise<Result> {
  const p = { ...REFERENCE_MODELS[model], epochs };
  const train = tf.tensor2d(data.train.subarray(0, trainRows * DIM), [trainRows, DIM]);
  const val = tf.tensor2d(data.val, [data.val.length / DIM, DIM]);
  const ae = buildAutoencoder(p, { width: 28, height: 28, channels: 1 }, p.seed);
  const optimizer = createOptimizer(p);
  const log: FitEpochMetrics[] = [];
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
        console.log(`  ${backend} ${model} epoch ${m.epoch}: ${m.samplesPerSec.toFixed(0)} samples/s, train loss ${m.trainLoss.toFixed(5)}, val MSE ${m.valMse.toFixed(5)}`);
      },
    });
    if (out.state !== 'COMPLETE') throw new Error(out.state === 'FAILED' ? out.reason : out.state);
    const tail = log.slice(1).map((m) => m.samplesPerSec);
    return {
      backend,
      model,
      epochs,
      samples: trainRows,
      medianSps: median(tail.length ? tail : log.map((m) => m.samplesPerSec)),
      finalValMse: log.at(-1)?.valMse ?? null,
      note: `${countParams(ae).toLocaleString('en-US')} params`,
    };
  } catch (err) {
    return { backend, model, epochs, samples: trainRows, medianSps: null, finalValMse: null, note: `cannot train: ${(err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 90)}` };
  } finally {
    optimizer.dispose();
    ae.dispose();
    train.dispose();
    val.dispose();
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const epochs = Number(arg('epochs', '10'));
  const backends = arg('backends', 'wasm,wasm-stock,cpu').split(',');
  const models = arg('models', 'dense,conv').split(',') as Array<'dense' | 'conv'>;
  const info = await selectBackend('wasm');
  console.log(`tfjs ${info.tfjsVersion}; ${info.note}; node ${process.version}`);
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
      console.log(`${backend} / ${model}: ${ep} epochs on ${rows} images, batch 128`);
      results.push(await run(backend, model, ep, rows, data));
      registerWasmKernels();
    }
  }
  await tf.setBackend('wasm');

  console.log('\n| engine | model | epochs x images | samples/s (median ep 2..N) | val MSE after last epoch | PyTorch samples/s | PyTorch val MSE @10 | note |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const sps = r.medianSps === null ? '-' : r.medianSps.toFixed(0);
    const mse = r.finalValMse === null ? '-' : `${r.finalValMse.toFixed(4)}${r.epochs < 10 ? ` (@${r.epochs})` : ''}`;
    console.log(`| tfjs ${r.backend} | ${r.model} | ${r.epochs} x ${r.samples} | ${sps} | ${mse} | ${PYTORCH[r.model].sps} | ${PYTORCH[r.model].mse} | ${r.note} |`);
  }
  for (const r of results.filter((x) => x.backend === 'wasm' && x.medianSps !== null)) {
    const t = TARGET[r.model];
    const spsOk = (r.medianSps ?? 0) >= t.sps;
    const mseOk = r.epochs >= 10 && (r.finalValMse ?? Infinity) <= t.mse;
    console.log(`target wasm ${r.model}: >= ${t.sps} samples/s ${spsOk ? 'met' : 'NOT met'}; val MSE @10 <= ${t.mse.toFixed(4)} ${r.epochs >= 10 ? (mseOk ? 'met' : 'NOT met') : '(needs 10 epochs)'}`);
  }
}

// Only when run directly: trainRss.ts imports the data loader from here.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await rerunWithTrainerFlags();
  await main();
}
