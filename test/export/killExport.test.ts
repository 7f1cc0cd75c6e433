// kill -9 during exports that replace a bundle: afterwards the folder holds the old bundle or the new one, never
// a mix; recovery (the first step of the next export there) leaves no stray files. bench/exportKill.ts runs more.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTrial } from '../../src/core/export/exportBundle';
import { createRng } from '../../src/shared/rng';
import { makeWorkspace, trainTrial, type Workspace } from './fixtures';
import { killDuringExport } from './killCheck';

let ws: Workspace;
const ids: number[] = [];
const references = new Map<number, string>();

beforeAll(async () => {
  ws = await makeWorkspace('ll-kill-');
  for (const seed of [1, 2]) {
    const id = await trainTrial(ws, { architecture: 'dense', seed });
    ids.push(id);
    const folder = path.join(ws.tmp, `reference-${id}`);
    const r = await exportTrial({ storage: ws.storage, trialId: id, folder, locations: ws.locations, now: new Date(0) });
    references.set(r.manifest.study.trialNumber, folder);
  }
}, 300_000);

afterAll(() => ws?.close());

describe('kill -9 during export', () => {
  it('leaves the old bundle or the new one, never a mix, and no stray files after recovery', async () => {
    const folder = path.join(ws.tmp, 'dest', 'bundle');
    await exportTrial({ storage: ws.storage, trialId: ids[0], folder, locations: ws.locations, now: new Date(0) });
    const rng = createRng(12);
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await killDuringExport({ locations: ws.locations, trialIds: ids, folder, delayMs: rng.int(0, 400), references }));
    }
    expect(outcomes).toHaveLength(4);
    console.log(`kill -9 during export: ${outcomes.map((o) => `${o.found} -> trial #${o.trialNumber}`).join('; ')}`);
    expect(fs.readdirSync(path.dirname(folder))).toEqual(['bundle']);
  }, 300_000);
});
