// Decoded-tensor cache: <key>.bin holds the pixels, <key>.json the rest. The key hashes everything that can
// change the result, so an entry is never stale; anything odd about an entry (missing, partial, corrupt)
// makes it a miss, and a failed write is only a missed chance to cache.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Channels } from '../../shared/dto';
import { fileRows, IN_MEMORY_BYTES, memoryRows, type ImageRows } from './imageRows';
import type { FileFailure } from './types';

/** Bump when the decoded pixels or the entry layout change. */
export const CACHE_FORMAT_VERSION = 2; // 2: failures carry a code + params

export interface CacheMeta {
  version: number;
  files: string[];
  labels: number[];
  classes: string[];
  failures: FileFailure[];
  width: number;
  height: number;
  channels: Channels;
  /** sha256 of the .bin, so a torn or bit-rotten file is detected. */
  pixelsSha256: string;
}

export interface CacheKeyInput {
  realRoot: string;
  fingerprint: [string, number, number][];
  size: number;
  channels: Channels;
  decoder: string;
}

export function cacheKey(input: CacheKeyInput): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: CACHE_FORMAT_VERSION, root: input.realRoot, decode: { size: input.size, channels: input.channels, decoder: input.decoder } }));
  for (const [rel, size, mtime] of input.fingerprint) h.update(`\n${JSON.stringify([rel, size, mtime])}`);
  return h.digest('hex');
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file read 4 MB at a time (a large cache is never held whole). */
export function sha256OfFile(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4 * 2 ** 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * Returns the entry, or null when it is missing or does not check out in every respect. Pixels up to
 * `inMemoryBytes` are read into memory; a larger entry is checked in chunks and read from its file per batch.
 */
export async function readCache(dir: string, key: string, inMemoryBytes = IN_MEMORY_BYTES): Promise<{ meta: CacheMeta; images: ImageRows } | null> {
  try {
    const meta = JSON.parse(await fs.readFile(path.join(dir, `${key}.json`), 'utf8')) as CacheMeta;
    if (!isValidMeta(meta)) return null;
    const binPath = path.join(dir, `${key}.bin`);
    const rowLength = meta.width * meta.height * meta.channels;
    const size = (await fs.stat(binPath)).size;
    if (size !== meta.files.length * rowLength) return null;
    if (size > inMemoryBytes) {
      if (sha256OfFile(binPath) !== meta.pixelsSha256) return null;
      return { meta, images: fileRows(binPath, meta.files.length, rowLength) };
    }
    const bin = await fs.readFile(binPath);
    if (sha256(bin) !== meta.pixelsSha256) return null;
    return { meta, images: memoryRows(new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength), rowLength) };
  } catch {
    return null;
  }
}

function isValidMeta(m: CacheMeta): boolean {
  return (
    typeof m === 'object' && m !== null &&
    m.version === CACHE_FORMAT_VERSION &&
    Array.isArray(m.files) && m.files.every((f) => typeof f === 'string') &&
    Array.isArray(m.labels) && m.labels.length === m.files.length &&
    m.labels.every((l) => Number.isInteger(l) && l >= -1 && l < (Array.isArray(m.classes) ? m.classes.length : 0)) &&
    Array.isArray(m.classes) && Array.isArray(m.failures) &&
    Number.isInteger(m.width) && Number.isInteger(m.height) && (m.channels === 1 || m.channels === 3) &&
    typeof m.pixelsSha256 === 'string'
  );
}

/** Writes the entry atomically (temp file + rename, pixels first so the .json marks completion). Never throws. */
export async function writeCache(
  dir: string, key: string, meta: Omit<CacheMeta, 'version' | 'pixelsSha256'>, pixels: Uint8Array,
): Promise<boolean> {
  const full: CacheMeta = { version: CACHE_FORMAT_VERSION, ...meta, pixelsSha256: sha256(pixels) };
  try {
    await fs.mkdir(dir, { recursive: true });
    await writeAtomic(path.join(dir, `${key}.bin`), pixels);
    await writeAtomic(path.join(dir, `${key}.json`), JSON.stringify(full));
    return true;
  } catch {
    return false; // disk full, read-only, permissions: the load itself already succeeded
  }
}

/**
 * Makes an entry of a pixel file written elsewhere in `dir` (decoding straight to disk): the file is hashed in
 * chunks and renamed into place, then the .json written. Throws on failure (the caller has no other copy).
 */
export async function commitCacheFile(dir: string, key: string, meta: Omit<CacheMeta, 'version' | 'pixelsSha256'>, pixelFile: string): Promise<string> {
  const full: CacheMeta = { version: CACHE_FORMAT_VERSION, ...meta, pixelsSha256: sha256OfFile(pixelFile) };
  const bin = path.join(dir, `${key}.bin`);
  await fs.rename(pixelFile, bin);
  await writeAtomic(path.join(dir, `${key}.json`), JSON.stringify(full));
  return bin;
}

/** A temporary file name next to `file`, unique to this process. */
export const tempName = (file: string): string => `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

export async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempName(file);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
