// The model & training form keeps what the user typed (strings) and validates it with the contract's own
// zod schema, so the form and the engine agree on every limit.
import { AutoencoderParams as AutoencoderParamsSchema } from '../../shared/schemas';
import { DEFAULT_PARAMS, type Activation, type Channels, type AutoencoderParams, type OptimizerName, type OutputActivation } from '../../shared/dto';
import { isParamActive } from '../../shared/activeParams';
import { configurationProblems, type Architecture } from '../../shared/study/autoencoder';
import { formatHiddenUnits, parseHiddenUnits } from './hiddenUnits';

/** Numeric fields hold what the input holds: Vue's v-model on type="number" yields a number, or '' when empty. */
type NumericInput = string | number;

/** Every field of a trial's configuration but the dataset's (image size, channels), as the form holds it. */
export interface ParamsForm {
  architecture: Architecture;
  latentSize: NumericInput;
  hiddenUnits: string;
  filters: string;
  kernelSize: NumericInput;
  activation: Activation;
  outputActivation: OutputActivation;
  batchNorm: boolean;
  noiseType: AutoencoderParams['noiseType'];
  noiseLevel: NumericInput;
  convNoise: NumericInput;
  l1: NumericInput;
  klBeta: NumericInput;
  dropout: NumericInput;
  codeDropout: NumericInput;
  weightDecay: NumericInput;
  loss: AutoencoderParams['loss'];
  optimizer: OptimizerName;
  learningRate: NumericInput;
  momentum: NumericInput;
  nesterov: boolean;
  batchSize: NumericInput;
  epochs: NumericInput;
  earlyStoppingPatience: NumericInput;
  earlyStoppingMinDelta: NumericInput;
  restoreBestWeights: boolean;
  valFraction: NumericInput;
  seed: NumericInput;
}

export type ParamsField = keyof AutoencoderParams;
export type ParamsErrors = Partial<Record<ParamsField, string>>;

export interface ParamsValidation {
  params: AutoencoderParams | null;
  errors: ParamsErrors;
}

/** A schema issue, as much as the form needs to word it. */
export interface FormIssue {
  code: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: unknown;
  expected?: unknown;
}

/** The words of the form's errors; English by default, the store passes translated ones. */
export interface FormMessages {
  required: string;
  bceNeedsSigmoid: string;
  latentTooLarge: (max: number) => string;
  enterNumber: string;
  layer: (n: number, message: string) => string;
  notWholeNumber: (part: string) => string;
  issue: (issue: FormIssue) => string;
}

export const DEFAULT_FORM_MESSAGES: FormMessages = {
  required: 'Required.',
  bceNeedsSigmoid: 'Binary cross-entropy needs the sigmoid output; choose mean squared error for a linear output.',
  latentTooLarge: (max) => `Larger than the input (${max} values per image); a bottleneck must be smaller than what it encodes.`,
  enterNumber: 'Enter a number.',
  layer: (n, message) => `Layer ${n}: ${message}`,
  notWholeNumber: (part) => `"${part}" is not a whole number. Write layer widths like "256, 64".`,
  issue: (issue) => issue.message,
};

export { ACTIVATIONS, OUTPUT_ACTIVATIONS, OPTIMIZERS } from '../../shared/study/autoencoder';

export function formFromParams(p: AutoencoderParams): ParamsForm {
  const text = (key: (typeof NUMERIC_FIELDS)[number]): string => String(p[key]);
  return {
    architecture: p.architecture,
    latentSize: text('latentSize'),
    hiddenUnits: formatHiddenUnits(p.hiddenUnits),
    filters: formatHiddenUnits(p.filters),
    kernelSize: text('kernelSize'),
    activation: p.activation,
    outputActivation: p.outputActivation,
    batchNorm: p.batchNorm,
    noiseType: p.noiseType,
    noiseLevel: text('noiseLevel'),
    convNoise: text('convNoise'),
    l1: text('l1'),
    klBeta: text('klBeta'),
    dropout: text('dropout'),
    codeDropout: text('codeDropout'),
    weightDecay: text('weightDecay'),
    loss: p.loss,
    optimizer: p.optimizer,
    learningRate: text('learningRate'),
    momentum: text('momentum'),
    nesterov: p.nesterov,
    batchSize: text('batchSize'),
    epochs: text('epochs'),
    earlyStoppingPatience: text('earlyStoppingPatience'),
    earlyStoppingMinDelta: text('earlyStoppingMinDelta'),
    restoreBestWeights: p.restoreBestWeights,
    valFraction: text('valFraction'),
    seed: text('seed'),
  };
}

function toNumber(input: NumericInput, m: FormMessages): number | string {
  if (typeof input === 'number') return Number.isFinite(input) ? input : m.enterNumber;
  const t = input.trim();
  if (t === '') return m.required;
  const n = Number(t);
  return Number.isFinite(n) ? n : m.enterNumber;
}

const NUMERIC_FIELDS = [
  'latentSize',
  'kernelSize',
  'noiseLevel',
  'convNoise',
  'l1',
  'klBeta',
  'dropout',
  'codeDropout',
  'weightDecay',
  'learningRate',
  'momentum',
  'batchSize',
  'epochs',
  'earlyStoppingPatience',
  'earlyStoppingMinDelta',
  'valFraction',
  'seed',
] as const satisfies ReadonlyArray<keyof ParamsForm & keyof AutoencoderParams>;
const CHOICE_FIELDS = ['architecture', 'activation', 'outputActivation', 'batchNorm', 'noiseType', 'loss', 'optimizer', 'nesterov', 'restoreBestWeights'] as const;
const LIST_FIELDS = ['hiddenUnits', 'filters'] as const;

/**
 * Whether the form's architecture and optimizer read a field (shared/activeParams, as the trial detail shows
 * it). Fields they do not read are hidden, not validated, and stored at DEFAULT_PARAMS: a value typed for
 * another architecture must not block this one.
 */
export function isFormFieldActive(form: ParamsForm, key: keyof ParamsForm): boolean {
  const patience = Number(form.earlyStoppingPatience);
  // An unreadable patience keeps its dependent fields shown, next to its own error.
  const switches = { architecture: form.architecture, optimizer: form.optimizer, earlyStoppingPatience: Number.isFinite(patience) ? patience : 1 };
  return isParamActive(key, switches);
}

/** Validates the form; `params` is set only when every field is valid. */
export function validateParamsForm(
  form: ParamsForm,
  data: { imageSize: number; channels: Channels },
  messages: FormMessages = DEFAULT_FORM_MESSAGES,
): ParamsValidation {
  const errors: ParamsErrors = {};
  const active = (key: keyof ParamsForm): boolean => isFormFieldActive(form, key);
  // Fields the model does not read keep the contract's defaults (the trial detail shows only those it reads).
  const candidate: Record<string, unknown> = { ...DEFAULT_PARAMS, imageSize: data.imageSize, channels: data.channels };
  for (const field of CHOICE_FIELDS) if (active(field)) candidate[field] = form[field];
  for (const field of NUMERIC_FIELDS) {
    if (!active(field)) continue;
    const n = toNumber(form[field], messages);
    if (typeof n === 'string') errors[field] = n;
    candidate[field] = n;
  }
  for (const field of LIST_FIELDS) {
    if (!active(field)) continue;
    const list = parseHiddenUnits(form[field], messages.notWholeNumber);
    if (!list.ok) errors[field] = list.message;
    else if (field === 'filters' && list.value.length === 0) errors[field] = messages.required;
    else candidate[field] = list.value;
  }
  const result = AutoencoderParamsSchema.safeParse(candidate);
  if (result.success) {
    // The configuration as a whole (shared with the engine, CLI and studies), in the form's words.
    for (const p of configurationProblems(result.data)) {
      errors[p.field] ??= p.field === 'loss' ? messages.bceNeedsSigmoid : messages.latentTooLarge(data.imageSize * data.imageSize * data.channels);
    }
    if (Object.keys(errors).length === 0) return { params: result.data, errors };
  }
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0] as ParamsField | undefined;
      if (!field || errors[field]) continue;
      const text = messages.issue(issue as FormIssue);
      const listed = (field === 'hiddenUnits' || field === 'filters') && typeof issue.path[1] === 'number';
      errors[field] = listed ? messages.layer((issue.path[1] as number) + 1, text) : text;
    }
  }
  return { params: null, errors };
}
