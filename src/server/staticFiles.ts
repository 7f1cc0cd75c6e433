// The built renderer served from a folder, for app:// (Electron) and the HTTP bridge alike: a URL path maps
// to a file inside the folder only, and a symbolic link inside it is never followed out of it.
import fs from 'node:fs/promises';
import path from 'node:path';

/** decodeURIComponent, but null for a malformed escape such as /%E0%A4%A (a 400, not a crash). */
export function decodeUrlPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The file a decoded URL path names under rootDir ("/" is index.html), or null when it would leave the
 * folder: "..", an absolute path, a NUL or backslash. Pure: the disk is not read (see readStaticFile).
 */
export function staticFileFor(decodedPath: string, rootDir: string): string | null {
  if (decodedPath.includes('\0') || decodedPath.includes('\\')) return null;
  const rel = decodedPath === '/' || decodedPath === '' ? '/index.html' : decodedPath;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${rel}`);
  return isInside(root, file) ? file : null;
}

/**
 * Reads a file found by staticFileFor, or null when it is missing, not a regular file, or reached through a
 * symbolic link that leads outside rootDir (its real path must be inside the folder's real path).
 */
export async function readStaticFile(file: string, rootDir: string): Promise<Buffer | null> {
  try {
    const [realRoot, real] = await Promise.all([fs.realpath(rootDir), fs.realpath(file)]);
    if (!isInside(realRoot, real)) return null;
    // realpath, stat and readFile only: Electron reads these inside app.asar too (file handles it does not).
    if (!(await fs.stat(real)).isFile()) return null;
    return await fs.readFile(real);
  } catch {
    return null;
  }
}
