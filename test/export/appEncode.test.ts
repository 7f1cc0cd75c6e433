// "Apply encoder to a folder" and the study report through the app's services (the contract's dispatch, as the
// bridge and IPC call it), encoding in a trainer process: the codes of the training images equal the bundle's features.csv, progress arrives as
// encode.progress events, an existing output is replaced only when asked, and the safe-write refusals hold.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNodeTrainer } from '../../src/core/trainer/nodeSpawn';
import { decodeNpy } from '../../src/core/export/npy';
import { dispatch } from '../../src/server/dispatch';
import { createAppServices } from '../../src/server/services/appServices';
import { encodeOutputPath } from '../../src/server/services/exportService';
import { reportFileName } from '../../src/shared/exportNames';
import type { AnyEvent, AppServices } from '../../src/server/services/types';
import type { ErrorLog } from '../../src/server/errorLog';
import { expectSameCodes, makeWorkspace, trainTrial, type Workspace } from './fixtures';

let ws: Workspace;
let services: AppServices;
let bundle: string;
const events: AnyEvent[] = [];

const unexpected: unknown[] = [];
const log: ErrorLog = { file: '/dev/null', error: (_context, error) => void unexpected.push(error), warn: () => undefined };
const call = (method: string, input: unknown) => dispatch(services.handlers, method, input, log);

beforeAll(async () => {
  ws = await makeWorkspace('ll-app-encode-');
  const trialId = await trainTrial(ws, { architecture: 'dense' });
  services = await createAppServices({ mode: 'browser', locations: ws.locations, spawnTrainer: spawnNodeTrainer });
  services.subscribe((e) => void events.push(e));
  bundle = path.join(ws.tmp, 'bundle');
  const r = await call('export.encoder', { trialId, folder: bundle });
  expect(r.ok).toBe(true);
  fs.writeFileSync(path.join(ws.images, 'a', 'broken.png'), 'not an image');
}, 300_000);

afterAll(async () => {
  await services?.dispose();
  await ws?.close();
});

describe('encode.apply', () => {
  it('gives features.csv for the training images, with progress and the bad-file report', async () => {
    const out = path.join(ws.tmp, 'codes', 'train');
    const r = await call('encode.apply', { bundle, data: ws.images, out, format: 'csv' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ files: [`${out}.csv`], images: 40, codeSize: 3, study: 'Manual trials' });
    expect(r.value).toMatchObject({ failures: [{ file: 'a/broken.png', reason: expect.any(String) }] });
    expectSameCodes(fs.readFileSync(`${out}.csv`, 'utf8'), fs.readFileSync(path.join(bundle, 'features.csv'), 'utf8'));
    const progress = events.flatMap((e) => (e.event === 'encode.progress' && e.payload.out === out ? [e.payload] : []));
    expect(progress.some((p) => p.phase === 'decode')).toBe(true);
    expect(progress.at(-1)).toEqual({ out, phase: 'encode', done: 40, total: 40 });
    expect(unexpected).toEqual([]);
  });

  it('replaces an existing output only when asked, and writes NPY with its files list', async () => {
    const out = path.join(ws.tmp, 'codes', 'train.csv');
    const before = fs.readFileSync(out);
    fs.writeFileSync(out, 'mine');
    const refused = await call('encode.apply', { bundle, data: ws.images, out, format: 'csv' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DEST_FILE_EXISTS' } });
    expect(fs.readFileSync(out, 'utf8')).toBe('mine');
    const forced = await call('encode.apply', { bundle, data: ws.images, out, format: 'csv', force: true });
    expect(forced.ok).toBe(true);
    expectSameCodes(fs.readFileSync(out, 'utf8'), before.toString('utf8'));

    const npy = await call('encode.apply', { bundle, data: ws.images, out: path.join(ws.tmp, 'codes', 'train.npy'), format: 'npy' });
    if (!npy.ok) throw new Error(npy.error.message);
    expect((npy.value as { files: string[] }).files.map((f) => path.basename(f))).toEqual(['train.npy', 'train.files.txt']);
    expect(decodeNpy(fs.readFileSync(path.join(ws.tmp, 'codes', 'train.npy'))).shape).toEqual([40, 3]);
    const wrongExt = await call('encode.apply', { bundle, data: ws.images, out: path.join(ws.tmp, 'codes', 'x.csv'), format: 'npy' });
    expect(wrongExt).toMatchObject({ ok: false, error: { code: 'OUTPUT_EXTENSION' } });
  });

  it("refuses the data folder's internals, pseudo file systems and a folder that is no bundle, writing nothing", async () => {
    const inside = await call('encode.apply', { bundle, data: ws.images, out: path.join(ws.locations.artifactsDir, 'codes'), format: 'csv' });
    expect(inside).toMatchObject({ ok: false, error: { code: 'DEST_INSIDE_DATA' } });
    expect(fs.existsSync(path.join(ws.locations.artifactsDir, 'codes.csv'))).toBe(false);
    const proc = await call('encode.apply', { bundle, data: ws.images, out: '/proc/self/codes', format: 'csv' });
    expect(proc).toMatchObject({ ok: false, error: { code: 'DEST_PSEUDO_FS' } });
    const notBundle = await call('encode.apply', { bundle: ws.images, data: ws.images, out: path.join(ws.tmp, 'nb'), format: 'csv' });
    expect(notBundle).toMatchObject({ ok: false, error: { code: 'BUNDLE_INVALID' } });
    expect(fs.existsSync(path.join(ws.tmp, 'nb.csv'))).toBe(false);
    const relative = await call('encode.apply', { bundle, data: ws.images, out: 'codes', format: 'csv' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ABSOLUTE' } });
    expect(unexpected).toEqual([]);
  });
});

describe('report.write', () => {
  it('refuses pseudo file systems and unknown studies with their codes', async () => {
    expect(await call('report.write', { study: 'Manual trials', folder: '/proc/self/report' })).toMatchObject({ ok: false, error: { code: 'DEST_PSEUDO_FS' } });
    expect(await call('report.write', { study: 'nope', folder: path.join(ws.tmp, 'reports') })).toMatchObject({ ok: false, error: { code: 'STUDY_NOT_FOUND' } });
    expect(fs.existsSync(path.join(ws.tmp, 'reports'))).toBe(false);
    expect(unexpected).toEqual([]);
  });
});

describe('output names', () => {
  it('adds the format extension, refuses the other one; report names keep the study readable', () => {
    expect(encodeOutputPath('/x/codes', 'npy')).toBe('/x/codes.npy');
    expect(encodeOutputPath('/x/codes.CSV', 'csv')).toBe('/x/codes.CSV');
    expect(() => encodeOutputPath('/x/codes.csv', 'npy')).toThrow(/Name the output file \.npy/);
    expect(reportFileName('mnist conv/2')).toBe('mnist_conv_2-report.html');
    expect(reportFileName('数字 研究')).toBe('数字_研究-report.html');
    expect(reportFileName('..')).toBe('study-report.html');
  });
});

// The wizard's speed measurement runs in a trainer process of its own too (issue 14 defect 2).
describe('estimate.calibrate', () => {
  it('measures each architecture on the trainers\' backend, and refuses what is not an architecture', async () => {
    const r = await call('estimate.calibrate', { architectures: ['dense', 'conv'], imageSize: 8, channels: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const info = await call('app.info', {});
    const result = r.value as { backend: string; samplesPerSec: number[] };
    expect(info.ok && result.backend).toBe(info.ok ? (info.value as { backend: string }).backend : null);
    expect(result.samplesPerSec).toHaveLength(2);
    expect(result.samplesPerSec.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    const bad = await call('estimate.calibrate', { architectures: ['transformer'], imageSize: 8, channels: 1 });
    expect(bad.ok).toBe(false);
  }, 120_000);
});
