// Headless entry: `latent-lab <command>`. User mistakes print one line and exit 2; see exitCodes.ts for the rest.
import { ArtifactError } from '../core/storage/artifacts';
import { StorageError } from '../core/storage/types';
import { DatasetError } from '../core/data/types';
import { UsageError } from './args';
import { EXIT } from './exitCodes';
import { MAIN_HELP } from './help';

// A reader that stops early (`latent-lab show NAME | head`) closes the pipe. The rest of the output is dropped
// and the command still finishes its work and exits with its own code: a search is not cut off mid-write by it,
// and the user does not get Node's stack trace for an unhandled EPIPE.
const PIPE_CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!PIPE_CLOSED.has(err.code ?? '')) throw err;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Commands load lazily: listing trials should not pay for importing TensorFlow.js.
    case 'train':
      return (await import('./commands')).trainCommand(rest);
    case 'trials':
      return (await import('./inspect')).trialsCommand(rest);
    case 'trial':
      return (await import('./inspect')).showCommand(rest);
    case 'search':
      return (await import('./studies')).searchCommand(rest);
    case 'resume':
      return (await import('./studies')).resumeCommand(rest);
    case 'refit':
      return (await import('./refit')).refitCommand(rest);
    case 'studies':
      return (await import('./studies')).studiesCommand(rest);
    case 'show':
      return (await import('./studies')).showStudyCommand(rest);
    case 'tradeoff':
      return (await import('./studies')).tradeoffCommand(rest);
    case 'export':
      return (await import('./bundle')).exportCommand(rest);
    case 'encode':
      return (await import('./bundle')).encodeCommand(rest);
    case 'report':
      return (await import('./bundle')).reportCommand(rest);
    case 'db':
      return (await import('./db')).dbCommand(rest);
    case 'serve':
      return (await import('./serve')).serveCommand(rest);
    case 'worker':
      return (await import('./worker')).workerCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(MAIN_HELP);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}". Commands: train, trials, trial, export, encode, report, search, resume, refit, worker, studies, show, tradeoff, db, serve (see latent-lab --help).`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // serve keeps running until a signal; every other command ends here.
    if (code !== -1) process.exit(code);
  },
  (err: unknown) => {
    const line = (code: number, message: string): never => {
      process.stderr.write(`latent-lab: ${message.replace(/\n/g, ' | ')}\n`);
      process.exit(code);
    };
    if (err instanceof UsageError || err instanceof DatasetError) line(EXIT.usage, err.message);
    // DB_*: the database cannot be used; STUDY_EXISTS, TRIAL_NOT_FOUND, BACKUP_*: a wrong name or file given.
    if (err instanceof StorageError) line(err.code.startsWith('DB_') ? EXIT.database : EXIT.usage, err.message);
    if (err instanceof ArtifactError) line(EXIT.failed, err.message);
    process.stderr.write(`latent-lab: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
