// loadDataset: folder -> decoded uint8 NHWC tensor with labels, through the cache when one is given.
import { closeSync, ftruncateSync, mkdirSync, openSync, readSync, rmSync, writeSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { cacheKey, commitCacheFile, readCache, tempName, writeCache } from './cache';
import { fileRows, IN_MEMORY_BYTES, memoryRows, type ImageRows } from './imageRows';
import { DECODER_ID, describeDecodeError, ImageDecoder, SUPPORTED_EXTENSIONS } from './decode';
import { cancelled, scanFolder, unreadable, type ScanResult } from './scan';
import { DatasetError, fileFailure, type FileFailure, type LoadDatasetOptions, type LoadedDataset } from './types';
import { note, type CodedText } from '../../shared/errors';
import { sortPaths, throttle, timeSlicer } from './util';

/** sharp decodes in flight at once: keeps its thread pool busy while bounding memory. */
const SHARP_IN_FLIGHT = 32;
/**
 * Compressed bytes in flight at once: sharp returns every image at full resolution (the resize is ours), so 32
 * large photos at a time could hold gigabytes; a JPEG decodes to roughly 10x its file size.
 */
const SHARP_IN_FLIGHT_BYTES = 48 * 1024 ** 2;
/** Pixel memory we are willing to hold in one array. */
const MAX_PIXEL_BYTES = 2 * 1024 ** 3;

export async function loadDataset(root: string, opts: LoadDatasetOptions): Promise<LoadedDataset> {
  const { size, channels, signal } = opts;
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new Error(`loadDataset: size must be an integer 1..4096, got ${size}`);
  if (channels !== 1 && channels !== 3) throw new Error(`loadDataset: channels must be 1 or 3, got ${String(channels)}`);
  const abs = path.resolve(root);
  if (signal?.aborted) throw cancelled(abs);
  await checkFolder(abs);

  const progress = throttle(opts.onProgress);
  progress({ phase: 'scan', done: 0, total: 0 }, true);
  const scan = await scanFolder(abs, { signal, onFound: (n) => progress({ phase: 'scan', done: n, total: 0 }) });
  progress({ phase: 'scan', done: scan.fingerprint.length, total: scan.fingerprint.length }, true);
  if (scan.files.length === 0) throw noImages(abs, scan.failures);

  const key = cacheKey({ realRoot: scan.realRoot, fingerprint: scan.fingerprint, size, channels, decoder: DECODER_ID });
  if (opts.cacheDir) {
    const hit = await readCache(opts.cacheDir, key, opts.inMemoryBytes);
    if (signal?.aborted) throw cancelled(abs);
    // The key already covers size and channels; checking again costs nothing and guards against a bad entry.
    if (hit && hit.meta.width === size && hit.meta.height === size && hit.meta.channels === channels) {
      progress({ phase: 'cache', done: 1, total: 1 }, true);
      const m = hit.meta;
      return {
        root: abs, files: m.files, labels: Int32Array.from(m.labels), classes: m.classes,
        width: m.width, height: m.height, channels: m.channels, images: hit.images,
        failures: m.failures, cacheKey: key, fromCache: true,
      };
    }
    hit?.images.close();
  }

  // A folder too large to hold is decoded straight into its cache file and read from there.
  const toDisk = opts.cacheDir !== undefined && scan.files.length * size * size * channels > (opts.inMemoryBytes ?? IN_MEMORY_BYTES);
  const sink = toDisk ? fileSink(opts.cacheDir as string, key, size * size * channels) : memorySink(abs, scan.files.length, size, channels);
  let ds: Decoded;
  try {
    ds = await decodeAll(abs, scan, opts, progress, sink);
  } catch (err) {
    sink.discard();
    throw err;
  }
  const meta = { files: ds.files, labels: Array.from(ds.labels), classes: ds.classes, failures: ds.failures, width: size, height: size, channels };
  let images: ImageRows;
  if (opts.cacheDir) progress({ phase: 'cache', done: 0, total: 1 }, true);
  if (toDisk) {
    images = await sink.commit(meta);
  } else {
    const pixels = sink.pixels();
    if (opts.cacheDir) await writeCache(opts.cacheDir, key, meta, pixels);
    images = memoryRows(pixels, size * size * channels);
  }
  if (opts.cacheDir) progress({ phase: 'cache', done: 1, total: 1 }, true);
  return { ...ds, images, cacheKey: key, fromCache: false };
}

type Decoded = Omit<LoadedDataset, 'cacheKey' | 'fromCache' | 'images'>;
type CacheMetaInput = Parameters<typeof writeCache>[2];

/** Where decoded images go, row i at i * rowLength; kept rows are moved down over failed ones at the end. */
interface PixelSink {
  put(i: number, px: Uint8Array): void;
  /** Row `from` becomes row `to` (to < from). */
  move(from: number, to: number): void;
  /** Only the first `rows` rows remain. */
  truncate(rows: number): void;
  /** The pixels (memory sink). */
  pixels(): Uint8Array;
  /** Makes the cache entry and returns its rows (file sink). */
  commit(meta: CacheMetaInput): Promise<ImageRows>;
  discard(): void;
}

/** Without a cache folder to stream from, the pixels are held at once: up to MAX_PIXEL_BYTES. */
function memorySink(abs: string, n: number, size: number, channels: number): PixelSink {
  const per = size * size * channels;
  if (n * per > MAX_PIXEL_BYTES) {
    const gb = ((n * per) / 1024 ** 3).toFixed(1);
    throw new DatasetError('DATASET_TOO_LARGE', { path: abs, count: n, size, channels, gb });
  }
  let px = new Uint8Array(n * per);
  return {
    put: (i, row) => px.set(row, i * per),
    move: (from, to) => px.copyWithin(to * per, from * per, (from + 1) * per),
    truncate: (rows) => {
      if (rows * per < px.length) px = px.slice(0, rows * per);
    },
    pixels: () => px,
    commit: () => Promise.reject(new Error('a memory sink has no cache file')),
    discard: () => {},
  };
}

function fileSink(dir: string, key: string, per: number): PixelSink {
  mkdirSync(dir, { recursive: true });
  const file = tempName(path.join(dir, `${key}.bin`));
  const fd = openSync(file, 'w+');
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  const row = new Uint8Array(per);
  return {
    put: (i, px) => {
      writeSync(fd, px, 0, per, i * per);
    },
    move: (from, to) => {
      readSync(fd, row, 0, per, from * per);
      writeSync(fd, row, 0, per, to * per);
    },
    truncate: (rows) => ftruncateSync(fd, rows * per),
    pixels: () => {
      throw new Error('a file sink keeps its pixels on disk');
    },
    commit: async (meta) => {
      close();
      const bin = await commitCacheFile(dir, key, meta, file);
      return fileRows(bin, meta.files.length, per);
    },
    discard: () => {
      close();
      rmSync(file, { force: true });
    },
  };
}

async function checkFolder(abs: string): Promise<void> {
  let st;
  try {
    st = await fs.stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new DatasetError('FOLDER_NOT_FOUND', { path: abs });
    throw new DatasetError('FOLDER_UNREADABLE', { path: abs, reason: code ?? String(err) });
  }
  if (!st.isDirectory()) throw new DatasetError('NOT_A_FOLDER', { path: abs });
}

function noImages(abs: string, failures: FileFailure[], decodeFailed = false): DatasetError {
  const formats = SUPPORTED_EXTENSIONS.map((e) => `.${e}`).join(', ');
  const examples = failures.slice(0, 3).map((f) => `${f.file}: ${f.reason}`).join('; ');
  const skipped = failures.length ? ` ${failures.length} file(s) were skipped (${examples}${failures.length > 3 ? '; ...' : ''}).` : '';
  return new DatasetError(decodeFailed ? 'IMAGES_UNDECODABLE' : 'NO_IMAGES', { path: abs, formats, skipped });
}

async function decodeAll(
  abs: string, scan: ScanResult, opts: LoadDatasetOptions,
  progress: (p: { phase: 'decode'; done: number; total: number }, force?: boolean) => void,
  sink: PixelSink,
): Promise<Decoded> {
  const { size, channels, signal } = opts;
  const n = scan.files.length;
  const ok = new Uint8Array(n);
  const failures = [...scan.failures];
  const decoder = new ImageDecoder({ size, channels, fastPath: opts.fastPath });
  let done = 0;
  const finish = (): void => {
    done++;
    progress({ phase: 'decode', done, total: n }, done === n);
  };
  const fail = (i: number, why: CodedText): void => {
    failures.push(fileFailure(scan.files[i].rel, why));
    finish();
  };
  progress({ phase: 'decode', done: 0, total: n }, true);
  // Files are read synchronously in time slices (see timeSlicer) and PNGs on the fast path decode on the spot;
  // everything else goes to sharp, with a bounded number in flight.
  const inflight = new Set<Promise<void>>();
  let inflightBytes = 0;
  const tick = timeSlicer();
  for (let i = 0; i < n; i++) {
    const pause = tick();
    if (pause) await pause;
    while (inflight.size >= SHARP_IN_FLIGHT || (inflight.size > 0 && inflightBytes >= SHARP_IN_FLIGHT_BYTES)) await Promise.race(inflight);
    if (signal?.aborted) throw cancelled(abs);
    let buf: Buffer;
    try {
      buf = readFileSync(scan.files[i].abs);
    } catch (err) {
      fail(i, unreadable(err));
      continue;
    }
    if (buf.length === 0) {
      fail(i, note('FILE_EMPTY'));
      continue;
    }
    let result: Uint8Array | Promise<Uint8Array>;
    try {
      result = decoder.decode(buf);
    } catch (err) {
      fail(i, describeDecodeError(err));
      continue;
    }
    if (result instanceof Uint8Array) {
      sink.put(i, result);
      ok[i] = 1;
      finish();
      continue;
    }
    const bytes = buf.length;
    inflightBytes += bytes;
    const job: Promise<void> = result.then(
      (px) => {
        sink.put(i, px);
        ok[i] = 1;
        finish();
      },
      (err: unknown) => fail(i, describeDecodeError(err)),
    ).finally(() => {
      inflight.delete(job);
      inflightBytes -= bytes;
    });
    inflight.add(job);
  }
  await Promise.all(inflight);
  if (signal?.aborted) throw cancelled(abs);

  // Keep only decoded images, and only classes that still have one (labels are renumbered to match).
  const kept = scan.files.filter((_, i) => ok[i] === 1);
  if (kept.length === 0) throw noImages(abs, failures, true);
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    if (w !== i) sink.move(i, w);
    w++;
  }
  sink.truncate(w);
  const used = [...new Set(kept.map((f) => f.label))].filter((l) => l >= 0).sort((a, b) => a - b);
  const remap = new Map(used.map((l, j) => [l, j]));
  // A class whose every image failed to decode is left out: said in the report, beside its files' reasons.
  scan.classes.forEach((c, l) => {
    if (!remap.has(l)) failures.push(fileFailure(`${c}/`, note('EMPTY_CLASS_FOLDER')));
  });
  return {
    root: abs,
    files: kept.map((f) => f.rel),
    labels: Int32Array.from(kept, (f) => (f.label < 0 ? -1 : (remap.get(f.label) as number))),
    classes: used.map((l) => scan.classes[l]),
    width: size,
    height: size,
    channels,
    failures: sortPaths(failures, (f) => f.file),
  };
}
