// Flag parsing for `latent-lab train`. The hyperparameters (flags and --set) become one AutoencoderParams,
// checked by trainParams.ts with the zod schema the UI and studies use, so the CLI accepts exactly the same
// configurations.
import { parseArgs } from 'node:util';
import { DEFAULT_PARAMS, type AutoencoderParams as Params } from '../shared/dto';
import { FLAG_FIELDS, flagParam, parseSet, trainParams, type GivenParam, type ParamFlag } from './trainParams';
import { UsageError } from './usageError';

export { UsageError };

export const trainFlags = {
  data: { type: 'string' },
  sample: { type: 'boolean' },
  like: { type: 'string' },
  arch: { type: 'string' },
  latent: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  'output-activation': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'batch-size': { type: 'string' },
  epochs: { type: 'string' },
  set: { type: 'string', multiple: true },
  'image-size': { type: 'string' },
  rgb: { type: 'boolean' },
  'val-fraction': { type: 'string' },
  seed: { type: 'string' },
  export: { type: 'string' },
  db: { type: 'string' },
  'data-dir': { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const isParamFlag = (name: string): name is ParamFlag => Object.hasOwn(FLAG_FIELDS, name);

export interface TrainArgs {
  dataPath: string | null;
  useSample: boolean;
  /** --like: the stored trial whose settings (and images, unless --data/--sample) this one starts from. */
  likeTrial: number | null;
  /**
   * The hyperparameters as typed, on DEFAULT_PARAMS or on the --like trial's (read first): trainParams'
   * checks and one-line refusals. Called before anything else is read or loaded.
   */
  paramsOn: (base: Params) => Params;
  exportDir: string | null;
  dbPath: string | undefined;
  dataDir: string | undefined;
  backend: string | undefined;
  help: boolean;
}

export function parseTrainArgs(argv: string[]): TrainArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: trainFlags, strict: true, allowPositionals: false, tokens: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see latent-lab train --help)`);
  }
  const { values, tokens } = parsed;
  if (values.help) {
    return { dataPath: null, useSample: false, likeTrial: null, paramsOn: () => DEFAULT_PARAMS, exportDir: null, dbPath: undefined, dataDir: undefined, backend: undefined, help: true };
  }
  const likeTrial = values.like === undefined ? null : Number(values.like);
  if (likeTrial !== null && !(Number.isInteger(likeTrial) && likeTrial > 0)) throw new UsageError(`--like expects a trial id (see latent-lab trials), got "${values.like}".`);
  if (!values.data && !values.sample && likeTrial === null) {
    throw new UsageError('Give an image folder with --data <folder>, --sample for the MNIST sample, or --like <trial> for that trial\'s images.');
  }
  if (values.data && values.sample) throw new UsageError('Use either --data or --sample, not both.');
  if (values.backend && !['tensorflow', 'wasm', 'cpu'].includes(values.backend)) {
    throw new UsageError(`--backend must be tensorflow, wasm or cpu, got "${values.backend}".`);
  }
  // Every occurrence in the order typed (values keeps only the last): a flag given twice differently is refused.
  const given: GivenParam[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (t.name === 'set') given.push(parseSet(t.value ?? ''));
    else if (isParamFlag(t.name)) given.push(flagParam(t.name, t.value));
  }
  return {
    dataPath: values.data ?? null,
    useSample: Boolean(values.sample),
    likeTrial,
    paramsOn: (base) => trainParams(given, base),
    exportDir: values.export ?? null,
    dbPath: values.db,
    dataDir: values['data-dir'],
    backend: values.backend,
    help: false,
  };
}
