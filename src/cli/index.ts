// Headless entry: `latent-lab <command>`. User mistakes print one line and exit 2.
import { StorageError } from '../core/storage/types';
import { DatasetError } from '../core/data/types';
import { UsageError } from './args';
import { MAIN_HELP } from './help';

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
    case 'serve':
      return (await import('./serve')).serveCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(MAIN_HELP);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}". Commands: train, trials, trial, export, encode, report, search, resume, studies, show, tradeoff, serve (see latent-lab --help).`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // serve keeps running until a signal; every other command ends here.
    if (code !== -1) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof DatasetError) {
      process.stderr.write(`latent-lab: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof StorageError) {
      process.stderr.write(`latent-lab: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`latent-lab: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
