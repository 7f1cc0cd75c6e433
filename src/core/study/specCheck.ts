// Every check a study spec passes before anything is written (no database file, no study row): the shared
// parse (strict keys, search space, grid size, the autoencoder's parameters) plus what only this machine can
// tell: the dataset folder exists and holds images, the targets CSV reads. The CLI's search and --dry-run
// and the app's study.validate and study.start all run this one function.
import fs from 'node:fs';
import path from 'node:path';
import { parseAutoencoderStudySpec } from '../../shared/study/autoencoder';
import { gridSize } from '../../shared/study/space';
import { SAMPLE_DATASET, type StudySpec } from '../../shared/study/spec';
import { imageFolderProblem } from '../data/holdsImages';
import { parseTargetsCsv } from '../evaluation/targets';

export type SpecCheck = { ok: true; spec: StudySpec; gridSize: number | null } | { ok: false; errors: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * dataset.path and dataset.targetsCsv made absolute against `baseDir` (a spec file's own folder, so a spec
 * works from any working folder); the sample shorthand and absolute paths are kept. Anything else untouched.
 */
export function resolveSpecPaths(raw: unknown, baseDir: string): unknown {
  if (!isRecord(raw) || !isRecord(raw.dataset)) return raw;
  const dataset = { ...raw.dataset };
  if (typeof dataset.path === 'string' && dataset.path !== SAMPLE_DATASET && dataset.path !== '') dataset.path = path.resolve(baseDir, dataset.path);
  if (typeof dataset.targetsCsv === 'string' && dataset.targetsCsv !== '') dataset.targetsCsv = path.resolve(baseDir, dataset.targetsCsv);
  return { ...raw, dataset };
}

function datasetProblems(raw: unknown): string[] {
  const dataset = isRecord(raw) && isRecord(raw.dataset) ? raw.dataset : {};
  const errors: string[] = [];
  if (typeof dataset.path === 'string' && dataset.path !== '' && dataset.path !== SAMPLE_DATASET) {
    const problem = imageFolderProblem(dataset.path);
    if (problem) errors.push(`dataset.path: ${problem}`);
  }
  if (typeof dataset.targetsCsv === 'string' && dataset.targetsCsv !== '') {
    try {
      parseTargetsCsv(fs.readFileSync(dataset.targetsCsv, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(`dataset.targetsCsv: ${code === 'ENOENT' ? `no such file ${dataset.targetsCsv}` : err instanceof Error ? err.message : String(err)}`);
    }
  }
  return errors;
}

/** Checks a spec as written; relative paths count from `baseDir`. The returned spec has them resolved. */
export function checkStudySpec(raw: unknown, opts: { baseDir: string }): SpecCheck {
  const resolved = resolveSpecPaths(raw, opts.baseDir);
  const parsed = parseAutoencoderStudySpec(resolved);
  const errors = [...(parsed.ok ? [] : parsed.errors), ...datasetProblems(resolved)];
  if (!parsed.ok || errors.length) return { ok: false, errors };
  const size = gridSize(parsed.spec.searchSpace);
  return { ok: true, spec: parsed.spec, gridSize: typeof size === 'number' ? size : null };
}
