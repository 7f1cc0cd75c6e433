// Identifies a dataset as the model saw it: the same files, labels and preprocessed pixels give the same
// fingerprint on any machine (file times and the folder's location do not enter).
import { createHash } from 'node:crypto';
import type { LoadedDataset } from './types';

/** Rows hashed at a time: the pixels are read from the image cache in chunks, never all at once. */
const CHUNK_ROWS = 1024;

/** sha256 hex of: for each image, "path\tclass\n" (class '' if unlabeled), then every image's model pixels. */
export function datasetFingerprint(ds: Pick<LoadedDataset, 'files' | 'labels' | 'classes' | 'images'>): string {
  const h = createHash('sha256');
  ds.files.forEach((f, i) => h.update(`${f}\t${ds.labels[i] >= 0 ? ds.classes[ds.labels[i]] : ''}\n`));
  const { images } = ds;
  const buf = new Uint8Array(Math.min(CHUNK_ROWS, images.count) * images.rowLength);
  for (let start = 0; start < images.count; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, images.count - start);
    images.read(Array.from({ length: n }, (_, r) => start + r), buf);
    h.update(buf.subarray(0, n * images.rowLength));
  }
  return h.digest('hex');
}
