// How fast this machine trains an architecture at an image size, measured before anything comparable has run
// (issue 14 defect 2: the wizard's estimate needs a measured throughput; without one it has none). A few
// batches of seeded random pixels go through the real training step (the same model builder, optimizer and
// fit loop as a trial), so the figure includes what a trial pays per batch; the first batch (kernel set-up,
// weight packing) is left out. Nothing is read from disk and nothing is stored.
import { DEFAULT_PARAMS, type AutoencoderParams, type Channels } from '../../shared/dto';
import { createRng } from '../../shared/rng';
import { memoryRows } from '../data/imageRows';
import { buildAutoencoder } from '../model';
import { fitAutoencoder, imageSource } from './fit';
import { createOptimizer } from './optimizer';

export interface ThroughputProbe {
  architecture: AutoencoderParams['architecture'];
  imageSize: number;
  channels: Channels;
  /** Timed batches after the first (default 5). */
  batches?: number;
  signal?: AbortSignal;
}

/** Training samples per second of the engine's default model of `architecture` (median over the timed batches). */
export async function measureThroughput(o: ThroughputProbe): Promise<number> {
  const params: AutoencoderParams = { ...DEFAULT_PARAMS, architecture: o.architecture };
  const batches = (o.batches ?? 5) + 1;
  const shape = { width: o.imageSize, height: o.imageSize, channels: o.channels };
  const rowLength = o.imageSize * o.imageSize * o.channels;
  // One batch of pixels, visited `batches` times: the work per batch is the same, the memory a batch's.
  const rng = createRng(0x5eed);
  const pixels = new Uint8Array(params.batchSize * rowLength);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rng.next() * 256);
  const images = memoryRows(pixels, rowLength);
  const all = Int32Array.from({ length: params.batchSize * batches }, (_, i) => i % params.batchSize);
  const ae = buildAutoencoder(params, shape, 0);
  const optimizer = createOptimizer(params);
  const rates: number[] = [];
  let last = { at: performance.now(), batch: 0 };
  try {
    await fitAutoencoder({
      ae,
      optimizer,
      train: imageSource(images, all),
      val: imageSource(images, all.subarray(0, params.batchSize)),
      batchSize: params.batchSize,
      epochs: 1,
      seed: 0,
      signal: o.signal,
      onBatch: (b) => {
        const now = performance.now();
        if (b.batch > 1 && now > last.at) rates.push(((b.batch - last.batch) * params.batchSize) / ((now - last.at) / 1000));
        last = { at: now, batch: b.batch };
      },
    });
  } finally {
    optimizer.dispose();
    ae.dispose();
  }
  if (rates.length === 0) throw new Error('the throughput measurement was stopped before a batch was timed');
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}
