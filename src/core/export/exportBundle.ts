// Exporting copies a finished trial's bundle; no TensorFlow.js needed, so the CLI's export stays quick.
import fs from 'node:fs';
import path from 'node:path';
import { copyFileAtomic, describeWriteError } from './atomic';

export const BUNDLE_FILES = ['model.json', 'weights.bin', 'manifest.json', 'features.csv'] as const;

/** Copies a finished trial's bundle into a user-chosen folder, file by file, atomically. */
export function exportBundle(artifactDir: string, folder: string): string[] {
  for (const f of BUNDLE_FILES) {
    if (!fs.existsSync(path.join(artifactDir, f))) {
      throw new Error(`The trial's ${f} is missing from ${artifactDir}; train the trial again to recreate it.`);
    }
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw new Error(describeWriteError(folder, err));
  }
  const written: string[] = [];
  for (const f of BUNDLE_FILES) {
    const target = path.join(folder, f);
    try {
      copyFileAtomic(path.join(artifactDir, f), target);
    } catch (err) {
      throw new Error(describeWriteError(target, err));
    }
    written.push(target);
  }
  return written;
}
