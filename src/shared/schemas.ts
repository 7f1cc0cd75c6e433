// zod schemas for every payload that crosses a process boundary (IPC, bridge, trainer messages).
import { z } from 'zod';
import { ProbeSetting, TestVerdict } from './verdict';
import { Direction } from './study/objectives';
import { PruneSignal } from './study/prunerConfig';
import { isMessageCode, type MessageCode } from './errors';

export const Activation = z.enum(['relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'linear']);
export const OutputActivation = z.enum(['sigmoid', 'linear']);
export const OptimizerName = z.enum(['adam', 'rmsprop', 'adagrad', 'sgd']);
export const Channels = z.union([z.literal(1), z.literal(3)]);

export const DatasetOptions = z.object({
  path: z.string().min(1, 'Choose an image folder first.'),
  imageSize: z.number().int().min(4).max(256),
  channels: Channels,
});

export const ClassCount = z.object({ name: z.string(), count: z.number().int() });
/** A message as code + parameters (src/shared/errors.ts): the renderer says it in the UI language. */
export const CodedText = z.object({
  code: z.custom<MessageCode>(isMessageCode, 'unknown message code'),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
/** A file or folder a dataset leaves out: why as a code (translated in the renderer) and in English (`reason`). */
export const FileFailure = CodedText.extend({ file: z.string(), reason: z.string() });
export const PreviewImage = z.object({ file: z.string(), label: z.string().nullable(), dataUrl: z.string() });

export const DatasetSummary = z.object({
  path: z.string(),
  imageCount: z.number().int(),
  labeled: z.boolean(),
  classes: z.array(ClassCount),
  width: z.number().int(),
  height: z.number().int(),
  channels: Channels,
  preview: z.array(PreviewImage),
  failures: z.array(FileFailure),
  fromCache: z.boolean(),
  loadMs: z.number(),
});

export const Architecture = z.enum(['dense', 'conv', 'denoising', 'sparse', 'variational']);
export const LossName = z.enum(['mse', 'bce']);
export const NoiseType = z.enum(['gaussian', 'masking']);

/**
 * Every hyperparameter of one autoencoder trial. Fields beyond the dense basics have defaults, so a trial
 * stored by an older version still parses. Per-architecture fields (noise, l1, klBeta, filters) are only
 * read by their architecture.
 */
export const AutoencoderParams = z.object({
  architecture: Architecture.default('dense'),
  latentSize: z.number().int().min(1).max(1024),
  /** Encoder widths, wide to narrow; the decoder mirrors them. Dense-family architectures. */
  hiddenUnits: z.array(z.number().int().min(1).max(8192)).max(8),
  activation: Activation,
  outputActivation: OutputActivation,
  dropout: z.number().min(0).max(0.9).default(0),
  /** Dropout on the code during training: the decoder sees a random subset of the features, so none can carry the reconstruction alone. */
  codeDropout: z.number().min(0).max(0.9).default(0),
  /** L2 weight decay on kernels. */
  weightDecay: z.number().min(0).max(1).default(0),
  batchNorm: z.boolean().default(false),
  loss: LossName.default('mse'),
  optimizer: OptimizerName,
  learningRate: z.number().positive().max(10),
  /** SGD only. */
  momentum: z.number().min(0).max(0.999).default(0.9),
  nesterov: z.boolean().default(false),
  batchSize: z.number().int().min(1).max(8192),
  epochs: z.number().int().min(1).max(10000),
  /** Early stopping on validation loss; 0 turns it off. */
  earlyStoppingPatience: z.number().int().min(0).max(1000).default(0),
  earlyStoppingMinDelta: z.number().min(0).default(0),
  restoreBestWeights: z.boolean().default(true),
  /** Denoising: corruption applied to inputs during training only. */
  noiseType: NoiseType.default('gaussian'),
  noiseLevel: z.number().min(0).max(1).default(0.2),
  /** Sparse: L1 activity penalty on the code. */
  l1: z.number().min(0).max(1).default(1e-4),
  /** Variational: weight of the KL term. */
  klBeta: z.number().min(0).max(100).default(1),
  /** Convolutional: filters per strided Conv2D block, and kernel size. */
  filters: z.array(z.number().int().min(1).max(512)).min(1).max(5).default([16, 32]),
  kernelSize: z.number().int().min(1).max(9).default(3),
  /** Convolutional: sd of gaussian noise added to the training inputs (a denoising conv autoencoder); 0 = none. */
  convNoise: z.number().min(0).max(1).default(0),
  imageSize: z.number().int().min(4).max(256),
  channels: Channels,
  valFraction: z.number().min(0.05).max(0.5),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});

/** A short training-throughput measurement per architecture at one image size (the wizard's time estimate). */
export const CalibrateRequest = z.strictObject({
  architectures: z.array(Architecture).min(1).max(8),
  imageSize: z.number().int().min(4).max(256),
  channels: Channels,
});
/** Samples per second of each requested architecture, in order, on this machine's trainer backend. */
export const CalibrateResult = z.object({ backend: z.string(), samplesPerSec: z.array(z.number().positive()) });

export const TrainRequest = z.object({
  datasetPath: z.string().min(1),
  params: AutoencoderParams,
});

/**
 * A refit: a study's chosen configuration trained again on its training + validation images for the export
 * (issue 15). Kept with the refit trial, which lives in the Refits study, apart from the search it came from.
 */
export const RefitOf = z.object({
  studyId: z.number().int(),
  study: z.string(),
  trialId: z.number().int(),
  trialNumber: z.number().int(),
  epochs: z.number().int().min(1),
});

export const TrialState = z.enum(['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED', 'CANCELLED']);

export const EpochMetrics = z.object({
  epoch: z.number().int(),
  trainLoss: z.number(),
  /** The training objective on validation data (reconstruction + KL / L1 / weight-decay terms). */
  valLoss: z.number(),
  /** Validation reconstruction MSE alone: comparable across architectures; what pruners see. */
  valMse: z.number().optional(),
  /**
   * What a 'downstream' pruner (pruner.signal) compared at this epoch: the primary objective scored by the quick
   * probe, only at the epochs where the pruner decides (absent at the others). Absent for 'reconstruction',
   * whose pruner compares valMse.
   */
  intermediate: z.number().optional(),
  seconds: z.number(),
  samplesPerSec: z.number(),
});

export const TrialSummary = z.object({
  /** The raw parameter values a sampler proposed (study trials) or the hand-set ones (manual trials). */
  searchParams: z.record(z.string(), z.unknown()),
  values: z.array(z.number().nullable()),
  retryOf: z.number().int().nullable(),
  /**
   * Validation metrics of a finished trial: val_recon_mse, val_accuracy, val_f1_macro, val_f1_weighted,
   * val_balanced_accuracy, val_precision_macro, val_recall_macro, val_roc_auc, val_r2, val_mse_target,
   * val_mae_target (those that apply).
   */
  metrics: z.record(z.string(), z.number().nullable()),
  id: z.number().int(),
  studyId: z.number().int(),
  studyName: z.string(),
  number: z.number().int(),
  state: TrialState,
  failReason: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  datasetPath: z.string(),
  /**
   * The configuration the trial trained with; null when this version cannot read it (written by a newer
   * Latent Lab to a shared study, or edited by hand): readers show that, never defaults in its place.
   */
  params: AutoencoderParams.nullable(),
  /** Why params is null, in plain words ("architecture: \"transformer\" is not allowed; ..."); null when it is read. */
  paramsProblem: z.string().nullable(),
  seed: z.number().int(),
  backend: z.string().nullable(),
  epochsDone: z.number().int(),
  bestValLoss: z.number().nullable(),
  /** When a trainer took it (null while WAITING), and which one: "host:pid" (the timeline of trials per worker). */
  startedAt: z.string().nullable(),
  worker: z.string().nullable(),
  /** The user's note and tags (trials.annotate). */
  note: z.string(),
  tags: z.array(z.string()),
});

/** Per-epoch metrics of many trials in one call (the intermediate-values chart of a large study). */
export const TrialCurvesInput = z.object({ trialIds: z.array(z.number().int()).max(5000) });
export const TrialCurves = z.array(z.object({ trialId: z.number().int(), epochs: z.array(EpochMetrics) }));

export const TrialDetail = TrialSummary.extend({
  epochs: z.array(EpochMetrics),
  /** Validation confusion matrix (rows true, columns predicted) with the class names, when labeled. */
  confusion: z.object({ classes: z.array(z.string()), matrix: z.array(z.array(z.number())) }).nullable(),
  versions: z.record(z.string(), z.string()),
  artifactDir: z.string().nullable(),
});

export const AppInfo = z.object({
  appVersion: z.string(),
  mode: z.enum(['electron', 'browser', 'cli']),
  dataDir: z.string(),
  dbPath: z.string(),
  backend: z.string(),
  backendNote: z.string(),
  /** The backend note as codes: what runs, then why the faster backends were not used. */
  backendNotes: z.array(CodedText),
  tfjsVersion: z.string(),
  platform: z.string(),
  canPickFolder: z.boolean(),
});

export const ExportRequest = z.object({
  trialId: z.number().int(),
  folder: z.string().min(1),
  /** Replace an earlier encoder bundle in `folder` (the user confirmed); anything else in it is never replaced. */
  force: z.boolean().default(false),
});
export const ExportResult = z.object({ folder: z.string(), files: z.array(z.string()) });

/** A study's self-contained HTML report (+ its trials.csv) written into `folder` as <study>-report.html. */
export const ReportRequest = z.object({
  study: z.string().min(1),
  folder: z.string().min(1),
  /** Replace an earlier report of the same name (the user confirmed). */
  force: z.boolean().default(false),
});
export const ReportResult = z.object({ files: z.array(z.string()), chosenTrialNumber: z.number().int().nullable() });

/** An exported encoder bundle applied to a folder of images; the codes go to `out` (.csv, or .npy + .files.txt). */
export const EncodeRequest = z.object({
  bundle: z.string().min(1),
  data: z.string().min(1),
  /** The output file; without an extension the format's (.csv / .npy) is added. */
  out: z.string().min(1),
  format: z.enum(['csv', 'npy']),
  /** Replace an existing output file (the user confirmed). */
  force: z.boolean().default(false),
});
export const EncodeResult = z.object({
  files: z.array(z.string()),
  images: z.number().int(),
  codeSize: z.number().int(),
  study: z.string(),
  trialNumber: z.number().int(),
  /** Images that could not be read, with the reason; they are left out of the output. */
  failures: z.array(FileFailure),
});
export const EncodeProgress = z.object({
  /** The output file of the run (as given), so a page knows the events of its own run. */
  out: z.string(),
  phase: z.enum(['decode', 'encode']),
  done: z.number().int(),
  total: z.number().int(),
});

export const TrialIdInput = z.object({ trialId: z.number().int() });

/** A trial's note and tags as the user writes them; a tag is one short word or phrase, kept in the given order. */
export const TrialTag = z.string().trim().min(1).max(40);
export const TrialAnnotation = z.object({ note: z.string().max(5000), tags: z.array(TrialTag).max(20) });
export const TrialAnnotateInput = TrialAnnotation.extend({ trialId: z.number().int() });
export const Empty = z.object({}).strict();

export const DatasetProgress = z.object({
  path: z.string(),
  phase: z.enum(['scan', 'decode', 'cache']),
  done: z.number().int(),
  total: z.number().int(),
});

export const TrialProgress = z.object({
  trialId: z.number().int(),
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  samplesPerSec: z.number(),
  etaSeconds: z.number().nullable(),
});

export const TrialEpoch = z.object({ trialId: z.number().int(), metrics: EpochMetrics });
export const TrialStateEvent = z.object({
  trialId: z.number().int(),
  state: TrialState,
  reason: z.string().nullable(),
  backend: z.string().nullable(),
});

/**
 * 'running': this window runs the study. 'elsewhere': trials of it run in another process or on another machine
 * sharing the database (a `latent-lab search` in a terminal, a worker), whose runner is alive.
 */
export const StudyState = z.enum(['idle', 'running', 'elsewhere', 'finished', 'cancelled']);

/** What a study's pruner compares (study/pruneView.ts pruneViewOf reads it from the spec). */
export const PruneView = z.object({
  signal: PruneSignal,
  /** The primary objective's label (objectiveLabel), what 'downstream' compares; null when unreadable. */
  objective: z.string().nullable(),
  /** The primary objective is a weighted one (its label is a formula, not a name to show). */
  weighted: z.boolean(),
  /** Which way the intermediate values improve. */
  direction: Direction,
});

export const StudySummary = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  state: StudyState,
  trials: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  budgetTrials: z.number().int().nullable(),
  budgetSeconds: z.number().nullable(),
  sampler: z.string(),
  pruner: z.string(),
  /** What the pruner compares (null: no pruner); absent from a server that does not say it yet. */
  prune: PruneView.nullable().optional(),
  directions: z.array(Direction),
  objectives: z.array(z.string()),
  bestValue: z.number().nullable(),
  bestTrialId: z.number().int().nullable(),
});

/** PCA beside the autoencoder at one code size: validation reconstruction MSE and the probe's validation accuracy. */
export const PcaAtSize = z.object({ latentSize: z.number().int(), reconMse: z.number().nullable(), accuracy: z.number().nullable() });

/** The most epochs a refit may train (the CLI and the contract say the same). */
export const MAX_REFIT_EPOCHS = 1000;

/** study.refit: which trial of the study (default: its best) and how many epochs (default: what that trial trained). */
export const RefitRequest = z.strictObject({
  name: z.string().min(1),
  trialNumber: z.number().int().min(0).optional(),
  epochs: z.number().int().min(1).max(MAX_REFIT_EPOCHS).optional(),
});

/** One refit of a study (REFIT_STUDY trial), newest first in StudyDetail.refits. */
export const StudyRefit = z.object({
  trialId: z.number().int(),
  /** The study trial (number) whose configuration it trained. */
  of: z.number().int(),
  epochs: z.number().int(),
  state: TrialState,
  failReason: z.string().nullable(),
  /** Its code against raw pixels and PCA at its code size on the study's test images; null until it is COMPLETE. */
  verdict: TestVerdict.nullable(),
});

export const StudyDetail = StudySummary.extend({
  spec: z.unknown(),
  trials: z.array(TrialSummary),
  /** Test-split metrics of the chosen (best) trial only; the test split never takes part in selection. */
  bestTestMetrics: z.record(z.string(), z.number().nullable()).nullable(),
  /** The same probe on raw pixels and on PCA features of the code's size, on the same split. */
  baselines: z
    .object({ pcaDim: z.number().int(), raw: z.record(z.string(), z.number().nullable()).nullable(), pca: z.record(z.string(), z.number().nullable()) })
    .nullable(),
  /** The chosen trial's probe setting (C or k, and the cross-validation that chose it). */
  probeSetting: ProbeSetting.nullable(),
  /** The chosen trial against raw pixels and PCA at its code size on the test split. */
  verdict: TestVerdict.nullable(),
  /** PCA at every code size the study trained: validation reconstruction MSE and probe accuracy. */
  pcaBySize: z.array(PcaAtSize),
  /** The chosen configuration trained again on training + validation images (study.refit), newest first. */
  refits: z.array(StudyRefit),
});

export const StudyValidation = z.object({
  ok: z.boolean(),
  errors: z.array(z.string()),
  gridSize: z.number().int().nullable(),
});

export const StudyNameInput = z.object({ name: z.string().min(1) });
/** now: running trials are cancelled within one batch; afterRunning (pause): they finish, no new ones start. */
export const StudyCancelInput = StudyNameInput.extend({ when: z.enum(['now', 'afterRunning']).optional() });

export const StudyProgress = z.object({
  studyName: z.string(),
  state: StudyState,
  done: z.number().int(),
  running: z.number().int(),
  budgetTrials: z.number().int().nullable(),
  bestValue: z.number().nullable(),
  bestTrialId: z.number().int().nullable(),
  message: z.string().nullable(),
});

export const TrialReconstructions = z.object({
  trialId: z.number().int(),
  epoch: z.number().int(),
  /** PNG data URLs of a fixed validation sample and their reconstructions, same order. */
  originals: z.array(z.string()),
  reconstructions: z.array(z.string()),
});

export const TrialLatents = z.object({
  trialId: z.number().int(),
  latentSize: z.number().int(),
  /** Codes of (up to 2,000) validation images; the VAE gives its mean. */
  codes: z.array(z.array(z.number())),
  labels: z.array(z.string().nullable()),
});

export const ProjectionMethod = z.enum(['direct', 'pca', 'umap', 'tsne']);
export const ProjectionRequest = z.object({
  trialId: z.number().int(),
  method: ProjectionMethod,
  dims: z.union([z.literal(2), z.literal(3)]),
});
export const Projection = z.object({
  trialId: z.number().int(),
  method: ProjectionMethod,
  dims: z.union([z.literal(2), z.literal(3)]),
  points: z.array(z.array(z.number())),
  labels: z.array(z.string().nullable()),
});
