// `latent-lab worker`: this machine joins a study kept in a shared database (PostgreSQL) and trains its trials
// until the study's budget is used or its grid exhausted; any number of machines can do so at once. The
// database does the coordination: no worker talks to another.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ENV_NAMES } from '../core/config';
import { sharedArtifactCap, DEFAULT_SHARED_ARTIFACT_MB } from '../core/storage/artifacts';
import { Study } from '../core/study/study';
import { UsageError } from './args';
import { asStudyError, open, runStudy } from './studies';

export const WORKER_HELP = `latent-lab worker --storage postgresql://user@host/db --study <name> [--parallel N] [--data <folder>] [--data-dir <folder>]
                  [--artifact-cap <MB>]

Joins a study kept in a shared study database and trains its trials on this machine (with the best backend
it has) until the budget is used or the grid exhausted. Run it on as many machines as you like.

  --storage   the study database (a password is better kept in PGPASSWORD or ~/.pgpass than in the address)
  --study     the study's name (latent-lab studies --storage ... lists them)
  --parallel  trainer processes on this machine (default: the study's)
  --data      this machine's copy of the study's images, when not at the path the study names; it must be
              the same images (checked against the fingerprint recorded by the first worker)
  --data-dir  this machine's data folder for its caches and the trials' files (default as for every command)
  --artifact-cap  MB (compressed) of a finished trial's files the database keeps for the other machines
              (the app's dashboard and export read them from there; default ${DEFAULT_SHARED_ARTIFACT_MB}, env
              ${ENV_NAMES.sharedArtifactMb}). A trial over it stays COMPLETE, its files stay on this machine, and the
              worker says so.

Ctrl+C once: the running trials finish and no new one starts; twice: they stop now.
`;

export async function workerCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { storage: { type: 'string' }, study: { type: 'string' }, parallel: { type: 'string' }, data: { type: 'string' }, 'data-dir': { type: 'string' }, 'artifact-cap': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see latent-lab worker --help)`);
  }
  if (values.help) {
    process.stdout.write(WORKER_HELP);
    return 0;
  }
  if (!values.storage) throw new UsageError('Give the study database: latent-lab worker --storage postgresql://user@host/db --study <name>.');
  if (!values.study) throw new UsageError('Give the study to join: latent-lab worker --storage <url> --study <name> (latent-lab studies --storage <url> lists them).');
  const datasetPath = values.data ? path.resolve(values.data) : undefined;
  // Checked here, then handed to this machine's trainer processes through their environment.
  const cap = values['artifact-cap'];
  try {
    sharedArtifactCap(cap === undefined ? process.env : { [ENV_NAMES.sharedArtifactMb]: cap });
  } catch (err) {
    throw new UsageError(cap === undefined ? (err as Error).message : `--artifact-cap expects a size in MB (a positive number such as ${DEFAULT_SHARED_ARTIFACT_MB}), got "${cap}".`);
  }
  if (cap !== undefined) process.env[ENV_NAMES.sharedArtifactMb] = cap;
  const { storage, locations } = await open({ storage: values.storage, 'data-dir': values['data-dir'] });
  try {
    const study = await asStudyError(() => Study.load(storage, values.study as string, { datasetPath }));
    process.stdout.write(`Joining study "${study.record.name}" in ${storage.path} with the images at ${study.spec.dataset.path}\n`);
    return await runStudy(study, storage, locations, values.parallel, datasetPath);
  } finally {
    await storage.close();
  }
}
