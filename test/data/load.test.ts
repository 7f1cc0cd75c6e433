import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadDataset, previewImages, type LoadProgress } from '../../src/core/data';
import { encodePng } from '../../src/core/data/png';
import { readAll } from '../../src/core/data/imageRows';
import { bytes, smooth } from './fixtures';

const S = 16;
let tmp: string;
let labeled: string;
let outside: string;

function write(file: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

function greyPng(value: number, w = S, h = S): Buffer {
  return encodePng(new Uint8Array(w * h).fill(value), w, h, 1);
}

async function expectDatasetError(p: Promise<unknown>, code: DatasetError['code']): Promise<DatasetError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetError);
  expect((err as DatasetError).code).toBe(code);
  return err as DatasetError;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-data-'));
  labeled = path.join(tmp, 'labeled');
  outside = path.join(tmp, 'outside');
  write(path.join(outside, 'secret.png'), greyPng(77));

  // cats: fast-path PNGs (natural order c1, c2, c10), one nested deeper, one needing a resize.
  write(path.join(labeled, 'cats', 'c1.png'), greyPng(10));
  write(path.join(labeled, 'cats', 'c2.png'), greyPng(20));
  write(path.join(labeled, 'cats', 'c10.png'), greyPng(30));
  write(path.join(labeled, 'cats', 'more', 'c3.PNG'), greyPng(40, 24, 24));
  write(path.join(labeled, 'cats', 'notes.txt'), 'not an image');
  write(path.join(labeled, 'cats', 'corrupt.png'), bytes(500, 3));
  // dogs: RGBA (half transparent), a real JPEG, a truncated PNG, a JPEG that is really text.
  const rgba = Buffer.alloc(S * S * 4);
  for (let i = 0; i < S * S; i++) rgba.set([200, 100, 50, i < (S * S) / 2 ? 0 : 255], i * 4);
  write(path.join(labeled, 'dogs', 'rgba.png'), encodePng(rgba, S, S, 4));
  write(path.join(labeled, 'dogs', 'photo.jpg'), await sharp(smooth(40, 30, 3), { raw: { width: 40, height: 30, channels: 3 } }).jpeg().toBuffer());
  const good = encodePng(smooth(S, S, 3), S, S, 3);
  write(path.join(labeled, 'dogs', 'truncated.png'), good.subarray(0, Math.floor(good.length / 2)));
  write(path.join(labeled, 'dogs', 'fake.jpg'), 'this is text, not a JPEG');
  // birds: WebP. Ignored clutter, a stray root image, links out of and within the root.
  write(path.join(labeled, 'birds', 'b1.webp'), await sharp(smooth(S, S, 3), { raw: { width: S, height: S, channels: 3 } }).webp({ lossless: true }).toBuffer());
  write(path.join(labeled, 'birds', '.hidden.png'), greyPng(1));
  write(path.join(labeled, '.cache', 'x.png'), greyPng(1));
  write(path.join(labeled, 'Thumbs.db'), 'x');
  write(path.join(labeled, 'birds', 'desktop.ini'), 'x');
  write(path.join(labeled, 'stray.png'), greyPng(5));
  fs.symlinkSync(path.join(outside, 'secret.png'), path.join(labeled, 'birds', 'link-out.png'));
  fs.symlinkSync(outside, path.join(labeled, 'outside-dir'));
  fs.symlinkSync(path.join(labeled, 'cats', 'c1.png'), path.join(labeled, 'birds', 'link-in.png'));
  fs.symlinkSync(labeled, path.join(labeled, 'cats', 'loop'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('loadDataset: folder layout and failures', () => {
  it('labels images by class folder, sorted naturally, and reports every unusable file', async () => {
    const ds = await loadDataset(labeled, { size: S, channels: 1 });
    expect(ds.classes).toEqual(['birds', 'cats', 'dogs']);
    expect(ds.files).toEqual([
      'birds/b1.webp', 'birds/link-in.png',
      'cats/c1.png', 'cats/c2.png', 'cats/c10.png', 'cats/more/c3.PNG',
      'dogs/photo.jpg', 'dogs/rgba.png',
    ]);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1, 1, 1, 1, 2, 2]);
    expect(readAll(ds.images).length).toBe(8 * S * S);
    expect([ds.width, ds.height, ds.channels]).toEqual([S, S, 1]);
    expect(ds.fromCache).toBe(false);
    const reasons = Object.fromEntries(ds.failures.map((f) => [f.file, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'birds/link-out.png', 'cats/corrupt.png', 'cats/loop', 'cats/notes.txt',
      'dogs/fake.jpg', 'dogs/truncated.png', 'outside-dir', 'stray.png',
    ]);
    expect(reasons['birds/link-out.png']).toBe('link leads outside the chosen folder, not followed');
    expect(reasons['outside-dir']).toBe('link leads outside the chosen folder, not followed');
    expect(reasons['cats/loop']).toMatch(/already included, not followed/);
    expect(reasons['cats/notes.txt']).toBe('not an image: unsupported extension .txt');
    expect(reasons['stray.png']).toMatch(/not in a class folder/);
    for (const f of ['cats/corrupt.png', 'dogs/fake.jpg', 'dogs/truncated.png']) expect(reasons[f]).toMatch(/decode|not a readable image/);
    // The linked cat is the same picture; fast-path values arrive untouched.
    const px = (i: number): number => readAll(ds.images)[i * S * S + 3];
    expect([px(1), px(2), px(3), px(4), px(5)]).toEqual([10, 10, 20, 30, 40]);
  });

  it('reports each left-out file and class folder as a code with parameters (issue 14: empty class folders)', async () => {
    const root = path.join(tmp, 'empty-classes');
    write(path.join(root, 'a', '1.png'), greyPng(10));
    write(path.join(root, 'a', '2.png'), greyPng(20));
    fs.mkdirSync(path.join(root, 'b'), { recursive: true }); // no file at all
    write(path.join(root, 'c', 'bad.png'), 'not a png');
    write(path.join(root, 'c', 'empty.png'), Buffer.alloc(0));
    write(path.join(root, 'd', 'x.txt'), 'text');
    const ds = await loadDataset(root, { size: S, channels: 1 });
    expect(ds.classes).toEqual(['a']);
    const byFile = Object.fromEntries(ds.failures.map((f) => [f.file, { code: f.code, params: f.params }]));
    expect(byFile).toEqual({
      'b/': { code: 'EMPTY_CLASS_FOLDER', params: {} },
      'c/': { code: 'EMPTY_CLASS_FOLDER', params: {} },
      'c/bad.png': { code: 'DECODE_UNKNOWN_FORMAT', params: {} },
      'c/empty.png': { code: 'FILE_EMPTY', params: {} },
      'd/': { code: 'EMPTY_CLASS_FOLDER', params: {} },
      'd/x.txt': { code: 'UNSUPPORTED_EXTENSION', params: { ext: 'txt' } },
    });
    // The English reason is the code's message, for the CLI and the logs.
    expect(ds.failures.find((f) => f.file === 'b/')?.reason).toBe('class folder with no usable image: the class is left out');
    // A cache hit gives the same report.
    const cacheDir = path.join(tmp, 'empty-classes-cache');
    await loadDataset(root, { size: S, channels: 1, cacheDir });
    const again = await loadDataset(root, { size: S, channels: 1, cacheDir });
    expect(again.fromCache).toBe(true);
    expect(again.failures).toEqual(ds.failures);
  });

  it('flattens alpha onto black and gives 3 channels for RGB output', async () => {
    const ds = await loadDataset(labeled, { size: S, channels: 3 });
    expect(ds.channels).toBe(3);
    expect(readAll(ds.images).length).toBe(8 * S * S * 3);
    const i = ds.files.indexOf('dogs/rgba.png');
    const img = readAll(ds.images).subarray(i * S * S * 3, (i + 1) * S * S * 3);
    expect(Array.from(img.subarray(0, 3))).toEqual([0, 0, 0]); // transparent -> black
    expect(Array.from(img.subarray(img.length - 3))).toEqual([200, 100, 50]); // opaque kept
    const grey = readAll(ds.images).subarray(ds.files.indexOf('cats/c2.png') * S * S * 3).subarray(0, 3);
    expect(Array.from(grey)).toEqual([20, 20, 20]);
  });

  it('treats a folder without class sub-folders as unlabeled', async () => {
    const flat = path.join(tmp, 'flat');
    write(path.join(flat, 'x1.png'), greyPng(1));
    write(path.join(flat, 'x2.png'), greyPng(2));
    write(path.join(flat, 'empty', 'readme.md'), 'no images here');
    const ds = await loadDataset(flat, { size: S, channels: 1 });
    expect(ds.classes).toEqual([]);
    expect(ds.files).toEqual(['x1.png', 'x2.png']);
    expect(Array.from(ds.labels)).toEqual([-1, -1]);
    expect(ds.failures.map((f) => f.file)).toEqual(['empty/readme.md']);
  });

  it('auto-orients a JPEG with EXIF orientation 6', async () => {
    const dir = path.join(tmp, 'exif');
    // 32x16, white left half, black right half, stored rotated: shown upright it is 16x32, white on top.
    const raw = Buffer.alloc(32 * 16);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 32; x++) raw[y * 32 + x] = x < 16 ? 255 : 0;
    write(path.join(dir, 'rot.jpg'), await sharp(raw, { raw: { width: 32, height: 16, channels: 1 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer());
    const ds = await loadDataset(dir, { size: S, channels: 1 });
    const at = (row: number, col: number): number => readAll(ds.images)[row * S + col];
    expect(at(2, 2)).toBeGreaterThan(200);
    expect(at(2, 13)).toBeGreaterThan(200);
    expect(at(13, 2)).toBeLessThan(50);
    expect(at(13, 13)).toBeLessThan(50);
  });

  it('gives the same pixels with and without the PNG fast path', async () => {
    for (const channels of [1, 3] as const) {
      const a = await loadDataset(labeled, { size: S, channels });
      const b = await loadDataset(labeled, { size: S, channels, fastPath: false });
      expect(b.files).toEqual(a.files);
      expect(Buffer.from(readAll(b.images)).equals(Buffer.from(readAll(a.images)))).toBe(true);
    }
  });

  it('throws DatasetError with actionable messages', async () => {
    const missing = path.join(tmp, 'nope');
    const e1 = await expectDatasetError(loadDataset(missing, { size: S, channels: 1 }), 'FOLDER_NOT_FOUND');
    expect(e1.message).toContain(missing);
    const file = path.join(tmp, 'flat', 'x1.png');
    const e2 = await expectDatasetError(loadDataset(file, { size: S, channels: 1 }), 'NOT_A_FOLDER');
    expect(e2.message).toContain(file);
    const empty = path.join(tmp, 'no-images');
    write(path.join(empty, 'a', 'notes.txt'), 'x');
    const e3 = await expectDatasetError(loadDataset(empty, { size: S, channels: 1 }), 'NO_IMAGES');
    expect(e3.message).toMatch(/\.png/);
    expect(e3.message).toMatch(/sub-folder per class/);
    const broken = path.join(tmp, 'all-broken');
    write(path.join(broken, 'bad.png'), bytes(100, 9));
    const e4 = await expectDatasetError(loadDataset(broken, { size: S, channels: 1 }), 'IMAGES_UNDECODABLE');
    expect(e4.message).toMatch(/could be decoded/);
  });
});

describe('loadDataset: progress and cancellation', () => {
  it('reports scan then decode progress, ending with done === total', async () => {
    const events: LoadProgress[] = [];
    await loadDataset(labeled, { size: S, channels: 1, onProgress: (p) => events.push(p) });
    const phases = events.map((e) => e.phase);
    expect(phases[0]).toBe('scan');
    expect(phases.lastIndexOf('scan')).toBeLessThan(phases.indexOf('decode'));
    const last = events[events.length - 1];
    // 11 candidates: 8 good images plus the corrupt, truncated and fake ones.
    expect(last).toEqual({ phase: 'decode', done: 11, total: 11 });
  });

  it('throws LOAD_CANCELLED when the signal is aborted before or during the load', async () => {
    const before = new AbortController();
    before.abort();
    await expectDatasetError(loadDataset(labeled, { size: S, channels: 1, signal: before.signal }), 'LOAD_CANCELLED');
    const during = new AbortController();
    const onProgress = (p: LoadProgress): void => {
      if (p.phase === 'decode') during.abort();
    };
    await expectDatasetError(loadDataset(labeled, { size: S, channels: 1, signal: during.signal, onProgress }), 'LOAD_CANCELLED');
  });
});

describe('loadDataset: cache', () => {
  it('reopens from cache with identical pixels, and a touched or added file invalidates it', async () => {
    const root = path.join(tmp, 'cached');
    fs.cpSync(path.join(labeled, 'cats'), path.join(root, 'cats'), { recursive: true, dereference: false, verbatimSymlinks: true });
    fs.rmSync(path.join(root, 'cats', 'loop'));
    write(path.join(root, 'dogs', 'd1.png'), greyPng(90));
    const cacheDir = path.join(tmp, 'cache');
    const opts = { size: S, channels: 1 as const, cacheDir };
    const first = await loadDataset(root, opts);
    expect(first.fromCache).toBe(false);
    expect(fs.readdirSync(cacheDir).sort()).toEqual([`${first.cacheKey}.bin`, `${first.cacheKey}.json`]);
    const again = await loadDataset(root, opts);
    expect(again.fromCache).toBe(true);
    expect(again.cacheKey).toBe(first.cacheKey);
    expect(Buffer.from(readAll(again.images)).equals(Buffer.from(readAll(first.images)))).toBe(true);
    expect(again.files).toEqual(first.files);
    expect(Array.from(again.labels)).toEqual(Array.from(first.labels));
    expect(again.classes).toEqual(first.classes);
    expect(again.failures).toEqual(first.failures);
    // Other decode options are another entry.
    expect((await loadDataset(root, { ...opts, channels: 3 })).fromCache).toBe(false);

    const d1 = path.join(root, 'dogs', 'd1.png');
    fs.utimesSync(d1, new Date(), new Date(Date.now() + 5000));
    const touched = await loadDataset(root, opts);
    expect(touched.fromCache).toBe(false);
    expect(touched.cacheKey).not.toBe(first.cacheKey);
    write(path.join(root, 'dogs', 'd2.png'), greyPng(91));
    const added = await loadDataset(root, opts);
    expect(added.fromCache).toBe(false);
    expect(added.files.length).toBe(first.files.length + 1);
    expect((await loadDataset(root, opts)).fromCache).toBe(true);
  });

  it('ignores and rebuilds a corrupt or partial entry, and survives a failed cache write', async () => {
    const root = path.join(tmp, 'flat');
    const cacheDir = path.join(tmp, 'cache2');
    const opts = { size: S, channels: 1 as const, cacheDir };
    const first = await loadDataset(root, opts);
    const bin = path.join(cacheDir, `${first.cacheKey}.bin`);
    const json = path.join(cacheDir, `${first.cacheKey}.json`);
    fs.truncateSync(bin, 10);
    const rebuilt = await loadDataset(root, opts);
    expect(rebuilt.fromCache).toBe(false);
    expect(Buffer.from(readAll(rebuilt.images)).equals(Buffer.from(readAll(first.images)))).toBe(true);
    const flipped = fs.readFileSync(bin);
    flipped[0] ^= 1;
    fs.writeFileSync(bin, flipped);
    expect((await loadDataset(root, opts)).fromCache).toBe(false);
    fs.writeFileSync(json, '{"version": 1, "files": [');
    expect((await loadDataset(root, opts)).fromCache).toBe(false);
    expect((await loadDataset(root, opts)).fromCache).toBe(true);

    const notADir = path.join(tmp, 'cache-is-a-file');
    fs.writeFileSync(notADir, 'x');
    const ds = await loadDataset(root, { ...opts, cacheDir: notADir });
    expect(ds.files.length).toBe(2);
    expect(ds.fromCache).toBe(false);
  });
});

describe('previewImages', () => {
  it('shows every class round-robin as PNG data URLs', async () => {
    const ds = await loadDataset(labeled, { size: S, channels: 1 });
    const prev = previewImages(ds, 4);
    expect(prev.map((p) => p.label)).toEqual(['birds', 'cats', 'dogs', 'birds']);
    expect(prev[0].dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(prev[1].dataUrl.split(',')[1], 'base64');
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([S, S]);
    expect(previewImages(ds).length).toBe(8);
  });
});

describe('loadDataset: folders larger than memory', () => {
  it('decodes straight into the cache file and reads rows from it, the same pixels as in memory', async () => {
    const cacheDir = path.join(tmp, 'cache-stream');
    const inMemory = await loadDataset(labeled, { size: S, channels: 3 });
    expect(inMemory.images.backing).toBe('memory');
    // A limit of 0 bytes: every folder counts as too large to hold.
    const opts = { size: S, channels: 3 as const, cacheDir, inMemoryBytes: 0 };
    const streamed = await loadDataset(labeled, opts);
    try {
      expect(streamed.images.backing).toBe('file');
      expect(streamed.files).toEqual(inMemory.files);
      // The same files fail (libvips' reason for a damaged file can be lost between its threads: 'Unknown error').
      expect(streamed.failures.map((f) => f.file)).toEqual(inMemory.failures.map((f) => f.file));
      // Rows after the unreadable files were moved down over them, as in memory.
      expect(Buffer.from(readAll(streamed.images)).equals(Buffer.from(readAll(inMemory.images)))).toBe(true);
      const two = new Uint8Array(2 * S * S * 3);
      streamed.images.read([5, 1], two);
      expect(Buffer.from(two.subarray(0, S * S * 3)).equals(Buffer.from(readAll(inMemory.images).subarray(5 * S * S * 3, 6 * S * S * 3)))).toBe(true);
      expect(() => streamed.images.read([streamed.files.length], two)).toThrow(/not in \[0, 8\)/);
      // No temporary file is left beside the entry.
      expect(fs.readdirSync(cacheDir).sort()).toEqual([`${streamed.cacheKey}.bin`, `${streamed.cacheKey}.json`]);
    } finally {
      streamed.images.close();
    }
    const reopened = await loadDataset(labeled, opts);
    expect(reopened.fromCache).toBe(true);
    expect(reopened.images.backing).toBe('file');
    expect(Buffer.from(readAll(reopened.images)).equals(Buffer.from(readAll(inMemory.images)))).toBe(true);
    reopened.images.close();
    // A damaged file is caught by its checksum (read in chunks) and decoded again.
    const bin = path.join(cacheDir, `${reopened.cacheKey}.bin`);
    const flipped = fs.readFileSync(bin);
    flipped[100] ^= 1;
    fs.writeFileSync(bin, flipped);
    const rebuilt = await loadDataset(labeled, opts);
    expect(rebuilt.fromCache).toBe(false);
    expect(Buffer.from(readAll(rebuilt.images)).equals(Buffer.from(readAll(inMemory.images)))).toBe(true);
    rebuilt.images.close();
  });

  it('leaves no partial file behind when the decode is cancelled', async () => {
    const cacheDir = path.join(tmp, 'cache-cancel');
    const during = new AbortController();
    const onProgress = (p: LoadProgress): void => {
      if (p.phase === 'decode' && p.done > 0) during.abort();
    };
    await expectDatasetError(loadDataset(labeled, { size: S, channels: 1, cacheDir, inMemoryBytes: 0, signal: during.signal, onProgress }), 'LOAD_CANCELLED');
    expect(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []).toEqual([]);
  });
});
