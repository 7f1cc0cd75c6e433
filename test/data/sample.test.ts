import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleDataset, loadDataset } from '../../src/core/data';
import { decodePng } from '../../src/core/data/png';

let tmp: string;
let dir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-sample-'));
  dir = path.join(tmp, 'samples', 'mnist');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ensureSampleDataset', () => {
  it('writes the 10,000 MNIST digits once, as 28x28 grey PNGs in 10 class folders', async () => {
    let last = { done: 0, total: 0 };
    const res = await ensureSampleDataset(dir, (p) => (last = p));
    expect(res).toEqual({ path: dir, count: 10_000, created: true });
    expect(last).toEqual({ done: 10_000, total: 10_000 });
    const classes = fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
    expect(classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = classes.map((c) => fs.readdirSync(path.join(dir, c)).length);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(10_000);
    for (const c of counts) expect(c >= 863 && c <= 1127).toBe(true);
    expect(fs.readdirSync(path.join(dir, '3'))[0]).toMatch(/^3-\d{4}\.png$/);
    const img = decodePng(fs.readFileSync(path.join(dir, '7', '7-0000.png')));
    expect(img && [img.width, img.height, img.channels]).toEqual([28, 28, 1]);
    const px = img?.data ?? new Uint8Array();
    expect(Math.min(...px)).toBe(0);
    expect(Math.max(...px)).toBeGreaterThan(250); // 0..255, not 0..1
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['mnist']); // no temp folder left behind
  });

  it('returns at once on the second call without rewriting', async () => {
    const before = fs.statSync(path.join(dir, '0', '0-0000.png')).mtimeMs;
    const res = await ensureSampleDataset(dir);
    expect(res).toEqual({ path: dir, count: 10_000, created: false });
    expect(fs.statSync(path.join(dir, '0', '0-0000.png')).mtimeMs).toBe(before);
  });

  it('loads as a 10-class dataset', async () => {
    const ds = await loadDataset(dir, { size: 28, channels: 1 });
    expect(ds.files.length).toBe(10_000);
    expect(ds.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.failures).toEqual([]);
  });

  it('redoes a half-written sample and clears leftovers of a killed process', async () => {
    fs.rmSync(path.join(dir, '.latent-lab-sample.json'));
    fs.rmSync(path.join(dir, '9'), { recursive: true });
    const leftover = `${dir}.tmp-99999-deadbeef`;
    fs.mkdirSync(path.join(leftover, '0'), { recursive: true });
    const res = await ensureSampleDataset(dir);
    expect(res.created).toBe(true);
    expect(res.count).toBe(10_000);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(fs.readdirSync(path.join(dir, '9')).length).toBeGreaterThan(800);
  });

  it('refuses to replace a folder that holds something else', async () => {
    const other = path.join(tmp, 'not-a-sample');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'my-thesis.docx'), 'x');
    await expect(ensureSampleDataset(other)).rejects.toThrow(/not a Latent Lab sample folder/);
    expect(fs.existsSync(path.join(other, 'my-thesis.docx'))).toBe(true);
  });
});
