// How long a process's event loop is blocked while applyEncoder encodes in it (as the CLI's encode does; the app
// runs encode.apply in a trainer process of its own, so its event loop is not the one blocked). Prints the event
// loop's worst and p99 delay during the encoding of a conv encoder (filters 16,32; 28x28 RGB) over N generated
// images, with 128 and with 1024 images per call, beside the wall time of each.
// Run: node --import tsx bench/encodeResponsiveness.ts [--per-kind 50]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { applyEncoder } from '../src/core/export/applyEncoder';
import { exportTrial, protectedPaths } from '../src/core/export/exportBundle';
import { makeWorkspace, makeMixedFolder, trainTrial } from '../test/export/fixtures';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

async function main(): Promise<void> {
  const perKind = Number(arg('per-kind', '50'));
  const ws = await makeWorkspace('ll-bench-encode-');
  try {
    const images = await makeMixedFolder(path.join(ws.tmp, 'many'), perKind);
    const trialId = await trainTrial(ws, { architecture: 'conv', filters: [16, 32], imageSize: 28, channels: 3, latentSize: 16, epochs: 1, batchSize: 64 });
    const bundle = path.join(ws.tmp, 'bundle');
    await exportTrial({ storage: ws.storage, trialId, folder: bundle, locations: ws.locations });
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${os.cpus().length} cores`);
    for (const batchRows of [128, 1024, 128]) {
      const out = path.join(ws.tmp, `codes-${batchRows}-${Date.now()}.csv`);
      let encodeStart = 0;
      const h = monitorEventLoopDelay({ resolution: 5 });
      const t0 = performance.now();
      const r = await applyEncoder({
        bundle,
        inputs: [images],
        out,
        force: false,
        protectedPaths: protectedPaths(ws.locations),
        batchRows,
        onProgress: (p) => {
          // Only the encoding phase is measured (from the end of decoding): decoding is sharp's, off the event loop.
          if (p.phase === 'decode' && p.done === p.total && encodeStart === 0) {
            encodeStart = performance.now();
            h.enable();
          }
        },
      });
      h.disable();
      const ms = (ns: number): string => (ns / 1e6).toFixed(0);
      console.log(
        `${batchRows} images per call: ${r.images} images in ${((performance.now() - t0) / 1000).toFixed(1)} s (encoding ${((performance.now() - encodeStart) / 1000).toFixed(1)} s); ` +
          `event loop delay while encoding: max ${ms(h.max)} ms, p99 ${ms(h.percentile(99))} ms`,
      );
      fs.rmSync(out, { force: true });
    }
  } finally {
    await ws.close();
  }
}

void main();
