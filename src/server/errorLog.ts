// The log of unexpected errors (bugs, not user mistakes): one file in the data folder, with each error's
// stack, capped by rotation so it never grows without bound. The user is shown "internal error" and this
// file's path (see dispatch.ts); the desktop app, browser mode and the CLI's `serve` all write here.
import fs from 'node:fs';
import path from 'node:path';

export const LOG_FOLDER = 'logs';
export const LOG_FILE = 'latent-lab.log';
/** When the log passes this size it becomes latent-lab.1.log (replacing the previous one): at most 2 x 1 MB. */
export const LOG_MAX_BYTES = 1024 * 1024;

export interface ErrorLog {
  /** The current log file, shown to the user with an internal error. */
  readonly file: string;
  /** Records an unexpected error with its stack. Never throws. */
  error(context: string, error: unknown): void;
  /** Records a line worth keeping (a trainer crash, a refused request). Never throws. */
  warn(context: string, message: string): void;
}

export function logFileIn(dataDir: string): string {
  return path.join(dataDir, LOG_FOLDER, LOG_FILE);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const head = error.stack ?? `${error.name}: ${error.message}`;
    const extra = code !== undefined ? `\n    code: ${String(code)}` : '';
    const cause = error.cause !== undefined ? `\n    caused by: ${describe(error.cause).replace(/\n/g, '\n    ')}` : '';
    return `${head}${extra}${cause}`;
  }
  try {
    return `thrown value: ${JSON.stringify(error)}`;
  } catch {
    return `thrown value: ${String(error)}`;
  }
}

export interface ErrorLogOptions {
  maxBytes?: number;
  /** Also echo to the console (default true: a terminal run shows it at once). */
  echo?: boolean;
  now?: () => Date;
}

export function createErrorLog(dataDir: string, opts: ErrorLogOptions = {}): ErrorLog {
  const file = logFileIn(dataDir);
  const previous = file.replace(/\.log$/, '.1.log');
  const maxBytes = opts.maxBytes ?? LOG_MAX_BYTES;
  const echo = opts.echo ?? true;
  const now = opts.now ?? (() => new Date());

  const append = (level: 'ERROR' | 'WARN', context: string, text: string): void => {
    const entry = `${now().toISOString()} ${level} [${context}] ${text}\n`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      let size = 0;
      try {
        size = fs.statSync(file).size;
      } catch {
        // no log yet
      }
      if (size > 0 && size + Buffer.byteLength(entry) > maxBytes) fs.renameSync(file, previous);
      // An entry larger than the cap on its own is cut, so one huge error cannot defeat the cap.
      const bytes = Buffer.from(entry);
      fs.appendFileSync(file, bytes.length > maxBytes ? `${bytes.subarray(0, maxBytes - 40).toString()}\n... (cut)\n` : bytes, { mode: 0o600 });
    } catch (err) {
      console.error(`[log] could not write ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (echo) console.error(`[${context}] ${text}`);
  };

  return {
    file,
    error: (context, error) => append('ERROR', context, describe(error)),
    warn: (context, message) => append('WARN', context, message),
  };
}
