// Built-in autoencoder search spaces. Conditions come for free: noise only for denoising, L1 only for sparse,
// KL beta only for variational, filters/kernel size only for conv, momentum/nesterov only for SGD, BCE only
// with a sigmoid output. Help texts follow the seed article's advice. paramsFromSample turns a sampler's
// proposal into the full AutoencoderParams a trial trains with.
import { DEFAULT_PARAMS, type AutoencoderParams as Params } from '../dto';
import { AutoencoderParams } from '../schemas';
import type { JsonValue } from '../json';
import type { ParamSpec, SearchSpace } from './searchSpace';
import type { StudySpec } from './spec';
import { ACTIVATIONS, ARCHITECTURES, BASE_KEYS, DERIVED_PARAMS, LOSSES, NOISE_TYPES, OPTIMIZERS, OUTPUT_ACTIVATIONS, type Architecture } from './autoencoder';
import { validateSpace } from './space';


const when = (parent: string, ...values: JsonValue[]) => ({ parent, values });

const HELP = {
  architecture:
    'Autoencoder type. Dense suits flat features; conv keeps the spatial structure of images; denoising, sparse ' +
    'and variational add a regulariser that shapes the code. Pick the ones that fit your data and task.',
  noiseType: 'Denoising only: how inputs are corrupted during training (gaussian noise, or masking pixels to zero).',
  noiseLevel: 'Denoising only: strength of the corruption (noise sd, or fraction of masked inputs). Training only.',
  l1: 'Sparse only: weight of the L1 penalty on the code activations. Larger gives sparser, more selective features.',
  klBeta: 'Variational only: weight of the KL term. Larger gives a smoother, more regular latent space but blurrier reconstructions.',
  filters: 'Conv only: filters of each strided Conv2D block, wide to deep.',
  kernelSize: 'Conv only: kernel size of the convolutions.',
  latentSize:
    'Bottleneck size: arguably the most influential setting for feature extraction. Reconstruction error usually ' +
    'keeps improving as it grows, while usefulness for a downstream task peaks and then falls; too large can learn ' +
    'the identity. Judge it on the downstream metric.',
  depth: 'Hidden layers in the encoder (the decoder mirrors them). Deeper can capture more complex structure but trains slower and overfits sooner.',
  width: 'Units in the first hidden layer; later layers shrink by "shrink" (minimum 4).',
  shrink: 'Each hidden layer has this fraction of the previous one\'s units (0.5 halves them).',
  hiddenUnits: 'Encoder layer widths, wide to narrow; the decoder mirrors them.',
  activation:
    'ReLU and its variants (leaky ReLU, ELU) are widely used because they counter vanishing gradients; ' +
    'sigmoid or tanh keep intermediate representations in a bounded range.',
  outputActivation:
    'Sigmoid for inputs normalised to [0, 1], such as grayscale pixel intensities; linear for unbounded continuous data.',
  loss: 'Reconstruction loss. Binary cross-entropy needs outputs in (0, 1), so it is offered only with a sigmoid output.',
  optimizer: 'Adam is a popular and usually efficient default; alternatives are RMSprop, Adagrad, or SGD with momentum.',
  momentum: 'SGD only: momentum term.',
  nesterov: 'SGD only: use Nesterov momentum.',
  learningRate: 'Step size of the optimizer; searched on a log scale because good values span orders of magnitude.',
  batchSize: 'Training samples per iteration. Smaller batches add noise to the gradient (can regularise) and take longer per epoch.',
  epochs:
    'Full passes over the training data. Too few underfit, too many overfit; early stopping on the validation set guards against the latter.',
  earlyStoppingPatience: 'Epochs without a better validation loss before training stops and the best weights are restored.',
  dropout: 'Fraction of hidden units dropped during training (regularisation).',
  weightDecay: 'L2 penalty on the weights (regularisation).',
  batchNorm: 'Batch normalisation after hidden layers: often faster, more stable training.',
  featureFilters:
    'Conv only: filters of each strided Conv2D block (with batch normalisation), wide to deep. More filters and ' +
    'blocks capture richer local structure (edges, textures, parts) and cost training time.',
  convNoise:
    'Conv only: sd of gaussian noise added to the training inputs, making a denoising conv autoencoder that must ' +
    'recover the clean image and so learns robust, data-driven features; 0 trains a plain conv.',
  codeDropout:
    'Dropout on the code during training: the decoder sees a random subset of the features, so no single feature ' +
    'can carry the reconstruction and each one has to be useful on its own.',
  featureEpochs:
    'Most epochs a trial may train. Multi-fidelity pruning (Hyperband) stops weak trials after a few epochs, so the ' +
    'promising ones can afford long training.',
} as const;

/** The full template, parents before children. Conditions name architectures; options trim them. */
function allParams(hiddenUnits: number[][] | undefined): ParamSpec[] {
  const widths: ParamSpec[] = hiddenUnits
    ? [{ name: 'hiddenUnits', type: 'categorical', choices: hiddenUnits, help: HELP.hiddenUnits }]
    : [
        { name: 'depth', type: 'int', low: 1, high: 3, log: false, help: HELP.depth },
        { name: 'width', type: 'int', low: 32, high: 512, log: true, help: HELP.width },
        { name: 'shrink', type: 'float', low: 0.25, high: 0.75, step: 0.05, log: false, help: HELP.shrink },
      ];
  return [
    { name: 'architecture', type: 'categorical', choices: [...ARCHITECTURES], help: HELP.architecture },
    { name: 'noiseType', type: 'categorical', choices: [...NOISE_TYPES], condition: when('architecture', 'denoising'), help: HELP.noiseType },
    { name: 'noiseLevel', type: 'float', low: 0.05, high: 0.5, log: false, condition: when('architecture', 'denoising'), help: HELP.noiseLevel },
    { name: 'l1', type: 'float', low: 1e-6, high: 1e-2, log: true, condition: when('architecture', 'sparse'), help: HELP.l1 },
    { name: 'klBeta', type: 'float', low: 0.25, high: 4, log: true, condition: when('architecture', 'variational'), help: HELP.klBeta },
    { name: 'filters', type: 'categorical', choices: [[16, 32], [32, 64], [16, 32, 64]], condition: when('architecture', 'conv'), help: HELP.filters },
    { name: 'kernelSize', type: 'categorical', choices: [3, 5], condition: when('architecture', 'conv'), help: HELP.kernelSize },
    { name: 'latentSize', type: 'int', low: 2, high: 128, log: true, help: HELP.latentSize },
    ...widths,
    { name: 'activation', type: 'categorical', choices: [...ACTIVATIONS], help: HELP.activation },
    { name: 'outputActivation', type: 'categorical', choices: [...OUTPUT_ACTIVATIONS], help: HELP.outputActivation },
    { name: 'loss', type: 'categorical', choices: [...LOSSES], condition: when('outputActivation', 'sigmoid'), help: HELP.loss },
    { name: 'optimizer', type: 'categorical', choices: [...OPTIMIZERS], help: HELP.optimizer },
    { name: 'momentum', type: 'float', low: 0.5, high: 0.99, log: false, condition: when('optimizer', 'sgd'), help: HELP.momentum },
    { name: 'nesterov', type: 'categorical', choices: [false, true], condition: when('optimizer', 'sgd'), help: HELP.nesterov },
    { name: 'learningRate', type: 'float', low: 1e-4, high: 1e-1, log: true, help: HELP.learningRate },
    { name: 'batchSize', type: 'categorical', choices: [32, 64, 128, 256], help: HELP.batchSize },
    { name: 'epochs', type: 'int', low: 5, high: 30, step: 5, log: false, help: HELP.epochs },
    { name: 'earlyStoppingPatience', type: 'int', low: 2, high: 8, log: false, help: HELP.earlyStoppingPatience },
    { name: 'dropout', type: 'float', low: 0, high: 0.5, step: 0.05, log: false, help: HELP.dropout },
    { name: 'weightDecay', type: 'float', low: 1e-6, high: 1e-2, log: true, help: HELP.weightDecay },
    { name: 'batchNorm', type: 'categorical', choices: [false, true], help: HELP.batchNorm },
  ];
}

export interface AutoencoderSpaceOptions {
  /** Architectures to search over (default: all five); children of the others disappear. */
  architectures?: readonly Architecture[];
  /** Explicit encoder widths to choose from, instead of depth x width x shrink. */
  hiddenUnits?: number[][];
  /** Params pinned to one value: they become `fixed` and keep their condition. */
  fixed?: Record<string, JsonValue>;
  /** Params left out entirely: the trial uses their default (and their children go too). */
  omit?: readonly string[];
}

/**
 * The default autoencoder search space, trimmed to the chosen architectures. Throws when an option names
 * a param the template does not have, or leaves an invalid space (e.g. a fixed value outside its range).
 */
export function defaultAutoencoderSpace(opts: AutoencoderSpaceOptions = {}): SearchSpace {
  const archs = opts.architectures ?? ARCHITECTURES;
  if (!archs.length) throw new Error('architectures: choose at least one architecture.');
  const params = allParams(opts.hiddenUnits);
  const names = new Set(params.map((p) => p.name));
  for (const n of [...Object.keys(opts.fixed ?? {}), ...(opts.omit ?? [])]) {
    if (!names.has(n)) throw new Error(`"${n}" is not a parameter of the autoencoder template (${[...names].join(', ')}).`);
  }
  const kept = new Set<string>();
  const out: ParamSpec[] = [];
  for (const p of params) {
    if (opts.omit?.includes(p.name)) continue;
    let spec: ParamSpec = p;
    if (p.name === 'architecture' && p.type === 'categorical') spec = { ...p, choices: ARCHITECTURES.filter((a) => archs.includes(a)) };
    if (p.condition) {
      if (!kept.has(p.condition.parent)) continue; // parent omitted: the child would never be active
      if (p.condition.parent === 'architecture') {
        const values = p.condition.values.filter((v) => archs.includes(v as Architecture));
        if (!values.length) continue;
        spec = { ...spec, condition: { ...p.condition, values } };
      }
    }
    if (opts.fixed && p.name in opts.fixed) {
      const { name, condition, help } = spec;
      spec = { name, type: 'fixed', value: opts.fixed[p.name], ...(condition ? { condition } : {}), ...(help ? { help } : {}) };
    }
    kept.add(p.name);
    out.push(spec);
  }
  const checked = validateSpace({ params: out });
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  return checked.space;
}

/**
 * Stronger feature learners than the full template's defaults: convolutional autoencoders with batch
 * normalisation, a choice of widths and depths, optional input noise (denoising conv) and dropout on the code,
 * Adam, up to `epochs` epochs (meant for a multi-fidelity pruner). Latent sizes are few so the PCA baseline at
 * each size is computed once.
 */
export function featureLearnerSpace(opts: { latentSizes?: number[]; epochs?: number } = {}): SearchSpace {
  const v = validateSpace({
    params: [
      { name: 'architecture', type: 'fixed', value: 'conv', help: HELP.architecture },
      { name: 'filters', type: 'categorical', choices: [[32, 64], [64, 128], [32, 64, 128]], help: HELP.featureFilters },
      // 3x3 only: 5x5 kernels cost ~2.8x the time on this kind of machine for no gain in the PyTorch reference.
      { name: 'kernelSize', type: 'fixed', value: 3, help: HELP.kernelSize },
      { name: 'batchNorm', type: 'fixed', value: true, help: HELP.batchNorm },
      { name: 'convNoise', type: 'categorical', choices: [0, 0.1, 0.2, 0.3], help: HELP.convNoise },
      { name: 'codeDropout', type: 'float', low: 0, high: 0.3, step: 0.05, log: false, help: HELP.codeDropout },
      { name: 'latentSize', type: 'categorical', choices: opts.latentSizes ?? [16, 32, 64], help: HELP.latentSize },
      { name: 'activation', type: 'categorical', choices: ['relu', 'leakyRelu', 'elu'], help: HELP.activation },
      { name: 'outputActivation', type: 'fixed', value: 'sigmoid', help: HELP.outputActivation },
      { name: 'loss', type: 'categorical', choices: ['mse', 'bce'], help: HELP.loss },
      { name: 'optimizer', type: 'fixed', value: 'adam', help: HELP.optimizer },
      { name: 'learningRate', type: 'float', low: 3e-4, high: 3e-3, log: true, help: HELP.learningRate },
      { name: 'batchSize', type: 'categorical', choices: [64, 128], help: HELP.batchSize },
      { name: 'epochs', type: 'fixed', value: opts.epochs ?? 27, help: HELP.featureEpochs },
      { name: 'earlyStoppingPatience', type: 'fixed', value: 4, help: HELP.earlyStoppingPatience },
    ],
  });
  if (!v.ok) throw new Error(v.errors.join('\n'));
  return v.space;
}

export interface SpaceTemplate {
  title: string;
  description: string;
  build: (opts?: AutoencoderSpaceOptions) => SearchSpace;
}

/** Named starting points for the wizard and the CLI. */
export const autoencoderTemplates: Record<'full' | 'essentials' | 'seedGrid' | 'features', SpaceTemplate> = {
  full: {
    title: 'Everything',
    description: 'Every hyperparameter, with per-architecture regularisers: for TPE or GP over many trials.',
    build: (opts) => defaultAutoencoderSpace(opts),
  },
  essentials: {
    title: 'Essentials',
    description: 'Latent size, network size, learning rate and batch size; the rest at defaults. A good first study.',
    build: (opts) =>
      defaultAutoencoderSpace({
        architectures: ['dense'],
        ...opts,
        omit: [...(opts?.omit ?? []), 'activation', 'outputActivation', 'optimizer', 'epochs', 'earlyStoppingPatience', 'dropout', 'weightDecay', 'batchNorm'],
      }),
  },
  features: {
    title: 'Feature learners',
    description:
      'Conv autoencoders with batch normalisation, widths and depths, denoising and code dropout, trained long: ' +
      'for a downstream objective with Hyperband pruning, to find features that beat PCA.',
    build: () => featureLearnerSpace(),
  },
  seedGrid: {
    title: 'Seed article grid',
    description: 'latent [8, 16, 32] x learning rate [0.01, 0.001] on a dense autoencoder: a 6-trial grid.',
    build: () => {
      const v = validateSpace({
        params: [
          { name: 'architecture', type: 'fixed', value: 'dense' },
          { name: 'latentSize', type: 'categorical', choices: [8, 16, 32], help: HELP.latentSize },
          { name: 'learningRate', type: 'categorical', choices: [0.01, 0.001], help: HELP.learningRate },
        ],
      });
      if (!v.ok) throw new Error(v.errors.join('\n'));
      return v.space;
    },
  },
};

/** Encoder widths from depth, first width and shrink factor: width, width*shrink, ... rounded, at least 4. */
export function deriveHiddenUnits(depth: number, width: number, shrink: number): number[] {
  return Array.from({ length: depth }, (_, i) => Math.max(4, Math.round(width * shrink ** i)));
}

const DERIVED_KEYS = Object.keys(DERIVED_PARAMS) as Array<keyof typeof DERIVED_PARAMS>;

export interface TrialBase {
  imageSize: number;
  channels: 1 | 3;
  valFraction: number;
  seed: number;
}

/** The base every trial of a study shares: its images' size and channels, its validation share and its seed. */
export function trialBaseOf(spec: Pick<StudySpec, 'dataset' | 'seed'>): TrialBase {
  return { imageSize: spec.dataset.imageSize, channels: spec.dataset.channels, valFraction: spec.dataset.valFraction, seed: spec.seed };
}

function checkDerived(name: keyof typeof DERIVED_PARAMS, v: JsonValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  const r = DERIVED_PARAMS[name].safeParse(v);
  if (!r.success) throw new Error(`Invalid value for "${name}": ${r.error.issues[0]?.message} (got ${JSON.stringify(v)}).`);
  return r.data;
}

/**
 * A sampler's proposal -> the full trial configuration: defaults, then the dataset/study base, then the
 * sample. Hidden widths come from depth/width/shrink unless hiddenUnits itself was sampled. Throws an Error
 * naming the param when a value is invalid or a name is unknown (a typo must not silently use a default).
 */
export function paramsFromSample(sample: Record<string, JsonValue>, base: TrialBase): Params {
  const known = new Set(Object.keys(AutoencoderParams.shape));
  const rest: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(sample)) {
    if ((BASE_KEYS as readonly string[]).includes(k)) throw new Error(`"${k}" comes from the dataset and study, not from the search space; remove it from the space.`);
    if ((DERIVED_KEYS as readonly string[]).includes(k)) continue;
    if (!known.has(k)) {
      throw new Error(`Unknown parameter "${k}": an autoencoder trial takes ${[...known].filter((n) => !(BASE_KEYS as readonly string[]).includes(n)).join(', ')}, depth, width, shrink.`);
    }
    rest[k] = v;
  }
  const merged: Record<string, unknown> = { ...DEFAULT_PARAMS, ...base, ...rest };
  if (!('hiddenUnits' in sample) && DERIVED_KEYS.some((k) => k in sample)) {
    const depth = checkDerived('depth', sample.depth) ?? 2;
    const width = checkDerived('width', sample.width) ?? 128;
    const shrink = checkDerived('shrink', sample.shrink) ?? 0.5;
    merged.hiddenUnits = deriveHiddenUnits(depth, width, shrink);
  }
  const parsed = AutoencoderParams.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'params');
    throw new Error(`Invalid value for "${name}": ${issue.message} (got ${JSON.stringify(merged[name])}).`);
  }
  return parsed.data;
}
