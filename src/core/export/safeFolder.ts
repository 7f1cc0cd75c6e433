// Writing a whole folder so that it appears complete or not at all: files go into a temporary sibling, which is
// renamed into place when everything is on disk. Replacing an earlier bundle renames it aside first; a kill at
// any moment leaves the old folder, the new one, or (between the two renames) recoverable siblings that the next
// write to the same destination settles (recoverFolder). Every file system call is asynchronous and bounded in
// time, and destinations that cannot hold a bundle (pseudo file systems, the data folder's internals) are
// refused before anything is touched.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { writeError } from './atomic';


const META_TIMEOUT_MS = 10_000;

/** Rejects when the call has not answered in time (a hung network mount, a pseudo file system). */
export async function bounded<T>(p: Promise<T>, what: string, ms = META_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('DEST_TIMEOUT', { what, seconds: Math.round(ms / 1000) })), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Linux statfs magic numbers of file systems that are views of the kernel, not storage. */
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0xcafe4a11: 'bpf',
  0x6165676c: 'pstore',
  0x62656570: 'configfs',
  0x65735543: 'fusectl',
  0x42494e4d: 'binfmt_misc',
};
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

const isInside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** The deepest existing ancestor of p (p itself when it exists), real path resolved, and the rest below it. */
async function existingAncestor(p: string): Promise<{ real: string; rest: string[] }> {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const real = await bounded(fs.realpath(cur), `Checking ${cur}`);
      return { real, rest };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw writeError(p, err);
      const parent = path.dirname(cur);
      if (parent === cur) throw new AppError('WRITE_FAILED', { path: p, reason: 'no part of the path exists' });
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

export interface DestinationPolicy {
  /** Folders and files the destination must not be inside of, equal to, or contain (the data folder's internals). */
  protectedPaths: string[];
  /** Replace a destination that already holds something (only ever an earlier bundle: see `replaceable`). */
  force: boolean;
  /** True when an existing folder's entries are an earlier export that `force` may replace. */
  replaceable: (entries: string[], dir: string) => Promise<boolean>;
  /** What the folder is, for messages ("encoder bundle"). */
  what: string;
}

export interface ResolvedDestination {
  /** Absolute destination, its existing part resolved through symlinks. */
  folder: string;
  exists: boolean;
  empty: boolean;
}

/** Resolves a path through its existing part and refuses pseudo file systems; nothing is written. */
async function onRealFileSystem(p: string): Promise<{ lexical: string; real: string; rest: string[]; resolved: string }> {
  if (!path.isAbsolute(p)) throw new AppError('PATH_NOT_ABSOLUTE', { path: p, example: path.join(os.homedir(), 'latent-lab-export') });
  const lexical = path.resolve(p);
  if (PSEUDO_ROOTS.some((r) => isInside(lexical, r))) throw pseudo(lexical, lexical.split(path.sep)[1]);
  const { real, rest } = await existingAncestor(lexical);
  const resolved = path.join(real, ...rest);
  if (PSEUDO_ROOTS.some((r) => isInside(resolved, r))) throw pseudo(lexical, resolved.split(path.sep)[1]);
  if (process.platform === 'linux') {
    const st = await bounded(fs.statfs(real), `Checking ${real}`).catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      return null;
    });
    const kind = st ? PSEUDO_FS[Number(st.type)] : undefined;
    if (kind) throw pseudo(lexical, kind);
  }
  return { lexical, real, rest, resolved };
}

/** Checks a destination without writing anything; throws an AppError that says what to do. */
export async function checkDestination(dest: string, policy: DestinationPolicy): Promise<ResolvedDestination> {
  const { lexical, real, rest, resolved: folder } = await onRealFileSystem(dest);
  for (const raw of policy.protectedPaths) {
    const prot = await realOrSelf(raw);
    if (isInside(folder, prot)) {
      throw new AppError('DEST_INSIDE_DATA', { path: lexical, data: prot });
    }
    if (isInside(prot, folder)) {
      throw new AppError('DEST_CONTAINS_DATA', { path: lexical, data: prot });
    }
  }
  if (rest.length > 0) {
    const st = await bounded(fs.stat(real), `Checking ${real}`);
    if (!st.isDirectory()) throw new AppError('PATH_BLOCKED', { path: lexical });
    return { folder, exists: false, empty: true };
  }
  const st = await bounded(fs.stat(folder), `Checking ${folder}`);
  if (!st.isDirectory()) throw new AppError('PATH_BLOCKED', { path: lexical });
  const entries = await bounded(fs.readdir(folder), `Listing ${folder}`).catch((err: unknown) => {
    if (err instanceof AppError) throw err;
    throw writeError(lexical, err);
  });
  if (entries.length === 0) return { folder, exists: true, empty: true };
  const earlier = await policy.replaceable(entries, folder);
  if (!earlier) {
    throw new AppError('DEST_NOT_EMPTY', { path: lexical, what: policy.what });
  }
  if (!policy.force) {
    throw new AppError('DEST_HOLDS_EARLIER', { path: lexical, what: policy.what });
  }
  return { folder, exists: true, empty: false };
}

function pseudo(dest: string, kind: string): AppError {
  return new AppError('DEST_PSEUDO_FS', { path: dest, kind });
}

async function realOrSelf(p: string): Promise<string> {
  try {
    return await bounded(fs.realpath(p), `Checking ${p}`);
  } catch {
    return path.resolve(p);
  }
}

const MARK = '.latent-lab-';
type SiblingState = 'partial' | 'ready' | 'old';

function siblingName(base: string, state: SiblingState, id: string): string {
  return `.${base}${MARK}${state}-${id}`;
}

function parseSibling(base: string, name: string): { state: SiblingState; pid: number } | null {
  const prefix = `.${base}${MARK}`;
  if (!name.startsWith(prefix)) return null;
  const m = /^(partial|ready|old)-(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
  return m ? { state: m[1] as SiblingState, pid: Number(m[2]) } : null;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await bounded(fs.lstat(p), `Checking ${p}`);
    return true;
  } catch (err) {
    if (err instanceof AppError) throw err;
    return false;
  }
}

/**
 * Settles what an interrupted write to `folder` left behind (by a process no longer running): a complete new
 * folder whose old one was already moved aside is put in place; anything else half-done is removed.
 */
export async function recoverFolder(folder: string): Promise<void> {
  const parent = path.dirname(folder);
  const base = path.basename(folder);
  let names: string[];
  try {
    names = await bounded(fs.readdir(parent), `Listing ${parent}`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    return; // no parent yet: nothing to recover
  }
  const found = names.map((n) => ({ name: n, s: parseSibling(base, n) })).filter((x) => x.s && !alive(x.s.pid)) as Array<{ name: string; s: { state: SiblingState; pid: number } }>;
  const rm = (name: string): Promise<void> => bounded(fs.rm(path.join(parent, name), { recursive: true, force: true }), `Removing ${name}`);
  for (const { name, s } of found) if (s.state === 'partial') await rm(name);
  const ready = found.filter((x) => x.s.state === 'ready');
  const old = found.filter((x) => x.s.state === 'old');
  if (!(await exists(folder))) {
    // Killed between moving the old folder aside and moving the new one in: finish the job.
    const use = ready[0] ?? old[0];
    if (use) await bounded(fs.rename(path.join(parent, use.name), folder), `Restoring ${folder}`);
  }
  for (const x of [...ready, ...old]) if (await exists(path.join(parent, x.name))) await rm(x.name);
}

export interface WriteFolderOptions {
  /** Writes the folder's contents into `dir` (the temporary sibling); use writeFileDurable. */
  write: (dir: string) => Promise<void>;
  policy: DestinationPolicy;
}

/** Checks the destination, writes a temporary sibling, then renames it into place; returns the folder written. */
export async function writeFolderAtomically(dest: string, opts: WriteFolderOptions): Promise<string> {
  await recoverFolder(path.resolve(dest)).catch((err: unknown) => {
    if (err instanceof AppError) throw err;
  });
  const target = await checkDestination(dest, opts.policy);
  const folder = target.folder;
  const parent = path.dirname(folder);
  const base = path.basename(folder);
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const partial = path.join(parent, siblingName(base, 'partial', id));
  const ready = path.join(parent, siblingName(base, 'ready', id));
  const aside = path.join(parent, siblingName(base, 'old', id));
  const createdParents = await mkdirParents(parent);
  try {
    await bounded(fs.mkdir(partial), `Creating ${partial}`);
    await opts.write(partial);
    await syncDir(partial);
    await bounded(fs.rename(partial, ready), `Finishing ${folder}`);
    if (target.exists) await bounded(fs.rename(folder, aside), `Moving the earlier ${opts.policy.what} aside`);
    await bounded(fs.rename(ready, folder), `Finishing ${folder}`);
    await syncDir(parent);
    if (target.exists) await bounded(fs.rm(aside, { recursive: true, force: true }), `Removing the earlier ${opts.policy.what}`);
    return folder;
  } catch (err) {
    // Undo what this attempt did; a destination already moved aside is put back.
    await fs.rm(partial, { recursive: true, force: true }).catch(() => undefined);
    if (!(await exists(folder).catch(() => true)) && (await exists(aside).catch(() => false))) await fs.rename(aside, folder).catch(() => undefined);
    await fs.rm(ready, { recursive: true, force: true }).catch(() => undefined);
    for (const dir of createdParents.reverse()) await fs.rmdir(dir).catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw writeError(folder, err);
  }
}

/** Creates the missing folders above the destination; returns them, outermost first, to undo on failure. */
async function mkdirParents(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let cur = dir;
  while (!(await exists(cur))) {
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing) {
    try {
      await bounded(fs.mkdir(d), `Creating ${d}`);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(d, err);
    }
  }
  return missing;
}

async function syncDir(dir: string): Promise<void> {
  // Makes renames durable; directories cannot be opened for sync on every platform (Windows), which is fine.
  // A drive that stops answering is not: like every other call here, the wait is bounded.
  await bounded(
    (async () => {
      const fh = await fs.open(dir, 'r').catch(() => null);
      if (!fh) return;
      await fh.sync().catch(() => undefined);
      await fh.close().catch(() => undefined);
    })(),
    `Saving ${dir} to disk`,
  );
}

/** Writes and fsyncs one file, bounded by a time that grows with its size (about 1 s per MB on top of 10 s). */
export async function writeFileDurable(file: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  const ms = META_TIMEOUT_MS + bytes / 1000;
  await bounded(
    (async () => {
      const fh = await fs.open(file, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
    })(),
    `Writing ${file}`,
    ms,
  );
}

/** Checks an output file's path like a destination folder's; an existing file is replaced only with `force`. */
export async function checkOutputFile(file: string, policy: Omit<DestinationPolicy, 'replaceable'>): Promise<string> {
  const { resolved } = await onRealFileSystem(file);
  for (const raw of policy.protectedPaths) {
    const prot = await realOrSelf(raw);
    if (isInside(resolved, prot)) throw new AppError('DEST_INSIDE_DATA', { path: file, data: prot });
  }
  const st = await bounded(fs.lstat(resolved), `Checking ${resolved}`).catch((err: unknown) => {
    if (err instanceof AppError) throw err;
    return null;
  });
  if (st && !st.isFile()) throw new AppError('DEST_NOT_A_FILE', { path: file });
  if (st && !policy.force) throw new AppError('DEST_FILE_EXISTS', { path: file });
  return resolved;
}

/** Writes a file through a temporary sibling and a rename: readers see the old file or the new one. */
export async function writeFileReplacing(file: string, data: Uint8Array | string): Promise<void> {
  await recoverFolder(file);
  const tmp = path.join(path.dirname(file), siblingName(path.basename(file), 'partial', `${process.pid}-${randomBytes(4).toString('hex')}`));
  const created = await mkdirParents(path.dirname(file));
  try {
    await writeFileDurable(tmp, data);
    await bounded(fs.rename(tmp, file), `Finishing ${file}`);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    for (const dir of created.reverse()) await fs.rmdir(dir).catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw writeError(file, err);
  }
}
