// Exporting copies a finished trial's bundle; no TensorFlow.js needed, so the CLI's export stays quick.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { copyFileAtomic, writeError } from './atomic';

export const BUNDLE_FILES = ['model.json', 'weights.bin', 'manifest.json', 'features.csv'] as const;

/** Copies a finished trial's bundle into a user-chosen folder, file by file, atomically. */
export function exportBundle(artifactDir: string, folder: string): string[] {
  for (const f of BUNDLE_FILES) {
    if (!fs.existsSync(path.join(artifactDir, f))) {
      throw new AppError('ARTIFACT_MISSING', { file: f, folder: artifactDir });
    }
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw writeError(folder, err);
  }
  const written: string[] = [];
  for (const f of BUNDLE_FILES) {
    const target = path.join(folder, f);
    try {
      copyFileAtomic(path.join(artifactDir, f), target);
    } catch (err) {
      throw writeError(target, err);
    }
    written.push(target);
  }
  return written;
}
