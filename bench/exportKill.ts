// kill -9 during bundle exports, many times (the test does a handful). Run: node --import tsx bench/exportKill.ts [tries]
// Each try starts a child that exports two trials alternately into one folder (replacing it), kills it at a
// random moment, and checks: the old bundle or the new one, never a mix; after recovery no stray files.
import os from 'node:os';
import path from 'node:path';
import { exportTrial } from '../src/core/export/exportBundle';
import { createRng } from '../src/shared/rng';
import { makeWorkspace, trainTrial } from '../test/export/fixtures';
import { killDuringExport } from '../test/export/killCheck';

async function main(): Promise<void> {
  const tries = Number(process.argv[2] ?? 30);
  const ws = await makeWorkspace('ll-kill-bench-');
  try {
    const ids: number[] = [];
    const references = new Map<number, string>();
    for (const seed of [1, 2]) {
      const id = await trainTrial(ws, { architecture: 'dense', seed });
      ids.push(id);
      const r = await exportTrial({ storage: ws.storage, trialId: id, folder: path.join(ws.tmp, `reference-${id}`), locations: ws.locations, now: new Date(0) });
      references.set(r.manifest.study.trialNumber, r.folder);
    }
    const folder = path.join(ws.tmp, 'dest', 'bundle');
    await exportTrial({ storage: ws.storage, trialId: ids[0], folder, locations: ws.locations, now: new Date(0) });
    const rng = createRng(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < tries; i++) {
      const o = await killDuringExport({ locations: ws.locations, trialIds: ids, folder, delayMs: rng.int(0, 600), references });
      counts.set(o.found, (counts.get(o.found) ?? 0) + 1);
      process.stdout.write('.');
    }
    console.log(`\n${tries} kills during export (load average ${os.loadavg()[0].toFixed(1)}): ${[...counts].map(([k, n]) => `${n} left a complete bundle`.replace('complete bundle', k === 'bundle' ? 'complete bundle' : 'the destination between its two renames (restored by recovery)')).join(', ')}; mixes: 0, stray files after recovery: 0`);
  } finally {
    await ws.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
