// A cheap "is this an image folder?" before a study is created: the folder exists, is a folder, and has at
// least one supported image somewhere below it. Stops at the first image; reads no image content.
import fs from 'node:fs';
import path from 'node:path';
import { isSupportedExtension, SUPPORTED_EXTENSIONS } from './decode';
import { isIgnoredName } from './scan';

/** Entries looked at before giving up: a folder with this many non-images and no image is not a dataset. */
const MAX_ENTRIES = 100_000;

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
}

/** Why `folder` cannot be a dataset (a sentence naming it and what to do), or null when it holds an image. */
export function imageFolderProblem(folder: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (err) {
    return errCode(err) === 'ENOENT'
      ? `the folder ${folder} does not exist; give the image folder (a relative path counts from the spec file's folder).`
      : `cannot open ${folder} (${errCode(err)}); check that you may read it.`;
  }
  if (!stat.isDirectory()) return `${folder} is a file, not a folder; give the folder that holds the images.`;
  const queue = [folder];
  let seen = 0;
  while (queue.length && seen < MAX_ENTRIES) {
    const dir = queue.shift() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === folder) return `cannot read the folder ${folder} (${errCode(err)}); check that you may open it.`;
      continue;
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) break;
      if (isIgnoredName(e.name)) continue;
      const abs = path.join(dir, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && isDirectorySafe(abs));
      if (isDir) queue.push(abs);
      else if (isSupportedExtension(path.extname(e.name).slice(1))) return null;
    }
  }
  return `the folder ${folder} holds no images (${SUPPORTED_EXTENSIONS.map((x) => `.${x}`).join(', ')}), directly or in class sub-folders; choose the folder with your images.`;
}

function isDirectorySafe(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
