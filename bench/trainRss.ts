// Memory over 20 consecutive trials in one process (as in one trainer process running a study): resident set
// size, the tfjs tensor count and the wasm heap after each trial. Tensor count must not move; the wasm heap
// grows to its high-water mark and stays (WebAssembly memory never shrinks); RSS should level off.
//   node --import tsx bench/trainRss.ts [--trials 20] [--images 1000] [--epochs 2]
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../src/shared/dto';
import { buildAutoencoder } from '../src/core/model';
import { selectBackend } from '../src/core/training/backend';
import { fitAutoencoder } from '../src/core/training/fit';
import { createOptimizer } from '../src/core/training/optimizer';
import { loadFashionMnist } from './train';

const ARCHS: Array<Partial<AutoencoderParams>> = [
  { architecture: 'dense' },
  { architecture: 'conv', filters: [16, 32] },
  { architecture: 'denoising', noiseType: 'masking' },
  { architecture: 'sparse', dropout: 0.1 },
  { architecture: 'variational', batchNorm: true },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

function wasmHeapBytes(): number | null {
  const memory = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return memory ? memory.buffer.byteLength : null;
}

async function main(): Promise<void> {
  const trials = arg('trials', 20);
  const rows = arg('images', 1000);
  const epochs = arg('epochs', 2);
  const info = await selectBackend();
  console.log(`backend ${info.name}; ${trials} trials of ${epochs} epochs on ${rows} Fashion-MNIST images, architectures cycling`);
  const data = loadFashionMnist(Math.ceil(rows / 10), 20);
  const train = tf.tensor2d(data.train.subarray(0, rows * 784), [rows, 784]);
  const val = tf.tensor2d(data.val, [200, 784]);
  if (global.gc) global.gc();
  const start = process.memoryUsage().rss;
  const tensors = tf.memory().numTensors;
  const rss: number[] = [];
  console.log('trial | architecture | val MSE | seconds | RSS MB | ΔRSS MB | tensors | wasm heap MB');
  for (let t = 0; t < trials; t++) {
    const p: AutoencoderParams = { ...DEFAULT_PARAMS, hiddenUnits: [256, 64], latentSize: 32, batchSize: 128, epochs, ...ARCHS[t % ARCHS.length], seed: t };
    const began = performance.now();
    const ae = buildAutoencoder(p, { width: 28, height: 28, channels: 1 }, p.seed);
    const optimizer = createOptimizer(p);
    const out = await fitAutoencoder({ ae, optimizer, train, val, batchSize: p.batchSize, epochs, seed: p.seed });
    optimizer.dispose();
    ae.dispose();
    if (global.gc) global.gc();
    const now = process.memoryUsage().rss;
    rss.push(now);
    const heap = wasmHeapBytes();
    console.log(
      `${String(t + 1).padStart(5)} | ${p.architecture.padEnd(12)} | ${out.epochs.at(-1)?.valMse.toFixed(4) ?? '-'} | ${((performance.now() - began) / 1000).toFixed(1)} | ${mb(now)} | ${mb(now - start)} | ${tf.memory().numTensors - tensors} | ${heap === null ? '-' : mb(heap)}`,
    );
  }
  const afterFirstRound = rss[Math.min(ARCHS.length, rss.length) - 1];
  const last = rss[rss.length - 1];
  console.log(`\nRSS: ${mb(rss[0])} MB after trial 1, ${mb(last)} MB after trial ${trials}: ${mb(last - rss[0])} MB growth over trials 2..${trials},`);
  console.log(`${mb(last - afterFirstRound)} MB after the first ${ARCHS.length} (one of each architecture); ${mb(last - start)} MB against the start (the data set's JSON is freed after loading)`);
  console.log(`tensor count change: ${tf.memory().numTensors - tensors}${global.gc ? '' : ' (run with node --expose-gc for steadier RSS figures)'}`);
  train.dispose();
  val.dispose();
}

await main();
