// Study specs opened from the desktop (a <name>.latentlab file double-clicked, dropped on the app icon, or
// given on the command line of the installed app). A relative dataset folder or targets CSV in such a file
// means "next to the file": it is resolved against the file's folder, never the app's working folder. What
// the spec says is then checked as any spec from the page is (study.validate, the path policy).
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSampleRef } from '../core/data/sample';
import { AppError } from '../shared/errors';

/** The extension electron-builder.yml associates with the app. */
export const SPEC_FILE_EXT = '.latentlab';

/** A spec is a small JSON document; anything bigger is not one. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

/** The spec files named on a command line (the installed app's argv, or a second instance's). */
export function specFilesIn(args: readonly string[], cwd: string): string[] {
  return args.filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith(SPEC_FILE_EXT)).map((a) => path.resolve(cwd, a));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a spec file: its JSON, with relative dataset paths made absolute against the file's folder. */
export async function readSpecFile(file: string): Promise<unknown> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new AppError('SPEC_FILE_UNREADABLE', { path: file, reason: 'not a file' });
    if (stat.size > MAX_SPEC_FILE_BYTES) throw new AppError('SPEC_FILE_UNREADABLE', { path: file, reason: `larger than ${MAX_SPEC_FILE_BYTES / 1024 / 1024} MB` });
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('SPEC_FILE_UNREADABLE', { path: file, reason: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? err) });
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new AppError('INVALID_SPEC', { details: `${path.basename(file)} is not valid JSON: ${(err as Error).message}` });
  }
  if (!isRecord(spec) || !isRecord(spec.dataset)) return spec;
  const base = path.dirname(path.resolve(file));
  const dataset = { ...spec.dataset };
  const beside = (p: unknown): unknown => (typeof p === 'string' && p.trim() && !isSampleRef(p) && !path.isAbsolute(p) && !/^~([\\/]|$)/.test(p) ? path.resolve(base, p) : p);
  dataset.path = beside(dataset.path);
  if ('targetsCsv' in dataset) dataset.targetsCsv = beside(dataset.targetsCsv);
  return { ...spec, dataset };
}
