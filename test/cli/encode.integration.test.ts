// latent-lab export and encode as a user runs them (child processes, from a folder outside the repository):
// the bundle, refusals that leave everything as it was, and encode reproducing features.csv for the training images.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILES } from '../../src/core/export/exportBundle';
import { decodeNpy } from '../../src/core/export/npy';
import { makeWorkspace, trainTrial, type Workspace } from '../export/fixtures';

const root = path.resolve(__dirname, '../..');
let ws: Workspace;
let trialId: number;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/latent-lab.mjs'), ...args, '--data-dir', ws.locations.dataDir], {
    cwd: ws.tmp,
    encoding: 'utf8',
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LATENT_LAB_HOME' && k !== 'LATENT_LAB_DB')),
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  ws = await makeWorkspace('ll-encode-');
  trialId = await trainTrial(ws, { architecture: 'conv', filters: [4], channels: 1 });
  fs.writeFileSync(path.join(ws.tmp, 'broken.png'), 'not an image');
}, 300_000);

afterAll(() => ws?.close());

describe('latent-lab export / encode', () => {
  it('exports into a new folder (relative to the working folder), refuses to overwrite without --force', () => {
    const r = cli(['export', '--trial', String(trialId), '--out', 'bundle']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Exported Manual trials trial #\d+ to .*bundle/);
    const folder = path.join(ws.tmp, 'bundle');
    expect(fs.readdirSync(folder).sort()).toEqual([...BUNDLE_FILES].sort());
    const manifest = fs.readFileSync(path.join(folder, 'manifest.json'));
    const again = cli(['export', '--trial', String(trialId), '--out', 'bundle']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds an encoder bundle.*--force/);
    expect(fs.readFileSync(path.join(folder, 'manifest.json')).equals(manifest)).toBe(true);
    const forced = cli(['export', '--trial', String(trialId), '--out', 'bundle', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    const inside = cli(['export', '--trial', String(trialId), '--out', path.join(ws.locations.artifactsDir, 'copy')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside Latent Lab's own data/);
    expect(cli(['export', '--out', 'x']).stderr).toMatch(/Choose the trial/);
  }, 600_000);

  it('encode gives features.csv for the training images, CSV and NPY, and reports unreadable files', () => {
    const folder = path.join(ws.tmp, 'bundle');
    const r = cli(['encode', '--model', 'bundle', '--data', ws.images, '--out', 'codes.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Encoded 40 image\(s\) with Manual trials trial #\d+ \(code size 3\)/);
    expect(fs.readFileSync(path.join(ws.tmp, 'codes.csv'), 'utf8')).toBe(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8'));
    const again = cli(['encode', '--model', 'bundle', '--data', ws.images, '--out', 'codes.csv']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists.*--force/);

    const files = [path.join(ws.images, 'a', 'rgba-0.png'), path.join(ws.tmp, 'broken.png'), path.join(ws.images, 'b', 'exif-jpeg-1.jpg')];
    const npy = cli(['encode', '--model', 'bundle', '--data', files[0], '--data', files[1], files[2], '--out', 'new/codes.npy']);
    expect(npy.code, npy.stderr).toBe(0);
    expect(npy.stderr).toMatch(/1 file\(s\) could not be read[\s\S]*broken\.png: /);
    const codes = decodeNpy(fs.readFileSync(path.join(ws.tmp, 'new', 'codes.npy')));
    expect(codes.shape).toEqual([2, 3]);
    expect(fs.readFileSync(path.join(ws.tmp, 'new', 'codes.files.txt'), 'utf8')).toBe(`${files[0]}\n${files[2]}\n`);
    const rows = new Map(fs.readFileSync(path.join(folder, 'features.csv'), 'utf8').trim().split('\n').slice(1).map((l) => [l.split(',')[0], l.split(',').slice(2).map(Number)]));
    const expected = [...(rows.get('a/rgba-0.png') ?? []), ...(rows.get('b/exif-jpeg-1.jpg') ?? [])];
    Array.from(codes.data).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));

    const none = cli(['encode', '--model', 'bundle', '--data', files[1], '--out', 'none.csv']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No image could be read/);
    expect(fs.existsSync(path.join(ws.tmp, 'none.csv'))).toBe(false);
    const notBundle = cli(['encode', '--model', ws.images, '--data', files[0], '--out', 'x.csv']);
    expect(notBundle.code).toBe(2);
    expect(notBundle.stderr).toMatch(/not a usable Latent Lab encoder bundle/);
    expect(fs.readdirSync(ws.tmp).filter((n) => n.includes('latent-lab-'))).toEqual([]);
  }, 600_000);
});
