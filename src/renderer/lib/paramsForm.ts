// The model & training form keeps what the user typed (strings) and validates it with the contract's own
// zod schema, so the form and the engine agree on every limit.
import { AutoencoderParams as AutoencoderParamsSchema } from '../../shared/schemas';
import type { Activation, Channels, AutoencoderParams, OptimizerName, OutputActivation } from '../../shared/dto';
import { formatHiddenUnits, parseHiddenUnits } from './hiddenUnits';

/** Numeric fields hold what the input holds: Vue's v-model on type="number" yields a number, or '' when empty. */
type NumericInput = string | number;

export interface ParamsForm {
  latentSize: NumericInput;
  hiddenUnits: string;
  activation: Activation;
  outputActivation: OutputActivation;
  optimizer: OptimizerName;
  learningRate: NumericInput;
  batchSize: NumericInput;
  epochs: NumericInput;
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
  enterNumber: string;
  layer: (n: number, message: string) => string;
  notWholeNumber: (part: string) => string;
  issue: (issue: FormIssue) => string;
}

export const DEFAULT_FORM_MESSAGES: FormMessages = {
  required: 'Required.',
  enterNumber: 'Enter a number.',
  layer: (n, message) => `Layer ${n}: ${message}`,
  notWholeNumber: (part) => `"${part}" is not a whole number. Write layer widths like "256, 64".`,
  issue: (issue) => issue.message,
};

export { ACTIVATIONS, OUTPUT_ACTIVATIONS, OPTIMIZERS } from '../../shared/study/autoencoder';

export function formFromParams(p: AutoencoderParams): ParamsForm {
  return {
    latentSize: String(p.latentSize),
    hiddenUnits: formatHiddenUnits(p.hiddenUnits),
    activation: p.activation,
    outputActivation: p.outputActivation,
    optimizer: p.optimizer,
    learningRate: String(p.learningRate),
    batchSize: String(p.batchSize),
    epochs: String(p.epochs),
    valFraction: String(p.valFraction),
    seed: String(p.seed),
  };
}

function toNumber(input: NumericInput, m: FormMessages): number | string {
  if (typeof input === 'number') return Number.isFinite(input) ? input : m.enterNumber;
  const t = input.trim();
  if (t === '') return m.required;
  const n = Number(t);
  return Number.isFinite(n) ? n : m.enterNumber;
}

const NUMERIC_FIELDS = ['latentSize', 'learningRate', 'batchSize', 'epochs', 'valFraction', 'seed'] as const;

/** Validates the form; `params` is set only when every field is valid. */
export function validateParamsForm(
  form: ParamsForm,
  data: { imageSize: number; channels: Channels },
  messages: FormMessages = DEFAULT_FORM_MESSAGES,
): ParamsValidation {
  const errors: ParamsErrors = {};
  const candidate: Record<string, unknown> = {
    activation: form.activation,
    outputActivation: form.outputActivation,
    optimizer: form.optimizer,
    imageSize: data.imageSize,
    channels: data.channels,
  };
  for (const field of NUMERIC_FIELDS) {
    const n = toNumber(form[field], messages);
    if (typeof n === 'string') errors[field] = n;
    candidate[field] = n;
  }
  const hidden = parseHiddenUnits(form.hiddenUnits, messages.notWholeNumber);
  if (hidden.ok) candidate.hiddenUnits = hidden.value;
  else errors.hiddenUnits = hidden.message;

  const result = AutoencoderParamsSchema.safeParse(candidate);
  if (result.success && Object.keys(errors).length === 0) return { params: result.data, errors };
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0] as ParamsField | undefined;
      if (!field || errors[field]) continue;
      const text = messages.issue(issue as FormIssue);
      errors[field] = field === 'hiddenUnits' && typeof issue.path[1] === 'number' ? messages.layer(issue.path[1] + 1, text) : text;
    }
  }
  return { params: null, errors };
}
