// The wizard's rows for the autoencoder hyperparameters: names (= AutoencoderParams keys), kinds, schema bounds,
// which architecture or optimizer they belong to, and the defaults a new study starts from. Option lists,
// metrics and the spec itself come from src/shared (the types the engine parses).
import { DEFAULT_PARAMS } from '../../../shared/dto';
import type { ActivationName, Architecture, OutputActivationName } from '../../../shared/study/autoencoder';
import { DOWNSTREAM_METRICS, ReconLossName, type DownstreamMetricName } from '../../../shared/study/objectives';
import type { ClassifierInput } from '../../../shared/study/probes';
import type { PrunerConfigInput } from '../../../shared/study/prunerConfig';

export type ParamKind = 'int' | 'float' | 'enum' | 'bool' | 'intList';
export type RowMode = 'fixed' | 'choices' | 'range';
export type ParamGroup = 'model' | 'optimization' | 'architecture';

/** The hyperparameters edited as rows on the search-space step, in spec order (parents before children). */
export const SPACE_PARAMS = [
  'latentSize',
  'loss',
  'dropout',
  'codeDropout',
  'batchNorm',
  'weightDecay',
  'optimizer',
  'learningRate',
  'momentum',
  'nesterov',
  'batchSize',
  'epochs',
  'noiseType',
  'noiseLevel',
  'l1',
  'klBeta',
  'filters',
  'kernelSize',
  'convNoise',
] as const;
export type SpaceParamName = (typeof SPACE_PARAMS)[number];

/** What one row holds, as typed (text inputs stay text until the spec is built). */
export interface ParamRow {
  mode: RowMode;
  /** fixed value: a number, an option id, 'true'/'false', or a list "16, 32" */
  fixed: string;
  /** numeric choices "8, 16, 32", or lists separated by ";" ("16, 32; 32, 64") */
  choices: string;
  /** enum / bool choices */
  picked: string[];
  low: string;
  high: string;
  log: boolean;
  /** empty = continuous (floats) or every integer (ints) */
  step: string;
}

export interface ParamDef {
  name: SpaceParamName;
  kind: ParamKind;
  group: ParamGroup;
  options?: readonly string[];
  /** inclusive schema bounds of a number (of each entry for lists) */
  min?: number;
  max?: number;
  /** min > 0 rather than >= 0 */
  exclusiveMin?: boolean;
  /** most entries of a list */
  maxLength?: number;
  /** the row exists only when one of these architectures is in the study */
  architectures?: readonly Architecture[];
  /** the row exists only when the optimizer can take one of these values */
  optimizers?: readonly string[];
  /** the row exists only when the output activation can take one of these values */
  outputs?: readonly string[];
  initial: ParamRow;
}

function row(mode: RowMode, init: Partial<ParamRow>): ParamRow {
  return { mode, fixed: '', choices: '', picked: [], low: '', high: '', log: false, step: '', ...init };
}

export const PARAM_DEFS: Record<SpaceParamName, ParamDef> = {
  latentSize: { name: 'latentSize', kind: 'int', group: 'model', min: 1, max: 1024, initial: row('choices', { fixed: '16', choices: '8, 16, 32', low: '2', high: '128', log: true }) },
  loss: { name: 'loss', kind: 'enum', group: 'model', options: ['mse', 'bce'], outputs: ['sigmoid'], initial: row('fixed', { fixed: 'mse', picked: ['mse', 'bce'] }) },
  dropout: { name: 'dropout', kind: 'float', group: 'model', min: 0, max: 0.9, initial: row('fixed', { fixed: '0', choices: '0, 0.1, 0.2', low: '0', high: '0.5', step: '0.05' }) },
  codeDropout: { name: 'codeDropout', kind: 'float', group: 'model', min: 0, max: 0.9, initial: row('fixed', { fixed: '0', choices: '0, 0.1, 0.2', low: '0', high: '0.3', step: '0.05' }) },
  batchNorm: { name: 'batchNorm', kind: 'bool', group: 'model', initial: row('fixed', { fixed: 'false', picked: ['false', 'true'] }) },
  weightDecay: { name: 'weightDecay', kind: 'float', group: 'model', min: 0, max: 1, initial: row('fixed', { fixed: '0', choices: '0, 0.0001', low: '0.000001', high: '0.01', log: true }) },
  optimizer: { name: 'optimizer', kind: 'enum', group: 'optimization', options: ['adam', 'rmsprop', 'adagrad', 'sgd'], initial: row('fixed', { fixed: 'adam', picked: ['adam', 'rmsprop'] }) },
  learningRate: { name: 'learningRate', kind: 'float', group: 'optimization', min: 0, max: 10, exclusiveMin: true, initial: row('range', { fixed: '0.001', choices: '0.01, 0.001', low: '0.0001', high: '0.01', log: true }) },
  momentum: { name: 'momentum', kind: 'float', group: 'optimization', min: 0, max: 0.999, optimizers: ['sgd'], initial: row('range', { fixed: '0.9', choices: '0.8, 0.9, 0.99', low: '0.5', high: '0.99' }) },
  nesterov: { name: 'nesterov', kind: 'bool', group: 'optimization', optimizers: ['sgd'], initial: row('fixed', { fixed: 'false', picked: ['false', 'true'] }) },
  batchSize: { name: 'batchSize', kind: 'int', group: 'optimization', min: 1, max: 8192, initial: row('fixed', { fixed: '64', choices: '32, 64, 128, 256', low: '32', high: '256', log: true }) },
  epochs: { name: 'epochs', kind: 'int', group: 'optimization', min: 1, max: 10000, initial: row('fixed', { fixed: '10', choices: '5, 10, 20', low: '5', high: '30', step: '5' }) },
  noiseType: { name: 'noiseType', kind: 'enum', group: 'architecture', options: ['gaussian', 'masking'], architectures: ['denoising'], initial: row('fixed', { fixed: 'gaussian', picked: ['gaussian', 'masking'] }) },
  noiseLevel: { name: 'noiseLevel', kind: 'float', group: 'architecture', min: 0, max: 1, architectures: ['denoising'], initial: row('range', { fixed: '0.2', choices: '0.1, 0.2, 0.3', low: '0.05', high: '0.5' }) },
  l1: { name: 'l1', kind: 'float', group: 'architecture', min: 0, max: 1, architectures: ['sparse'], initial: row('range', { fixed: '0.0001', choices: '0.00001, 0.0001, 0.001', low: '0.000001', high: '0.01', log: true }) },
  klBeta: { name: 'klBeta', kind: 'float', group: 'architecture', min: 0, max: 100, architectures: ['variational'], initial: row('range', { fixed: '1', choices: '0.5, 1, 2', low: '0.25', high: '4', log: true }) },
  filters: { name: 'filters', kind: 'intList', group: 'architecture', min: 1, max: 512, maxLength: 5, architectures: ['conv'], initial: row('choices', { fixed: '16, 32', choices: '16, 32; 32, 64; 16, 32, 64' }) },
  kernelSize: { name: 'kernelSize', kind: 'int', group: 'architecture', min: 1, max: 9, architectures: ['conv'], initial: row('choices', { fixed: '3', choices: '3, 5', low: '3', high: '5', step: '2' }) },
  convNoise: { name: 'convNoise', kind: 'float', group: 'architecture', min: 0, max: 1, architectures: ['conv'], initial: row('fixed', { fixed: '0', choices: '0, 0.1, 0.2, 0.3', low: '0', high: '0.3' }) },
};

/** Range mode exists for numbers only; lists, options and switches are fixed or choices. */
export function modesOf(def: ParamDef): RowMode[] {
  return def.kind === 'int' || def.kind === 'float' ? ['fixed', 'choices', 'range'] : ['fixed', 'choices'];
}

/** The engine's own default of every hyperparameter (what a trial gets when the spec leaves it out). */
export const ENGINE_DEFAULTS = DEFAULT_PARAMS;

/** Defaults of the architecture step. */
export const ARCHITECTURE_DEFAULTS = {
  architectures: ['dense'] as Architecture[],
  hiddenStacks: ['256, 64', '128'],
  activations: ['relu'] as ActivationName[],
  outputActivations: ['sigmoid'] as OutputActivationName[],
  generator: { depths: [1, 2], widths: '128, 256', shrink: '0.5' },
};

/**
 * Encoder widths from a depth and a first width, each layer `shrink` times the previous one (rounded, at
 * least 4, as the engine's deriveHiddenUnits): depth 3, width 256, shrink 0.5 -> [256, 128, 64].
 */
export function stackFrom(depth: number, width: number, shrink: number): number[] {
  return Array.from({ length: depth }, (_, i) => Math.max(4, Math.round(width * shrink ** i)));
}

/** Every depth x first-width combination, without duplicates. */
export function generateStacks(depths: readonly number[], widths: readonly number[], shrink: number): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const d of [...depths].sort((a, b) => a - b)) {
    for (const w of [...widths].sort((a, b) => b - a)) {
      const s = stackFrom(d, w, shrink);
      const key = s.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        out.push(s);
      }
    }
  }
  return out;
}

/** What the parents of conditional rows can take in the study being described. */
export interface RowContext {
  architectures: readonly string[];
  optimizers: readonly string[];
  outputs: readonly string[];
}

/** Whether a row takes part in the study (noise only with denoising, momentum only with SGD, BCE only with sigmoid...). */
export function rowApplies(def: ParamDef, ctx: RowContext): boolean {
  if (def.architectures && !def.architectures.some((a) => ctx.architectures.includes(a))) return false;
  if (def.optimizers && !def.optimizers.some((o) => ctx.optimizers.includes(o))) return false;
  if (def.outputs && !def.outputs.some((o) => ctx.outputs.includes(o))) return false;
  return true;
}

export const SAMPLERS = ['manual', 'grid', 'random', 'tpe', 'gp'] as const;
export type SamplerChoice = (typeof SAMPLERS)[number];
export const PRUNERS = ['nop', 'median', 'successiveHalving', 'hyperband'] as const satisfies readonly PrunerConfigInput['type'][];
export type PrunerChoice = (typeof PRUNERS)[number];

/** What step 4 offers (the objectives themselves: src/shared/study/objectives.ts). */
export const OBJECTIVE_KINDS = ['reconstruction', 'downstream', 'weighted', 'multi'] as const;
export type ObjectiveKind = (typeof OBJECTIVE_KINDS)[number];
export const RECON_LOSSES = ReconLossName.options;
export type ReconLoss = (typeof RECON_LOSSES)[number];
export type DownstreamMetric = DownstreamMetricName;
/** What a multi-objective study can combine: the reconstruction error and any downstream metric. */
export const MULTI_OBJECTIVES = ['val_recon', ...DOWNSTREAM_METRICS] as const;
export type MultiObjectiveName = (typeof MULTI_OBJECTIVES)[number];
/** The classifier probes trained on the codes (ClassifierSpec); regression targets use ridge automatically. */
export const PROBES = ['logistic', 'knn'] as const satisfies readonly ClassifierInput['kind'][];
export type ProbeKind = (typeof PROBES)[number];
