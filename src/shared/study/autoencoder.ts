// The autoencoder's hyperparameters as a search space sees them: which names a space may use, the values
// each can take (the trial schema, AutoencoderParams), and the check of a study's search space against
// them, so a typo or an impossible value is refused before a study exists instead of failing every trial.
import { z } from 'zod';
import { closestName } from '../didYouMean';
import { humanErrorMap } from '../issueLines';
import type { AutoencoderParams } from '../dto';
import type { JsonValue } from '../json';
import * as S from '../schemas';
import type { ParamSpec } from './searchSpace';
import { parseStudySpec, type ParsedSpec, type StudySpec } from './spec';

export const ARCHITECTURES = S.Architecture.options;
export type Architecture = (typeof ARCHITECTURES)[number];
export const ACTIVATIONS = S.Activation.options;
export type ActivationName = (typeof ACTIVATIONS)[number];
export const OUTPUT_ACTIVATIONS = S.OutputActivation.options;
export type OutputActivationName = (typeof OUTPUT_ACTIVATIONS)[number];
export const OPTIMIZERS = S.OptimizerName.options;
export const NOISE_TYPES = S.NoiseType.options;
export const LOSSES = S.LossName.options;

/** Trial fields set by the dataset and the study (dataset.imageSize, dataset.channels, ...), never searched. */
export const BASE_KEYS = ['imageSize', 'channels', 'valFraction', 'seed'] as const;

/** Encoder widths as depth x first width x shrink, for spaces that do not list hiddenUnits themselves. */
export const DERIVED_PARAMS = {
  depth: z.number().int().min(0).max(8),
  width: z.number().min(1).max(8192),
  shrink: z.number().gt(0).max(1),
} as const;

const isBaseKey = (name: string): boolean => (BASE_KEYS as readonly string[]).includes(name);

/** Every name a search space may use, with the schema of one value. */
export const SEARCHABLE_PARAMS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ...Object.entries(S.AutoencoderParams.shape).filter(([name]) => !isBaseKey(name)),
  ...Object.entries(DERIVED_PARAMS),
]);

/** The number schema under defaults, or null when the field is not a number (an enum, a list, a switch). */
function numberSchema(schema: z.ZodType): z.ZodNumber | null {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodPrefault) s = s.def.innerType as z.ZodType;
  return s instanceof z.ZodNumber ? s : null;
}

const show = (v: JsonValue): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** Why one value is not allowed for a parameter, or null (also `latent-lab train --set`'s wording). */
export function valueProblem(schema: z.ZodType, v: JsonValue): string | null {
  const r = schema.safeParse(v, { error: humanErrorMap });
  if (r.success) return null;
  const message = r.error.issues[0]?.message ?? 'not allowed';
  // humanErrorMap already quotes the value for options ("relux" is not allowed; did you mean "relu"?).
  return message.startsWith(show(v)) ? message : `${show(v)} is not allowed: ${message}`;
}

/** A whole configuration as this version reads it, or the first field it cannot read and why. */
export type ReadParams = { ok: true; params: AutoencoderParams } | { ok: false; field: string; message: string };

/**
 * Parses a whole trial configuration (typed, or stored by this or another version of the app), wording the
 * first problem as valueProblem does for one value: `latent-lab train` and the trial list say the same.
 */
export function readParams(raw: Readonly<Record<string, unknown>>): ReadParams {
  // A name this version does not have (a newer version's setting) would be dropped by the schema: the model
  // read back would silently lack it.
  const unknown = Object.keys(raw).find((k) => !Object.hasOwn(S.AutoencoderParams.shape, k));
  if (unknown !== undefined) return { ok: false, field: unknown, message: 'a parameter this version of Latent Lab does not have' };
  const parsed = S.AutoencoderParams.safeParse(raw, { error: humanErrorMap });
  if (parsed.success) return { ok: true, params: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const schema = Object.hasOwn(S.AutoencoderParams.shape, field) ? S.AutoencoderParams.shape[field as keyof AutoencoderParams] : null;
  const problem = schema && raw[field] !== undefined ? valueProblem(schema, raw[field] as JsonValue) : null;
  return { ok: false, field, message: problem ?? issue?.message ?? 'not a configuration' };
}

/** The values of a param that decide whether it is possible: each choice, the fixed value, or a range's ends. */
function valuesToCheck(p: ParamSpec): Array<{ where: string; value: JsonValue }> {
  switch (p.type) {
    case 'fixed':
      return [{ where: 'value', value: p.value }];
    case 'categorical':
      return p.choices.map((value, i) => ({ where: `choice ${i + 1}`, value }));
    default:
      return [
        { where: 'low', value: p.low },
        { where: 'high', value: p.high },
      ];
  }
}

/** Why a name cannot be a search-space parameter (said after the name), or null. */
function nameProblem(name: string): string | null {
  if (SEARCHABLE_PARAMS.has(name)) return null;
  if (isBaseKey(name)) {
    return `comes from the ${name === 'seed' ? "spec's seed" : `dataset (dataset.${name})`}, not from the search space; remove it from the space.`;
  }
  const hit = closestName(name, SEARCHABLE_PARAMS.keys());
  return `unknown parameter; ${hit ? `did you mean "${hit}"?` : `an autoencoder trial takes ${[...SEARCHABLE_PARAMS.keys()].join(', ')}.`}`;
}

/** The input an autoencoder sees: values per image, and as the user reads it ("28x28 = 784 values"). */
function inputSize(imageSize: number, channels: number): { size: number; text: string } {
  const size = imageSize * imageSize * channels;
  return { size, text: `${imageSize}x${imageSize}${channels === 3 ? 'x3' : ''} = ${size} values` };
}

/** Why a latent size cannot encode images of this size (said after the parameter), or null. */
export function latentSizeProblem(latentSize: number, imageSize: number, channels: number): string | null {
  const input = inputSize(imageSize, channels);
  if (latentSize <= input.size) return null;
  return `${latentSize} is larger than the input (${input.text}); a bottleneck must be smaller than what it encodes, use at most ${input.size}.`;
}

/** The one pairing of allowed values the engine cannot build (model/assemble.ts refuses it too). */
export const BCE_NEEDS_SIGMOID = "binary cross-entropy (loss bce) needs outputActivation sigmoid, outputs in (0, 1); use loss mse for a linear output.";

/**
 * What a whole trial configuration gets wrong that no single value shows: a code larger than the input, a
 * loss its output cannot give. Checked before a manual trial is stored (app, CLI) as a study's space is.
 */
export function configurationProblems(p: AutoencoderParams): Array<{ field: 'latentSize' | 'loss'; message: string }> {
  const out: Array<{ field: 'latentSize' | 'loss'; message: string }> = [];
  const latent = latentSizeProblem(p.latentSize, p.imageSize, p.channels);
  if (latent) out.push({ field: 'latentSize', message: latent });
  if (p.loss === 'bce' && p.outputActivation !== 'sigmoid') out.push({ field: 'loss', message: BCE_NEEDS_SIGMOID });
  return out;
}

function paramProblems(p: ParamSpec, spec: StudySpec): string[] {
  const who = `"${p.name}"`;
  const named = nameProblem(p.name);
  const schema = SEARCHABLE_PARAMS.get(p.name);
  if (named || !schema) return [`${who}: ${named}`];
  if (p.type === 'int' || p.type === 'float') {
    const num = numberSchema(schema);
    if (!num) return [`${who}: ${p.type === 'int' ? 'an int' : 'a float'} range cannot describe it; give its choices (categorical) or one value (fixed).`];
    if (p.type === 'float' && num.isInt && p.step === undefined) {
      return [`${who}: it takes whole numbers; use "type": "int" (or a float range with an integer step).`];
    }
  }
  const problems: string[] = [];
  const { imageSize, channels } = spec.dataset;
  for (const { where, value } of valuesToCheck(p)) {
    const latent = p.name === 'latentSize' && typeof value === 'number' ? latentSizeProblem(value, imageSize, channels) : null;
    if (latent) {
      problems.push(`${who} (${where}): ${latent}`);
      continue;
    }
    const problem = valueProblem(schema, value);
    if (problem) problems.push(`${who} (${where}): ${problem}`);
  }
  return problems;
}

/**
 * Checks a parsed spec's search space and enqueued configurations against the autoencoder's own parameters:
 * known names (with the closest one for a typo), values each parameter can take, a latent size no larger
 * than the input. One line per problem; empty when the spec can train.
 */
/**
 * A space that can draw loss bce with a non-sigmoid output: each such trial would fail when its model is built.
 * A condition on loss that allows it only with a sigmoid output (the templates' way) is the fix.
 */
function bceMeetsNonSigmoid(spec: StudySpec): string | null {
  const byName = new Map(spec.searchSpace.params.map((p) => [p.name, p]));
  const drawable = (name: 'loss' | 'outputActivation', absent: JsonValue): readonly JsonValue[] => {
    const p = byName.get(name);
    if (!p) return [absent];
    return p.type === 'fixed' ? [p.value] : p.type === 'categorical' ? p.choices : [];
  };
  if (!drawable('loss', 'mse').includes('bce')) return null;
  const condition = byName.get('loss')?.condition;
  if (condition?.parent === 'outputActivation' && condition.values.every((v) => v === 'sigmoid')) return null;
  const others = drawable('outputActivation', 'sigmoid').filter((v) => v !== 'sigmoid');
  if (others.length === 0) return null;
  return `"loss": bce can be drawn with outputActivation ${others.map((v) => show(v)).join(', ')}, and ${BCE_NEEDS_SIGMOID} Give "loss" the condition {"parent": "outputActivation", "values": ["sigmoid"]}, or leave bce out.`;
}

export function checkAutoencoderSpec(spec: StudySpec): string[] {
  const errors = spec.searchSpace.params.flatMap((p) => paramProblems(p, spec));
  const bce = bceMeetsNonSigmoid(spec);
  if (bce) errors.push(bce);
  spec.enqueue.forEach((config, i) => {
    for (const [name, value] of Object.entries(config)) {
      const named = nameProblem(name);
      const schema = SEARCHABLE_PARAMS.get(name);
      const problem = named ?? (schema ? valueProblem(schema, value) : null);
      if (problem) errors.push(`enqueue.${i} "${name}": ${problem}`);
    }
    if (config.loss === 'bce' && config.outputActivation !== undefined && config.outputActivation !== 'sigmoid') errors.push(`enqueue.${i}: ${BCE_NEEDS_SIGMOID}`);
  });
  return errors;
}

/** parseStudySpec plus the autoencoder's own parameters: what a study the app or CLI trains must pass. */
export function parseAutoencoderStudySpec(raw: unknown): ParsedSpec {
  return parseStudySpec(raw, checkAutoencoderSpec);
}
