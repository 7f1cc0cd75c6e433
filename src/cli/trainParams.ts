// `latent-lab train`'s hyperparameters: what each flag and each `--set name=value` gives, checked as a
// study's parameters are (the trial schema, S.AutoencoderParams, in valueProblem's words), and refused when it
// is given twice differently or the chosen architecture or optimizer would not read it: nothing the user
// typed is silently ignored or overridden.
import { isParamActive } from '../shared/activeParams';
import { closestName } from '../shared/didYouMean';
import { DEFAULT_PARAMS, type AutoencoderParams as Params } from '../shared/dto';
import type { JsonValue } from '../shared/json';
import { ARCHITECTURES, BASE_KEYS, configurationProblems, DERIVED_PARAMS, OPTIMIZERS, readParams, SEARCHABLE_PARAMS } from '../shared/study/autoencoder';
import { UsageError } from './usageError';

type Field = keyof Params;

/** The flags that set one trial field each; every other field is given with --set. */
export const FLAG_FIELDS = {
  arch: 'architecture',
  latent: 'latentSize',
  hidden: 'hiddenUnits',
  activation: 'activation',
  'output-activation': 'outputActivation',
  optimizer: 'optimizer',
  lr: 'learningRate',
  'batch-size': 'batchSize',
  epochs: 'epochs',
  'image-size': 'imageSize',
  rgb: 'channels',
  'val-fraction': 'valFraction',
  seed: 'seed',
} as const satisfies Record<string, Field>;
export type ParamFlag = keyof typeof FLAG_FIELDS;

const isBaseKey = (name: string): boolean => (BASE_KEYS as readonly string[]).includes(name);
const flagOf = (field: string): string | undefined => Object.entries(FLAG_FIELDS).find(([, f]) => f === field)?.[0];

/** The names --set takes: a study's search-space names, less depth/width/shrink (a space's way to give hiddenUnits). */
export const SET_NAMES = [...SEARCHABLE_PARAMS.keys()].filter((n) => !Object.hasOwn(DERIVED_PARAMS, n)) as readonly Field[];

/** One value given for a trial field, and how the user wrote it (for messages). */
export interface GivenParam {
  field: Field;
  value: JsonValue;
  /** "--lr" or "--set learningRate": who to name in a message about this value. */
  via: string;
  /** As typed: "--lr 0.01", "--set learningRate=0.01". */
  typed: string;
}

function num(via: string, raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${via} expects a number, got "${raw}".`);
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

/** A list as `32,64` or `[32,64]` (empty: `[]`); the schema checks the numbers' range. */
function numberList(via: string, raw: string): number[] {
  const inner = raw.trim().replace(/^\[(.*)\]$/s, '$1').trim();
  if (inner === '') return [];
  return inner.split(',').map((s) => {
    const v = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${via} expects a list of numbers like 32,64 or [32,64], got "${raw}".`);
    return v;
  });
}

/** The text of a value as the field's type (the default's: every field has one); the schema judges it after. */
function typedValue(field: Field, via: string, raw: string): JsonValue {
  const d = DEFAULT_PARAMS[field];
  if (Array.isArray(d)) return numberList(via, raw);
  if (typeof d === 'number') return num(via, raw);
  if (typeof d === 'boolean') {
    if (raw.trim() === 'true' || raw.trim() === 'false') return raw.trim() === 'true';
    throw new UsageError(`${via} expects true or false, got "${raw}".`);
  }
  return raw.trim();
}

/** The value of one of train's own parameter flags (`raw` undefined for --rgb, which takes none). */
export function flagParam(flag: ParamFlag, raw: string | undefined): GivenParam {
  const field = FLAG_FIELDS[flag];
  const via = `--${flag}`;
  if (flag === 'rgb') return { field, value: 3, via, typed: via };
  const text = raw ?? '';
  const value = flag === 'hidden' ? parseHidden(text) : typedValue(field, via, text);
  return { field, value, via, typed: `${via} ${text}` };
}

/** Why `name` cannot be given with --set (said after "--set <name>: "), or null. */
function setNameProblem(name: string, text: string): string | null {
  if ((SET_NAMES as readonly string[]).includes(name)) return null;
  if (isBaseKey(name)) {
    const use = name === 'channels' ? '--rgb for 3 channels (1 without it)' : `--${flagOf(name)} ${text.trim()}`;
    return `${name} has its own flag: use ${use}.`;
  }
  if (Object.hasOwn(DERIVED_PARAMS, name)) return "depth, width and shrink are a search space's way to derive hiddenUnits; give the widths with --hidden (e.g. --hidden 128,64).";
  const hit = closestName(name, [...SET_NAMES, ...BASE_KEYS]);
  if (hit && isBaseKey(hit)) return `unknown parameter; did you mean ${hit}? It is given with --${flagOf(hit)}.`;
  return `unknown parameter; ${hit ? `did you mean "${hit}"?` : `--set takes ${SET_NAMES.join(', ')}.`}`;
}

/** One `--set name=value`: a known trial field and its value, typed by the field. */
export function parseSet(raw: string): GivenParam {
  const eq = raw.indexOf('=');
  const name = raw.slice(0, Math.max(eq, 0)).trim();
  if (eq < 0 || name === '') throw new UsageError(`--set expects name=value (e.g. --set filters=32,64), got "${raw}".`);
  const text = raw.slice(eq + 1);
  const problem = setNameProblem(name, text);
  if (problem) throw new UsageError(`--set ${name}: ${problem}`);
  const field = name as Field;
  const via = `--set ${name}`;
  return { field, value: typedValue(field, via, text), via, typed: `--set ${name}=${text.trim()}` };
}

const words = (xs: readonly string[]): string => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** What reading `field` takes that `p` lacks (said after the parameter), found by asking isParamActive. */
function whyUnread(field: Field, p: Params): string {
  const archs = ARCHITECTURES.filter((a) => isParamActive(field, { ...p, architecture: a }));
  if (archs.length > 0 && !archs.includes(p.architecture)) {
    const fix = archs.length === 1 ? `add --arch ${archs[0]}` : 'choose one of them with --arch';
    return `is read only by the ${words(archs)} architecture${archs.length > 1 ? 's' : ''}, not ${p.architecture}: ${fix}, or leave it out.`;
  }
  const optimizers = OPTIMIZERS.filter((o) => isParamActive(field, { ...p, optimizer: o }));
  if (optimizers.length > 0 && !optimizers.includes(p.optimizer)) {
    return `is read only by the ${words(optimizers)} optimizer, not ${p.optimizer}: add --optimizer ${optimizers[0]}, or leave it out.`;
  }
  if (isParamActive(field, { ...p, earlyStoppingPatience: 1 })) {
    return 'is read only with early stopping on: add --set earlyStoppingPatience=<epochs>, or leave it out.';
  }
  return 'is not read by this configuration; leave it out.';
}

const label = (g: GivenParam): string => (g.via.startsWith('--set') || g.via === `--${g.field}` ? g.via : `${g.via} (${g.field})`);

/**
 * The trial's params from what the user gave (flags and --set, in the order typed): defaults for the rest,
 * checked by the trial schema. Throws a one-line UsageError for a field given twice differently, a value the
 * schema refuses, or a parameter this architecture / optimizer does not read.
 */
export function trainParams(given: readonly GivenParam[], base: Params = DEFAULT_PARAMS): Params {
  const byField = new Map<Field, GivenParam>();
  for (const g of given) {
    const earlier = byField.get(g.field);
    if (earlier && JSON.stringify(earlier.value) !== JSON.stringify(g.value)) {
      throw new UsageError(`${g.field} is given twice with different values (${earlier.typed}, ${g.typed}): give it once.`);
    }
    byField.set(g.field, g);
  }
  const candidate: Record<string, unknown> = { ...base };
  for (const g of byField.values()) candidate[g.field] = g.value;
  const parsed = readParams(candidate);
  if (!parsed.ok) {
    const g = byField.get(parsed.field as Field);
    throw new UsageError(`${g ? label(g) : parsed.field}: ${parsed.message}`);
  }
  for (const g of byField.values()) {
    if (!isParamActive(g.field, parsed.params)) throw new UsageError(`${label(g)} ${whyUnread(g.field, parsed.params)}`);
  }
  const [problem] = configurationProblems(parsed.params);
  if (problem) {
    const g = byField.get(problem.field);
    throw new UsageError(`${g ? label(g) : problem.field}: ${problem.message}`);
  }
  return parsed.params;
}
