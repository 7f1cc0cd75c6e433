// Writes that never leave a half-written file behind: write a sibling temp file, fsync, then rename.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

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

/** A failed write as the user sees it: names the file and what to do (disk full, permission, a file in the way). */
export function writeError(target: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new AppError('DISK_FULL', { path: target });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new AppError('WRITE_DENIED', { path: target });
  if (code === 'ENOTDIR') return new AppError('PATH_BLOCKED', { path: target });
  return new AppError('WRITE_FAILED', { path: target, reason: err instanceof Error ? err.message : String(err) });
}
