// The wizard's draft -> a study spec of the shared type the engine parses (src/shared/study/spec.ts), plus
// every local problem found on the way. Pure: no store, no DOM, so it is unit-tested directly and the
// engine's parser is run on its output in the tests.
import type { JsonValue } from '../../../shared/json';
import { isLabelMetric, isTargetMetric, type ObjectiveInput } from '../../../shared/study/objectives';
import type { ClassifierInput } from '../../../shared/study/probes';
import type { PrunerConfigInput } from '../../../shared/study/prunerConfig';
import type { SamplerConfigInput } from '../../../shared/study/samplerConfig';
import type { ParamSpec } from '../../../shared/study/searchSpace';
import { isActive } from '../../../shared/study/space';
import { SAMPLE_DATASET, type StudySpecInput } from '../../../shared/study/spec';
import { primaryIsDownstream, type WizardDraft } from './draft';
import { parseIntList, parseNumber, type NumberRule, type WizardIssue } from './issues';
import { gridInfo, type GridInfo } from './grid';
import { rowSpec } from './rowSpec';
import { MULTI_OBJECTIVES, PARAM_DEFS, rowApplies, SPACE_PARAMS } from './spaceDefaults';

/** What the wizard knows about the opened dataset beyond the draft. */
export interface BuildContext {
  /** Whether the previewed dataset has class labels (sub-folders); null = not previewed yet. */
  labeled?: boolean | null;
}

type DatasetInput = StudySpecInput['dataset'];
/** The spec the wizard builds: the engine's own input type, with the parts the wizard always writes required. */
export type WizardSpec = StudySpecInput &
  Required<Pick<StudySpecInput, 'objectives' | 'primaryObjective' | 'probe' | 'sampler' | 'pruner' | 'enqueue'>> & {
    dataset: DatasetInput & Required<Pick<DatasetInput, 'valFraction' | 'testFraction'>>;
  };

export interface BuildResult {
  spec: WizardSpec;
  issues: WizardIssue[];
  /** The search-space params (also inside spec), for the grid and the manual configurations. */
  params: ParamSpec[];
  grid: GridInfo;
}

function num(text: string, rule: NumberRule, step: WizardIssue['step'], field: string, issues: WizardIssue[], fallback: number): number {
  const r = parseNumber(text, rule);
  if (r.ok) return r.value;
  issues.push({ step, field, key: r.key, params: r.params });
  return fallback;
}

function choiceParam(name: string, values: JsonValue[]): ParamSpec {
  return values.length === 1 ? { name, type: 'fixed', value: values[0] } : { name, type: 'categorical', choices: values };
}

function possibleValues(p: ParamSpec | undefined): JsonValue[] {
  if (!p) return [];
  if (p.type === 'fixed') return [p.value];
  if (p.type === 'categorical') return p.choices;
  return [];
}

function architectureParams(d: WizardDraft, issues: WizardIssue[]): ParamSpec[] {
  const a = d.architecture;
  const out: ParamSpec[] = [];
  if (a.architectures.length === 0) issues.push({ step: 'architecture', field: 'architecture.architectures', key: 'pickArchitecture' });
  else out.push(choiceParam('architecture', [...a.architectures]));

  const stacks: number[][] = [];
  const seen = new Set<string>();
  a.hiddenStacks.forEach((text, i) => {
    const parsed = parseIntList(text, { min: 1, max: 8192 });
    if (!parsed.ok) {
      issues.push({ step: 'architecture', field: `architecture.hiddenStacks.${i}`, key: parsed.key, params: { ...parsed.params, n: i + 1 } });
      return;
    }
    if (parsed.value.length > 8) {
      issues.push({ step: 'architecture', field: `architecture.hiddenStacks.${i}`, key: 'tooManyLayers', params: { n: i + 1, max: 8 } });
      return;
    }
    const key = parsed.value.join(',');
    if (seen.has(key)) {
      issues.push({ step: 'architecture', field: `architecture.hiddenStacks.${i}`, key: 'duplicateStack', params: { n: i + 1 } });
      return;
    }
    seen.add(key);
    stacks.push(parsed.value);
  });
  if (a.hiddenStacks.length === 0) issues.push({ step: 'architecture', field: 'architecture.hiddenStacks', key: 'pickStack' });
  else if (stacks.length) out.push(choiceParam('hiddenUnits', stacks));

  if (a.activations.length === 0) issues.push({ step: 'architecture', field: 'architecture.activations', key: 'pickActivation' });
  else out.push(choiceParam('activation', [...a.activations]));
  if (a.outputActivations.length === 0) issues.push({ step: 'architecture', field: 'architecture.outputActivations', key: 'pickOutput' });
  else out.push(choiceParam('outputActivation', [...a.outputActivations]));
  return out;
}

/** Rows of the search-space step that take part, with a condition on their parent where the parent varies. */
function spaceParams(d: WizardDraft, arch: ParamSpec[], issues: WizardIssue[]): ParamSpec[] {
  const out: ParamSpec[] = [];
  const archParam = arch.find((p) => p.name === 'architecture');
  const outputParam = arch.find((p) => p.name === 'outputActivation');
  const ctx = {
    architectures: possibleValues(archParam).map(String),
    outputs: possibleValues(outputParam).map(String),
    optimizers: [] as string[],
  };
  for (const name of SPACE_PARAMS) {
    const def = PARAM_DEFS[name];
    const optimizerParam = out.find((p) => p.name === 'optimizer');
    ctx.optimizers = possibleValues(optimizerParam).map(String);
    if (!rowApplies(def, ctx)) continue;
    const r = rowSpec(def, d.rows[name]);
    issues.push(...r.issues);
    if (!r.spec) continue;
    const spec: ParamSpec = { ...r.spec };
    const condition = (parent: ParamSpec | undefined, wanted: readonly string[] | undefined, possible: readonly string[]) => {
      if (parent?.type === 'categorical' && wanted) spec.condition = { parent: parent.name, values: wanted.filter((v) => possible.includes(v)) };
    };
    condition(archParam, def.architectures, ctx.architectures);
    condition(optimizerParam, def.optimizers, ctx.optimizers);
    condition(outputParam, def.outputs, ctx.outputs);
    out.push(spec);
  }
  return out;
}

/** Params with more than one possible value: what a manual configuration has to choose. */
export function varyingParams(params: readonly ParamSpec[]): ParamSpec[] {
  return params.filter((p) => p.type === 'int' || p.type === 'float' || (p.type === 'categorical' && p.choices.length > 1));
}

/** A stable text for a choice (what a manual configuration stores and a <select> shows). */
export function choiceKey(v: JsonValue): string {
  return JSON.stringify(v);
}

/** One hand-picked configuration: every active param's value (fixed ones filled in), or issues. */
export function manualConfig(params: readonly ParamSpec[], texts: Record<string, string>, index: number, issues: WizardIssue[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const p of params) {
    if (!isActive(p, out)) continue;
    const field = `strategy.manual.${index}.${p.name}`;
    if (p.type === 'fixed') {
      out[p.name] = p.value;
    } else if (p.type === 'categorical') {
      const text = texts[p.name];
      const hit = p.choices.find((c) => choiceKey(c) === text);
      if (hit === undefined) issues.push({ step: 'strategy', field, key: 'manualPick', params: { param: p.name, n: index + 1 } });
      else out[p.name] = hit;
    } else {
      const r = parseNumber(texts[p.name] ?? '', { int: p.type === 'int', min: p.low, max: p.high });
      if (!r.ok) issues.push({ step: 'strategy', field, key: r.key, params: { ...r.params, param: p.name, n: index + 1 } });
      else out[p.name] = r.value;
    }
  }
  return out;
}

/** First value of every varying param: a new manual configuration to edit. */
export function newManualConfig(params: readonly ParamSpec[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of varyingParams(params)) {
    if (p.type === 'categorical') out[p.name] = choiceKey(p.choices[0]);
    else if (p.type === 'int' || p.type === 'float') out[p.name] = String(p.log ? Number(Math.sqrt(p.low * p.high).toPrecision(2)) : p.low);
  }
  return out;
}

/** Why a downstream metric cannot be used with this dataset (a message key under wizard.errors), or null. */
export function metricBlocked(metric: string, d: WizardDraft, ctx: BuildContext = {}): 'needsLabels' | 'needsTargets' | null {
  if (isLabelMetric(metric) && ctx.labeled === false) return 'needsLabels';
  if (isTargetMetric(metric) && !d.dataset.targetsCsv.trim()) return 'needsTargets';
  return null;
}

function objectivesOf(d: WizardDraft, ctx: BuildContext, issues: WizardIssue[]): { objectives: ObjectiveInput[]; primaryObjective: number; probe: ClassifierInput } {
  const o = d.objective;
  const blocked = (metric: string, field: string): void => {
    const key = metricBlocked(metric, d, ctx);
    if (key) issues.push({ step: 'objective', field, key, params: { metric } });
  };
  let objectives: ObjectiveInput[];
  let primaryObjective = 0;
  switch (o.kind) {
    case 'downstream':
      blocked(o.metric, 'objective.metric');
      objectives = [{ name: o.metric }];
      break;
    case 'weighted': {
      blocked(o.metric, 'objective.metric');
      const reconWeight = num(o.reconWeight, { min: 0 }, 'objective', 'objective.reconWeight', issues, 0.5);
      const downstreamWeight = num(o.downstreamWeight, { min: 0 }, 'objective', 'objective.downstreamWeight', issues, 0.5);
      if (reconWeight + downstreamWeight <= 0) issues.push({ step: 'objective', field: 'objective.downstreamWeight', key: 'weightsZero' });
      objectives = [{ name: 'weighted', loss: o.reconLoss, metric: o.metric, reconWeight, downstreamWeight }];
      break;
    }
    case 'multi': {
      const names = MULTI_OBJECTIVES.filter((n) => o.multi.includes(n));
      if (names.length < 2) issues.push({ step: 'objective', field: 'objective.multi', key: 'multiNeedsTwo' });
      for (const n of names) if (n !== 'val_recon') blocked(n, 'objective.multi');
      objectives = names.map((n): ObjectiveInput => (n === 'val_recon' ? { name: 'val_recon', loss: o.reconLoss } : { name: n }));
      if (!objectives.length) objectives = [{ name: 'val_recon', loss: o.reconLoss }];
      primaryObjective = Math.max(0, names.indexOf(o.primary));
      break;
    }
    default:
      objectives = [{ name: 'val_recon', loss: o.reconLoss }];
  }
  const probe: ClassifierInput =
    o.probe === 'knn'
      ? { kind: 'knn', k: num(o.k, { int: true, min: 1, max: 1000 }, 'objective', 'objective.k', issues, 5), metric: o.knnMetric }
      : { kind: 'logistic', C: num(o.C, { min: 0, exclusiveMin: true }, 'objective', 'objective.C', issues, 1) };
  return { objectives, primaryObjective, probe };
}

export function buildSpec(d: WizardDraft, ctx: BuildContext = {}): BuildResult {
  const issues: WizardIssue[] = [];

  // ---- dataset ----
  const name = d.name.trim();
  if (!name) issues.push({ step: 'review', field: 'name', key: 'nameRequired' });
  else if (name.length > 200) issues.push({ step: 'review', field: 'name', key: 'nameTooLong' });
  const folder = d.dataset.folder.trim();
  if (d.dataset.source === 'folder' && !folder) issues.push({ step: 'dataset', field: 'dataset.folder', key: 'chooseFolder' });
  const imageSize = num(d.dataset.imageSize, { int: true, min: 4, max: 256 }, 'dataset', 'dataset.imageSize', issues, 28);
  const valFraction = num(d.dataset.valFraction, { min: 0.05, max: 0.5 }, 'dataset', 'dataset.valFraction', issues, 0.2);
  const testFraction = num(d.dataset.testFraction, { min: 0, max: 0.5 }, 'dataset', 'dataset.testFraction', issues, 0);
  if (valFraction + testFraction > 0.8 + 1e-9) {
    issues.push({ step: 'dataset', field: 'dataset.testFraction', key: 'fractionsTooLarge', params: { sum: Number((valFraction + testFraction).toFixed(3)) } });
  }

  // ---- search space ----
  const arch = architectureParams(d, issues);
  const space = spaceParams(d, arch, issues);
  const s = d.strategy;
  const patience = num(s.patience, { int: true, min: 0, max: 1000 }, 'strategy', 'strategy.patience', issues, 0);
  const params: ParamSpec[] = [...arch, ...space, { name: 'earlyStoppingPatience', type: 'fixed', value: patience }];
  const grid = gridInfo(params);

  // ---- strategy ----
  let sampler: SamplerConfigInput;
  const startup = (): number => num(s.startupTrials, { int: true, min: 0, max: 10000 }, 'strategy', 'strategy.startupTrials', issues, 10);
  switch (s.sampler) {
    case 'grid':
      sampler = { type: 'grid' };
      if (!grid.ok) {
        for (const p of grid.continuous) issues.push({ step: 'space', field: `rows.${p}.step`, key: 'gridNeedsStep', params: { param: p } });
      }
      break;
    case 'tpe':
      sampler = { type: 'tpe', startupTrials: startup() };
      break;
    case 'gp':
      sampler = { type: 'gp', startupTrials: startup() };
      break;
    default:
      sampler = { type: 'random' };
  }

  let pruner: PrunerConfigInput;
  const int0 = (text: string, field: string, min: number, fallback: number) => num(text, { int: true, min }, 'strategy', field, issues, fallback);
  // What the pruner compares; the engine refuses 'downstream' on a reconstruction objective, so does the wizard.
  const signal = s.pruneSignal;
  if (s.pruner !== 'nop' && signal === 'downstream' && !primaryIsDownstream(d.objective)) {
    issues.push({ step: 'strategy', field: 'strategy.pruneSignal', key: 'signalNeedsDownstream' });
  }
  switch (s.pruner) {
    case 'median':
      pruner = {
        type: 'median',
        startupTrials: int0(s.medianStartup, 'strategy.medianStartup', 0, 5),
        warmupSteps: int0(s.medianWarmup, 'strategy.medianWarmup', 0, 1),
        intervalSteps: 1,
        signal,
      };
      break;
    case 'successiveHalving':
    case 'hyperband':
      pruner = { type: s.pruner, minResource: int0(s.minResource, 'strategy.minResource', 1, 1), reductionFactor: int0(s.reductionFactor, 'strategy.reductionFactor', 2, 3), signal };
      break;
    default:
      pruner = { type: 'nop' };
  }

  const budget: StudySpecInput['budget'] = {};
  const enqueue: Array<Record<string, JsonValue>> = [];
  if (s.sampler === 'manual') {
    if (s.manual.length === 0) issues.push({ step: 'strategy', field: 'strategy.manual', key: 'manualEmpty' });
    s.manual.forEach((texts, i) => enqueue.push(manualConfig(params, texts, i, issues)));
    budget.trials = Math.max(1, s.manual.length);
  } else {
    if (s.useTrialBudget) budget.trials = num(s.trials, { int: true, min: 1, max: 100000 }, 'strategy', 'strategy.trials', issues, 20);
    if (s.useTimeBudget) budget.seconds = Math.round(num(s.minutes, { min: 0, exclusiveMin: true }, 'strategy', 'strategy.minutes', issues, 30) * 60);
    if (!s.useTrialBudget && !s.useTimeBudget) issues.push({ step: 'strategy', field: 'strategy.budget', key: 'budgetRequired' });
  }
  const parallel = s.parallel === 'auto' ? 'auto' : num(s.parallelN, { int: true, min: 1, max: 32 }, 'strategy', 'strategy.parallelN', issues, 1);
  const seed = num(s.seed, { int: true, min: 0, max: 2 ** 31 - 1 }, 'strategy', 'strategy.seed', issues, 0);
  const { objectives, primaryObjective, probe } = objectivesOf(d, ctx, issues);
  const targetsCsv = d.dataset.targetsCsv.trim();

  const spec: WizardSpec = {
    name,
    dataset: {
      path: d.dataset.source === 'sample' ? SAMPLE_DATASET : folder,
      imageSize,
      channels: d.dataset.channels,
      valFraction,
      testFraction,
      ...(targetsCsv ? { targetsCsv } : {}),
    },
    searchSpace: { params },
    objectives,
    primaryObjective,
    probe,
    sampler,
    pruner,
    budget,
    seed,
    parallel,
    enqueue,
  };
  return { spec, issues, params, grid };
}

/** Issues of one step (for its inline list and the step indicator). */
export function issuesOf(issues: readonly WizardIssue[], step: WizardIssue['step']): WizardIssue[] {
  return issues.filter((i) => i.step === step);
}

/** The first issue of a field, e.g. 'rows.latentSize.low' (prefix match: 'rows.latentSize' finds any of them). */
export function fieldIssue(issues: readonly WizardIssue[], field: string): WizardIssue | undefined {
  return issues.find((i) => i.field === field || i.field.startsWith(`${field}.`));
}
