// Study spec files the system hands to the app (the .latentlab file association): macOS sends 'open-file'
// (possibly before the app is ready); Windows and Linux start the app with the file on its command line, or,
// when it is already running, start a second instance that the single-instance lock turns into
// 'second-instance' here. Each file is read (src/server/specFile.ts), validated, and started as a study only
// after the user confirms it in a dialog; a bad file is reported in a dialog, never ignored.
import { app } from 'electron';
import { readSpecFile, specFilesIn } from '../server/specFile';
import { parseStudySpec } from '../shared/study/spec';
import type { AppServices } from '../server/services/types';
import { confirmStudyFromFile, showSpecFileProblem } from './dialogs';

export interface SpecFileOpener {
  /** Hands the services over once they exist; files that arrived earlier are opened then. */
  ready(services: AppServices): void;
}

async function openSpecFile(services: AppServices, file: string): Promise<void> {
  try {
    const parsed = parseStudySpec(await readSpecFile(file));
    if (!parsed.ok) return showSpecFileProblem(file, parsed.errors.join('\n'));
    const spec = parsed.spec;
    const check = await services.handlers['study.validate']({ spec });
    if (!check.ok) return showSpecFileProblem(file, check.errors.join('\n'));
    if (!(await confirmStudyFromFile(file, spec.name))) return;
    await services.handlers['study.start']({ spec });
  } catch (err) {
    showSpecFileProblem(file, err instanceof Error ? err.message : String(err));
  }
}

/** Call once, in the instance holding the lock, before 'ready': registers the handlers, takes this launch's files. */
export function watchSpecFiles(): SpecFileOpener {
  const pending: string[] = [];
  let services: AppServices | null = null;
  const open = (file: string): void => {
    if (services) void openSpecFile(services, file);
    else pending.push(file);
  };
  app.on('open-file', (event, file) => {
    event.preventDefault();
    open(file);
  });
  // index.ts focuses the window on a second launch; this takes the files it was given.
  app.on('second-instance', (_event, argv, cwd) => specFilesIn(argv, cwd).forEach(open));
  // The executable, the app folder (development) and switches never end in .latentlab.
  specFilesIn(process.argv, process.cwd()).forEach(open);
  return {
    ready(s) {
      services = s;
      for (const file of pending.splice(0)) void openSpecFile(s, file);
    },
  };
}
