// Everything the user sets in the new-study wizard, as typed (strings for text inputs). It is the serializable
// part of the wizard store, what gets remembered between sessions, and the input of the pure spec builder.
import type { ActivationName, Architecture, OutputActivationName } from '../../../shared/study/autoencoder';
import { DOWNSTREAM_METRICS } from '../../../shared/study/objectives';
import { KNN_METRICS } from '../../../shared/study/probes';
import { PRUNE_SIGNALS, type PruneSignal } from '../../../shared/study/prunerConfig';
import {
  ARCHITECTURE_DEFAULTS,
  PARAM_DEFS,
  SPACE_PARAMS,
  MULTI_OBJECTIVES,
  OBJECTIVE_KINDS,
  PROBES,
  RECON_LOSSES,
  type DownstreamMetric,
  type MultiObjectiveName,
  type ObjectiveKind,
  type ProbeKind,
  type ReconLoss,
  type ParamRow,
  type PrunerChoice,
  type SamplerChoice,
  type SpaceParamName,
} from './spaceDefaults';

export const STEPS = ['dataset', 'architecture', 'space', 'objective', 'strategy', 'review'] as const;
export type StepId = (typeof STEPS)[number];

export interface WizardDraft {
  name: string;
  dataset: {
    source: 'folder' | 'sample';
    folder: string;
    imageSize: string;
    channels: 1 | 3;
    valFraction: string;
    testFraction: string;
    /** Optional regression targets (file,value): dataset.targetsCsv, needed by the regression metrics. */
    targetsCsv: string;
  };
  architecture: {
    architectures: Architecture[];
    /** One text per candidate encoder ("256, 64"); several = the study compares them. */
    hiddenStacks: string[];
    activations: ActivationName[];
    outputActivations: OutputActivationName[];
    generator: { depths: number[]; widths: string; shrink: string };
  };
  rows: Record<SpaceParamName, ParamRow>;
  objective: ObjectiveDraft;
  strategy: {
    sampler: SamplerChoice;
    startupTrials: string;
    pruner: PrunerChoice;
    /** What the pruner compares (pruner.signal): the validation reconstruction MSE or the primary objective. */
    pruneSignal: PruneSignal;
    /** The user picked pruneSignal against what the objective suggests: it no longer follows the objective. */
    pruneSignalChosen: boolean;
    medianStartup: string;
    medianWarmup: string;
    minResource: string;
    reductionFactor: string;
    patience: string;
    useTrialBudget: boolean;
    trials: string;
    useTimeBudget: boolean;
    minutes: string;
    parallel: 'auto' | 'fixed';
    parallelN: string;
    seed: string;
    /** Manual search: hand-picked configurations, one text per varying parameter. */
    manual: Array<Record<string, string>>;
  };
}

export interface ObjectiveDraft {
  kind: ObjectiveKind;
  /** The loss of the val_recon objective (and of the weighted objective's reconstruction term). */
  reconLoss: ReconLoss;
  /** The metric of a downstream or weighted objective. */
  metric: DownstreamMetric;
  reconWeight: string;
  downstreamWeight: string;
  /** Multi-objective: the objectives optimised together (spec order follows MULTI_OBJECTIVES). */
  multi: MultiObjectiveName[];
  /** Multi-objective: the one that picks the single best trial (primaryObjective). */
  primary: MultiObjectiveName;
  probe: ProbeKind;
  /** Logistic regression's inverse regularisation strength. */
  C: string;
  /** kNN's neighbour count and distance. */
  k: string;
  knnMetric: (typeof KNN_METRICS)[number];
}

export function defaultObjective(): ObjectiveDraft {
  return {
    kind: 'reconstruction',
    reconLoss: 'mse',
    metric: 'val_accuracy',
    reconWeight: '0.5',
    downstreamWeight: '0.5',
    multi: ['val_recon', 'val_accuracy'],
    primary: 'val_recon',
    probe: 'logistic',
    C: '1',
    k: '5',
    knnMetric: 'euclidean',
  };
}

/**
 * Whether the objective that picks the best trial (the primary one) is a downstream metric or a weighted
 * objective, as the engine's defaultPruner and parseStudySpec judge it: only then can a pruner compare it.
 */
export function primaryIsDownstream(o: Pick<ObjectiveDraft, 'kind' | 'primary' | 'multi'>): boolean {
  if (o.kind !== 'multi') return o.kind !== 'reconstruction';
  // As specBuilder picks primaryObjective: the primary when it is one of the objectives, else the first.
  const names = MULTI_OBJECTIVES.filter((n) => o.multi.includes(n));
  return (names.includes(o.primary) ? o.primary : (names[0] ?? 'val_recon')) !== 'val_recon';
}

/** The signal a pruner compares unless the user picked another: the downstream primary objective when there is one. */
export function suggestedPruneSignal(o: Pick<ObjectiveDraft, 'kind' | 'primary' | 'multi'>): PruneSignal {
  return primaryIsDownstream(o) ? 'downstream' : 'reconstruction';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A readable default name that is unlikely to exist yet: study-20260128-0915. */
export function defaultStudyName(now: Date = new Date()): string {
  return `study-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
}

export function defaultRows(): Record<SpaceParamName, ParamRow> {
  const rows = {} as Record<SpaceParamName, ParamRow>;
  for (const name of SPACE_PARAMS) rows[name] = { ...PARAM_DEFS[name].initial, picked: [...PARAM_DEFS[name].initial.picked] };
  return rows;
}

export function defaultDraft(now: Date = new Date()): WizardDraft {
  return {
    name: defaultStudyName(now),
    dataset: { source: 'sample', folder: '', imageSize: '28', channels: 1, valFraction: '0.2', testFraction: '0', targetsCsv: '' },
    architecture: {
      architectures: [...ARCHITECTURE_DEFAULTS.architectures],
      hiddenStacks: [...ARCHITECTURE_DEFAULTS.hiddenStacks],
      activations: [...ARCHITECTURE_DEFAULTS.activations],
      outputActivations: [...ARCHITECTURE_DEFAULTS.outputActivations],
      generator: { ...ARCHITECTURE_DEFAULTS.generator, depths: [...ARCHITECTURE_DEFAULTS.generator.depths] },
    },
    rows: defaultRows(),
    objective: defaultObjective(),
    strategy: {
      sampler: 'tpe',
      startupTrials: '10',
      pruner: 'median',
      pruneSignal: 'reconstruction',
      pruneSignalChosen: false,
      medianStartup: '5',
      medianWarmup: '1',
      minResource: '1',
      reductionFactor: '3',
      patience: '0',
      useTrialBudget: true,
      trials: '20',
      useTimeBudget: false,
      minutes: '30',
      parallel: 'auto',
      parallelN: '2',
      seed: '0',
      manual: [],
    },
  };
}

/**
 * A remembered draft (JSON from localStorage, maybe from an older version) merged over the defaults:
 * anything missing or of the wrong type falls back to the default, so an old draft never breaks the wizard.
 */
export function reviveDraft(raw: unknown, now: Date = new Date()): WizardDraft {
  const base = defaultDraft(now);
  if (!isRecord(raw)) return base;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v] : d);
  const oneOf = <T extends string>(v: unknown, options: readonly T[], d: T): T => (typeof v === 'string' && (options as readonly string[]).includes(v) ? (v as T) : d);

  const ds = isRecord(raw.dataset) ? raw.dataset : {};
  const ar = isRecord(raw.architecture) ? raw.architecture : {};
  const gen = isRecord(ar.generator) ? ar.generator : {};
  const st = isRecord(raw.strategy) ? raw.strategy : {};
  const ob = isRecord(raw.objective) ? raw.objective : {};
  const rowsRaw = isRecord(raw.rows) ? raw.rows : {};

  const rows = defaultRows();
  for (const name of SPACE_PARAMS) {
    const r = rowsRaw[name];
    if (!isRecord(r)) continue;
    const d = rows[name];
    rows[name] = {
      mode: oneOf(r.mode, ['fixed', 'choices', 'range'] as const, d.mode),
      fixed: str(r.fixed, d.fixed),
      choices: str(r.choices, d.choices),
      picked: strings(r.picked, d.picked),
      low: str(r.low, d.low),
      high: str(r.high, d.high),
      log: bool(r.log, d.log),
      step: str(r.step, d.step),
    };
  }
  const manual = Array.isArray(st.manual)
    ? st.manual.filter(isRecord).map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => typeof v === 'string')) as Record<string, string>)
    : [];

  const objective: ObjectiveDraft = {
    kind: oneOf(ob.kind, OBJECTIVE_KINDS, base.objective.kind),
    reconLoss: oneOf(ob.reconLoss, RECON_LOSSES, base.objective.reconLoss),
    metric: oneOf(ob.metric, DOWNSTREAM_METRICS, base.objective.metric),
    reconWeight: str(ob.reconWeight, base.objective.reconWeight),
    downstreamWeight: str(ob.downstreamWeight, base.objective.downstreamWeight),
    multi: Array.isArray(ob.multi) ? MULTI_OBJECTIVES.filter((n) => (ob.multi as unknown[]).includes(n)) : base.objective.multi,
    primary: oneOf(ob.primary, MULTI_OBJECTIVES, base.objective.primary),
    probe: oneOf(ob.probe, PROBES, base.objective.probe),
    C: str(ob.C, base.objective.C),
    k: str(ob.k, base.objective.k),
    knnMetric: oneOf(ob.knnMetric, KNN_METRICS, base.objective.knnMetric),
  };

  return {
    name: str(raw.name, base.name),
    dataset: {
      source: oneOf(ds.source, ['folder', 'sample'] as const, base.dataset.source),
      folder: str(ds.folder, base.dataset.folder),
      imageSize: str(ds.imageSize, base.dataset.imageSize),
      channels: ds.channels === 3 ? 3 : 1,
      valFraction: str(ds.valFraction, base.dataset.valFraction),
      testFraction: str(ds.testFraction, base.dataset.testFraction),
      targetsCsv: str(ds.targetsCsv, base.dataset.targetsCsv),
    },
    architecture: {
      architectures: strings(ar.architectures, base.architecture.architectures).filter((a): a is Architecture =>
        (['dense', 'conv', 'denoising', 'sparse', 'variational'] as string[]).includes(a),
      ),
      hiddenStacks: strings(ar.hiddenStacks, base.architecture.hiddenStacks),
      activations: strings(ar.activations, base.architecture.activations).filter((a): a is ActivationName =>
        (['relu', 'leakyRelu', 'elu', 'sigmoid', 'tanh', 'linear'] as string[]).includes(a),
      ),
      outputActivations: strings(ar.outputActivations, base.architecture.outputActivations).filter((a): a is OutputActivationName =>
        a === 'sigmoid' || a === 'linear',
      ),
      generator: {
        depths: Array.isArray(gen.depths) && gen.depths.every((x) => typeof x === 'number') ? [...gen.depths] : base.architecture.generator.depths,
        widths: str(gen.widths, base.architecture.generator.widths),
        shrink: str(gen.shrink, base.architecture.generator.shrink),
      },
    },
    rows,
    objective,
    strategy: {
      sampler: oneOf(st.sampler, ['manual', 'grid', 'random', 'tpe', 'gp'] as const, base.strategy.sampler),
      startupTrials: str(st.startupTrials, base.strategy.startupTrials),
      pruner: oneOf(st.pruner, ['nop', 'median', 'successiveHalving', 'hyperband'] as const, base.strategy.pruner),
      // A draft remembered before the choice existed follows its objective, as a new one does.
      pruneSignal: oneOf(st.pruneSignal, PRUNE_SIGNALS, suggestedPruneSignal(objective)),
      pruneSignalChosen: bool(st.pruneSignalChosen, base.strategy.pruneSignalChosen),
      medianStartup: str(st.medianStartup, base.strategy.medianStartup),
      medianWarmup: str(st.medianWarmup, base.strategy.medianWarmup),
      minResource: str(st.minResource, base.strategy.minResource),
      reductionFactor: str(st.reductionFactor, base.strategy.reductionFactor),
      patience: str(st.patience, base.strategy.patience),
      useTrialBudget: bool(st.useTrialBudget, base.strategy.useTrialBudget),
      trials: str(st.trials, base.strategy.trials),
      useTimeBudget: bool(st.useTimeBudget, base.strategy.useTimeBudget),
      minutes: str(st.minutes, base.strategy.minutes),
      parallel: oneOf(st.parallel, ['auto', 'fixed'] as const, base.strategy.parallel),
      parallelN: str(st.parallelN, base.strategy.parallelN),
      seed: str(st.seed, base.strategy.seed),
      manual,
    },
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
