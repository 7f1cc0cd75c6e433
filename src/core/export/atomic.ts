// Writes that never leave a half-written file behind: write a sibling temp file, fsync, then rename.
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function copyFileAtomic(from: string, to: string): void {
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.copyFileSync(from, tmp);
    fs.renameSync(tmp, to);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** A user-facing message for a failed write: names the file and what to do. */
export function describeWriteError(target: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full; free some space and try again'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'permission denied; choose a folder you can write to'
        : code === 'ENOTDIR'
          ? 'a file is in the way of the folder path; choose another folder'
          : err instanceof Error
            ? err.message
            : String(err);
  return `Cannot write ${target}: ${why}.`;
}
