// Walks a dataset folder: finds the image files, their classes (immediate sub-folders of the root) and
// everything that cannot be used, with a reason a person can act on. Reads no image content.
import { statSync, type Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSupportedExtension } from './decode';
import { note, type CodedText } from '../../shared/errors';
import { DatasetError, fileFailure, type FileFailure } from './types';
import { sortNatural, sortPaths, timeSlicer } from './util';

export interface ScannedFile {
  /** Relative path with forward slashes (through links as the user sees them). */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
  /** Index into ScanResult.classes, or -1 for a flat folder. */
  label: number;
}

export interface ScanResult {
  realRoot: string;
  files: ScannedFile[];
  classes: string[];
  failures: FileFailure[];
  /** Every non-ignored entry seen, [rel, size, mtimeMs], sorted by code point: what the cache key hashes. */
  fingerprint: [string, number, number][];
}

// Silently skipped: system clutter, not the user's data. (Hidden names, starting with '.', are skipped too.)
const IGNORED = new Set(['thumbs.db', 'desktop.ini', '__macosx']);

export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || IGNORED.has(name.toLowerCase());
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface Found {
  rel: string;
  abs: string;
}

export interface ScanOptions {
  signal?: AbortSignal;
  onFound?: (count: number) => void;
}

export async function scanFolder(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const realRoot = await fs.realpath(root);
  const failures: FileFailure[] = [];
  const found: Found[] = [];
  // Real paths of the folders already walked: a link back to one of them (a cycle, or the same folder twice)
  // is not followed again, so no image is counted twice and no walk is endless.
  const visited = new Set<string>([realRoot]);
  // The root's sub-folders (classes when any holds an image): one with no usable image is reported, not dropped silently.
  const topFolders: string[] = [];

  const walk = async (dirAbs: string, relDir: string): Promise<void> => {
    if (opts.signal?.aborted) throw cancelled(root);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dirAbs, { withFileTypes: true });
    } catch (err) {
      if (relDir === '') throw new DatasetError('FOLDER_UNREADABLE', { path: root, reason: errCode(err) });
      failures.push(fileFailure(relDir, isDenied(err) ? note('FOLDER_SKIPPED_DENIED') : note('FOLDER_SKIPPED', { reason: errCode(err) })));
      return;
    }
    // Sorted walk: which path of a doubly-linked folder wins is then the same on every run.
    for (const entry of sortNatural(entries, (e) => e.name)) {
      if (isIgnoredName(entry.name)) continue;
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const abs = path.join(dirAbs, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = await linkTarget(abs, realRoot);
        if ('code' in target) {
          failures.push(fileFailure(rel, target));
          continue;
        }
        isDir = target.isDir;
        if (isDir) {
          if (visited.has(target.real)) {
            failures.push(fileFailure(rel, note('LINK_DUPLICATE')));
            continue;
          }
          visited.add(target.real);
        }
      } else if (isDir) {
        visited.add(await fs.realpath(abs).catch(() => abs));
      } else if (!entry.isFile()) {
        continue; // sockets, fifos, devices: never data
      }
      if (isDir) {
        if (relDir === '') topFolders.push(rel);
        await walk(abs, rel);
      }
      else {
        found.push({ rel, abs });
        opts.onFound?.(found.length);
      }
    }
  };
  await walk(realRoot, '');

  return classify(root, realRoot, found, failures, topFolders, opts.signal);
}

async function linkTarget(abs: string, realRoot: string): Promise<{ real: string; isDir: boolean } | CodedText> {
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch {
    return note('LINK_BROKEN');
  }
  if (!isInside(realRoot, real)) return note('LINK_OUTSIDE');
  try {
    const st = await fs.stat(real);
    if (!st.isDirectory() && !st.isFile()) return note('LINK_NOT_FILE');
    return { real, isDir: st.isDirectory() };
  } catch (err) {
    return note('LINK_FAILED', { reason: errCode(err) });
  }
}

async function classify(
  root: string, realRoot: string, found: Found[], failures: FileFailure[], topFolders: string[], signal?: AbortSignal,
): Promise<ScanResult> {
  const stats = new Array<{ size: number; mtimeMs: number } | null>(found.length).fill(null);
  const tick = timeSlicer();
  for (let i = 0; i < found.length; i++) {
    const pause = tick();
    if (pause) await pause;
    if (signal?.aborted) throw cancelled(root);
    try {
      const st = statSync(found[i].abs); // sync: ~3x faster than fs.promises.stat for thousands of files
      stats[i] = { size: st.size, mtimeMs: st.mtimeMs };
    } catch (err) {
      failures.push(fileFailure(found[i].rel, unreadable(err)));
    }
  }

  // Files that were not even reached (bad links, unreadable folders) still belong in the key: otherwise adding
  // such a link would leave a cached failure list stale. Size -1 marks them.
  const fingerprint: [string, number, number][] = failures.map((f) => [f.file, -1, 0]);
  const images: (Found & { size: number; mtimeMs: number })[] = [];
  for (let i = 0; i < found.length; i++) {
    const st = stats[i];
    if (!st) continue;
    const f = found[i];
    fingerprint.push([f.rel, st.size, st.mtimeMs]);
    const ext = path.extname(f.rel).slice(1);
    if (!ext) failures.push(fileFailure(f.rel, note('NO_EXTENSION')));
    else if (!isSupportedExtension(ext)) failures.push(fileFailure(f.rel, note('UNSUPPORTED_EXTENSION', { ext })));
    else images.push({ ...f, ...st });
  }
  fingerprint.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  // Class = first path segment, for images that live below a sub-folder.
  const classNames = sortNatural([...new Set(images.filter((f) => f.rel.includes('/')).map((f) => f.rel.split('/')[0]))], (c) => c);
  const classIndex = new Map(classNames.map((c, i) => [c, i]));
  const files: ScannedFile[] = [];
  for (const f of images) {
    const inClass = f.rel.includes('/');
    if (classNames.length > 0 && !inClass) {
      failures.push(fileFailure(f.rel, note('NOT_IN_CLASS_FOLDER')));
      continue;
    }
    files.push({ rel: f.rel, abs: f.abs, size: f.size, mtimeMs: f.mtimeMs, label: inClass ? (classIndex.get(f.rel.split('/')[0]) as number) : -1 });
  }
  if (classNames.length > 0) {
    for (const folder of topFolders) if (!classIndex.has(folder)) failures.push(fileFailure(`${folder}/`, note('EMPTY_CLASS_FOLDER')));
  }
  return { realRoot, files: sortPaths(files, (f) => f.rel), classes: classNames, failures: sortPaths(failures, (f) => f.file), fingerprint };
}

export function cancelled(root: string): DatasetError {
  return new DatasetError('LOAD_CANCELLED', { path: root });
}

/** The system's error code (EIO, ELOOP, ...) or message: said as it is, it is what a search finds. */
function errCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (err instanceof Error ? err.message : String(err));
}

function isDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** Why a file found by the walk could not be read. */
export function unreadable(err: unknown): CodedText {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (isDenied(err)) return note('FILE_DENIED');
  if (code === 'ENOENT') return note('FILE_VANISHED');
  return note('FILE_UNREADABLE', { reason: errCode(err) });
}
