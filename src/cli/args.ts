// Flag parsing for `latent-lab train`: every flag maps onto one AutoencoderParams field, validated by the same
// zod schema the UI uses, so the CLI and the app accept exactly the same configurations.
import { parseArgs } from 'node:util';
import { AutoencoderParams } from '../shared/schemas';
import { DEFAULT_PARAMS, type AutoencoderParams as Params } from '../shared/dto';

export class UsageError extends Error {}

export const trainFlags = {
  data: { type: 'string' },
  sample: { type: 'boolean' },
  latent: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  'output-activation': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'batch-size': { type: 'string' },
  epochs: { type: 'string' },
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

function num(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${flag} expects a number, got "${raw}".`);
  return v;
}

export function parseHidden(raw: string): number[] {
  if (raw.trim() === '' || raw.trim() === 'none') return [];
  return raw.split(',').map((s) => {
    const v = Number(s.trim());
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`--hidden expects comma-separated positive widths like 256,64; "${s.trim()}" is not one.`);
    return v;
  });
}

export interface TrainArgs {
  dataPath: string | null;
  useSample: boolean;
  params: Params;
  exportDir: string | null;
  dbPath: string | undefined;
  dataDir: string | undefined;
  backend: string | undefined;
  help: boolean;
}

export function parseTrainArgs(argv: string[]): TrainArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: trainFlags, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see latent-lab train --help)`);
  }
  if (values.help) {
    return { dataPath: null, useSample: false, params: DEFAULT_PARAMS, exportDir: null, dbPath: undefined, dataDir: undefined, backend: undefined, help: true };
  }
  if (!values.data && !values.sample) throw new UsageError('Give an image folder with --data <folder>, or --sample for the MNIST sample.');
  if (values.data && values.sample) throw new UsageError('Use either --data or --sample, not both.');
  if (values.backend && !['tensorflow', 'wasm', 'cpu'].includes(values.backend)) {
    throw new UsageError(`--backend must be tensorflow, wasm or cpu, got "${values.backend}".`);
  }
  const d = DEFAULT_PARAMS;
  const candidate = {
    latentSize: num('latent', values.latent, d.latentSize),
    hiddenUnits: values.hidden === undefined ? d.hiddenUnits : parseHidden(values.hidden),
    activation: values.activation ?? d.activation,
    outputActivation: values['output-activation'] ?? d.outputActivation,
    optimizer: values.optimizer ?? d.optimizer,
    learningRate: num('lr', values.lr, d.learningRate),
    batchSize: num('batch-size', values['batch-size'], d.batchSize),
    epochs: num('epochs', values.epochs, d.epochs),
    imageSize: num('image-size', values['image-size'], d.imageSize),
    channels: values.rgb ? 3 : 1,
    valFraction: num('val-fraction', values['val-fraction'], d.valFraction),
    seed: num('seed', values.seed, d.seed),
  };
  const parsed = AutoencoderParams.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const flag = FIELD_TO_FLAG[field] ?? field;
    throw new UsageError(`--${flag}: ${issue.message}`);
  }
  return {
    dataPath: values.data ?? null,
    useSample: Boolean(values.sample),
    params: parsed.data,
    exportDir: values.export ?? null,
    dbPath: values.db,
    dataDir: values['data-dir'],
    backend: values.backend,
    help: false,
  };
}

const FIELD_TO_FLAG: Record<string, string> = {
  latentSize: 'latent',
  hiddenUnits: 'hidden',
  activation: 'activation',
  outputActivation: 'output-activation',
  optimizer: 'optimizer',
  learningRate: 'lr',
  batchSize: 'batch-size',
  epochs: 'epochs',
  imageSize: 'image-size',
  channels: 'rgb',
  valFraction: 'val-fraction',
  seed: 'seed',
};
