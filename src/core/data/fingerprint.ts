// Identifies a dataset as the model saw it: the same files, labels and preprocessed pixels give the same
// fingerprint on any machine (file times and the folder's location do not enter).
import { createHash } from 'node:crypto';
import type { LoadedDataset } from './types';

/** sha256 hex of: for each image, "path\tclass\n" (class '' if unlabeled), then every image's model pixels. */
export function datasetFingerprint(ds: Pick<LoadedDataset, 'files' | 'labels' | 'classes' | 'pixels'>): string {
  const h = createHash('sha256');
  ds.files.forEach((f, i) => h.update(`${f}\t${ds.labels[i] >= 0 ? ds.classes[ds.labels[i]] : ''}\n`));
  h.update(ds.pixels);
  return h.digest('hex');
}
