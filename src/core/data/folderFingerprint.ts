// What a worker on another machine checks before it trains on its own copy of a study's images: the same file
// list, the same sizes and the same bytes in a sample of files. Cheap (a folder walk and a few files read),
// unlike the pixel fingerprint of a loaded dataset (fingerprint.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { scanFolder } from './scan';

export interface FolderFingerprint {
  files: number;
  bytes: number;
  /** sha256 of "relative path\tsize\n" for every image, in scan order. */
  listHash: string;
  /** sha256 of the content of up to SAMPLE files spread evenly over the list. */
  sample: Array<{ rel: string; sha256: string }>;
}

const SAMPLE = 16;

export async function folderFingerprint(root: string): Promise<FolderFingerprint> {
  const scan = await scanFolder(root);
  const list = createHash('sha256');
  let bytes = 0;
  for (const f of scan.files) {
    list.update(`${f.rel}\t${f.size}\n`);
    bytes += f.size;
  }
  const n = scan.files.length;
  const picks = n <= SAMPLE ? scan.files : Array.from({ length: SAMPLE }, (_, i) => scan.files[Math.floor((i * (n - 1)) / (SAMPLE - 1))]);
  return {
    files: n,
    bytes,
    listHash: list.digest('hex'),
    sample: picks.map((f) => ({ rel: f.rel, sha256: createHash('sha256').update(fs.readFileSync(f.abs)).digest('hex') })),
  };
}

/** Where a local copy differs from the study's recorded fingerprint, in words; null when it is the same. */
export function fingerprintDifference(study: FolderFingerprint, local: FolderFingerprint): string | null {
  if (study.files !== local.files) return `${local.files} images here, ${study.files} in the study's copy`;
  if (study.listHash !== local.listHash) {
    return study.bytes !== local.bytes ? `the file sizes differ (${local.bytes} bytes here, ${study.bytes} in the study's copy)` : 'the file names or sizes differ';
  }
  const theirs = new Map(study.sample.map((s) => [s.rel, s.sha256]));
  const changed = local.sample.find((s) => theirs.get(s.rel) !== s.sha256);
  return changed ? `the content of ${changed.rel} differs` : null;
}

export function isFolderFingerprint(v: unknown): v is FolderFingerprint {
  const o = v as Partial<FolderFingerprint> | null;
  return typeof o === 'object' && o !== null && typeof o.files === 'number' && typeof o.bytes === 'number' && typeof o.listHash === 'string' && Array.isArray(o.sample);
}
