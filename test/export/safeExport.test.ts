// Where an export may go, through the app's services (the contract's dispatch, as the bridge and IPC call it):
// a pseudo file system is refused at once and the app keeps answering; the data folder's internals and
// non-empty folders are refused with everything left byte-identical; an earlier bundle is replaced only on request.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeTrainer } from '../../src/core/trainer/nodeSpawn';
import { dispatch } from '../../src/server/dispatch';
import { createAppServices } from '../../src/server/services/appServices';
import type { AppServices } from '../../src/server/services/types';
import type { ErrorLog } from '../../src/server/errorLog';
import { makeWorkspace, trainTrial, type Workspace } from './fixtures';

let ws: Workspace;
let services: AppServices;
let trialId: number;

beforeAll(async () => {
  ws = await makeWorkspace('ll-safe-');
  trialId = await trainTrial(ws, { architecture: 'dense' });
  services = await createAppServices({ mode: 'browser', locations: ws.locations, spawnTrainer: spawnNodeTrainer });
}, 300_000);

afterAll(async () => {
  await services?.dispose();
  await ws?.close();
});

const unexpected: unknown[] = [];
const log: ErrorLog = { file: '/dev/null', error: (_context, error) => void unexpected.push(error), warn: () => undefined };
const call = (method: string, input: unknown) => dispatch(services.handlers, method, input, log);

/** Every file under dir with its bytes, for byte-identical checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

describe('export destinations', () => {
  it('refuses /proc at once, and the app keeps answering', async () => {
    for (const folder of ['/proc/1/latent-lab-export', '/proc/self/fd/bundle', '/sys/kernel/bundle']) {
      const r = await call('export.encoder', { trialId, folder });
      expect(r).toMatchObject({ ok: false, error: { code: 'DEST_PSEUDO_FS' } });
      if (!r.ok) expect(r.error.message).toMatch(/system file system .* Choose a folder on a disk/);
    }
    expect(fs.existsSync('/proc/1/latent-lab-export')).toBe(false);
    const list = await call('trials.list', {});
    expect(list.ok && Array.isArray(list.value) && list.value.length).toBe(1);
    const info = await call('app.info', {});
    expect(info.ok).toBe(true);
  });

  it("never writes into, onto or around the data folder's internals", async () => {
    const before = snapshot(ws.locations.dataDir);
    for (const folder of [path.join(ws.locations.artifactsDir, 'mine'), path.join(ws.locations.cacheDir, 'x'), ws.locations.sampleDir, ws.locations.dataDir, path.dirname(ws.locations.dataDir)]) {
      const r = await call('export.encoder', { trialId, folder, force: true });
      expect(r, folder).toMatchObject({ ok: false, error: { code: expect.stringMatching(/DEST_INSIDE_DATA|DEST_CONTAINS_DATA/) } });
    }
    expect(snapshot(ws.locations.dataDir)).toEqual(before);
  });

  it('writes only into a new or empty folder; replaces an earlier bundle only when asked; never anything else', async () => {
    const fresh = path.join(ws.tmp, 'exports', 'new', 'deeper');
    const r1 = await call('export.encoder', { trialId, folder: fresh });
    expect(r1.ok).toBe(true);
    const first = snapshot(fresh);
    const again = await call('export.encoder', { trialId, folder: fresh });
    expect(again).toMatchObject({ ok: false, error: { code: 'DEST_HOLDS_EARLIER' } });
    if (!again.ok) expect(again.error.message).toMatch(/already holds an encoder bundle.*--force/);
    expect(snapshot(fresh)).toEqual(first);
    const forced = await call('export.encoder', { trialId, folder: fresh, force: true });
    expect(forced.ok).toBe(true);
    expect(Object.keys(snapshot(fresh)).sort()).toEqual(Object.keys(first).sort());
    expect(fs.readdirSync(path.dirname(fresh))).toEqual(['deeper']);

    const empty = path.join(ws.tmp, 'exports', 'empty');
    fs.mkdirSync(empty);
    expect((await call('export.encoder', { trialId, folder: empty })).ok).toBe(true);

    const someone = path.join(ws.tmp, 'exports', 'documents');
    fs.mkdirSync(someone);
    fs.writeFileSync(path.join(someone, 'thesis.txt'), 'years of work');
    fs.writeFileSync(path.join(someone, 'model.json'), '{}');
    const before = snapshot(someone);
    const refused = await call('export.encoder', { trialId, folder: someone, force: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DEST_NOT_EMPTY' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/not empty and does not hold an earlier encoder bundle/);
    expect(snapshot(someone)).toEqual(before);

    const blocked = path.join(someone, 'thesis.txt', 'bundle');
    const r2 = await call('export.encoder', { trialId, folder: blocked });
    expect(r2).toMatchObject({ ok: false, error: { code: 'PATH_BLOCKED' } });
    if (!r2.ok) expect(r2.error.message).toMatch(/a file is in the way/);
    const relative = await call('export.encoder', { trialId, folder: 'relative/bundle' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ABSOLUTE' } });
    expect(fs.readdirSync(path.join(ws.tmp, 'exports')).sort()).toEqual(['documents', 'empty', 'new']);
    // Every refusal was a user-facing error, none an unexpected one.
    expect(unexpected).toEqual([]);
  });
});
