// Paths that come from the page (dataset.open, training.start, export.encoder, a study's dataset). The page
// is not trusted with the disk:
// - A path is resolved against an explicit base, never the server's working folder: it must be absolute,
//   or start with ~ (the user's home folder). Anything else is refused with PATH_NOT_ABSOLUTE.
// - In the desktop app a folder must also be the user's own choice: one the folder dialog returned (or a
//   folder inside it), the data folder (the sample), or a typed path the user confirms in a native dialog
//   the main process shows. Browser mode has no native dialog: there the user typed the path in their own
//   signed-in page, which is their choice.
// What happens in the folder afterwards (new export folders, atomic writes) belongs to the services.
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../shared/errors';

export type PathPurpose = 'dataset' | 'export';

export interface PathPolicyOptions {
  /** The base of "~" (default os.homedir()). */
  home?: string;
  /** Folders that count as chosen from the start (the data folder). */
  trusted?: string[];
  /**
   * Desktop app: shows the typed folder to the user and resolves true if they confirm it. Absent: every
   * resolved path is accepted (browser mode).
   */
  confirm?: (folder: string, purpose: PathPurpose) => Promise<boolean>;
  /** path.posix or path.win32 (tests); default the platform's. */
  pathApi?: path.PlatformPath;
}

export interface PathPolicy {
  /** An absolute, normalised path, or AppError PATH_NOT_ABSOLUTE. */
  resolve(input: string): string;
  /** Records a folder the user picked in the folder dialog. */
  markChosen(folder: string): void;
  /** resolve(), then (desktop app) the chosen-or-confirmed check: AppError PATH_NOT_CHOSEN when refused. */
  fromPage(input: string, purpose: PathPurpose): Promise<string>;
}

export function createPathPolicy(opts: PathPolicyOptions = {}): PathPolicy {
  const p = opts.pathApi ?? path;
  const home = opts.home ?? os.homedir();
  const chosen = new Set<string>((opts.trusted ?? []).map((f) => p.resolve(f)));

  const resolve = (input: string): string => {
    const trimmed = input.trim();
    if (trimmed === '~') return p.resolve(home);
    if (/^~[\\/]/.test(trimmed)) return p.resolve(home, trimmed.slice(2));
    if (!p.isAbsolute(trimmed)) {
      throw new AppError('PATH_NOT_ABSOLUTE', { path: input, example: p.join(home, 'images') });
    }
    return p.resolve(trimmed);
  };

  const isChosen = (folder: string): boolean => {
    for (const base of chosen) {
      const rel = p.relative(base, folder);
      if (rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel))) return true;
    }
    return false;
  };

  return {
    resolve,
    markChosen(folder) {
      chosen.add(p.resolve(folder));
    },
    async fromPage(input, purpose) {
      const folder = resolve(input);
      if (!opts.confirm || isChosen(folder)) return folder;
      if (!(await opts.confirm(folder, purpose))) throw new AppError('PATH_NOT_CHOSEN', { path: folder });
      chosen.add(folder);
      return folder;
    },
  };
}
