// A study spec (pasted or uploaded JSON) -> a wizard draft, the inverse of specBuilder for every spec the
// wizard can express. What it cannot express is reported (message keys under wizard.load) instead of being
// dropped silently; the engine's study.validate still has the last word on the spec itself.
import type { JsonValue } from '../../../shared/json';
import { defaultDraft, isRecord, suggestedPruneSignal, type WizardDraft } from './draft';
import { choiceKey } from './specBuilder';
import { ACTIVATIONS, ARCHITECTURES, OUTPUT_ACTIVATIONS, type ActivationName, type Architecture, type OutputActivationName } from '../../../shared/study/autoencoder';
import { DOWNSTREAM_METRICS, Objective } from '../../../shared/study/objectives';
import { PRUNE_SIGNALS } from '../../../shared/study/prunerConfig';
import { KNN_METRICS } from '../../../shared/study/probes';
import { defaultPruner, SAMPLE_DATASET, upgradeObjectiveShorthand } from '../../../shared/study/spec';
import {
  ENGINE_DEFAULTS,
  MULTI_OBJECTIVES,
  RECON_LOSSES,
  PARAM_DEFS,
  SPACE_PARAMS,
  type DownstreamMetric,
  type MultiObjectiveName,
  type ParamRow,
  type SpaceParamName,
} from './spaceDefaults';

export interface LoadProblem {
  key: string;
  params?: Record<string, string | number>;
}

export type LoadResult = { ok: true; draft: WizardDraft; notes: LoadProblem[] } | { ok: false; errors: LoadProblem[] };

/** Parses JSON text; a syntax error is reported with the parser's words. */
export function parseSpecText(text: string): { ok: true; value: unknown } | { ok: false; errors: LoadProblem[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, errors: [{ key: 'notJson', params: { message: err instanceof Error ? err.message : String(err) } }] };
  }
}

const text = (v: unknown): string => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '');
const listText = (v: JsonValue): string => (Array.isArray(v) ? v.map((x) => String(x)).join(', ') : String(v));

/** Values of a fixed or categorical param; null for a range (or anything else). */
function valuesOf(p: Record<string, unknown>): JsonValue[] | null {
  if (p.type === 'fixed') return [p.value as JsonValue];
  if (p.type === 'categorical' && Array.isArray(p.choices)) return p.choices as JsonValue[];
  return null;
}

function rowFromParam(name: SpaceParamName, p: Record<string, unknown>, base: ParamRow, errors: LoadProblem[]): ParamRow {
  const def = PARAM_DEFS[name];
  const row: ParamRow = { ...base, picked: [...base.picked] };
  if (p.type === 'fixed') {
    row.mode = 'fixed';
    row.fixed = def.kind === 'intList' ? listText(p.value as JsonValue) : def.kind === 'bool' ? String(p.value === true) : text(p.value);
    return row;
  }
  if (p.type === 'categorical' && Array.isArray(p.choices)) {
    row.mode = 'choices';
    const choices = p.choices as JsonValue[];
    if (def.kind === 'enum' || def.kind === 'bool') row.picked = choices.map((c) => String(c));
    else if (def.kind === 'intList') row.choices = choices.map(listText).join('; ');
    else row.choices = choices.map((c) => String(c)).join(', ');
    return row;
  }
  if ((p.type === 'int' || p.type === 'float') && (def.kind === 'int' || def.kind === 'float')) {
    row.mode = 'range';
    row.low = text(p.low);
    row.high = text(p.high);
    row.log = p.log === true;
    row.step = p.step === undefined ? '' : text(p.step);
    return row;
  }
  errors.push({ key: 'badParam', params: { param: name } });
  return row;
}

function engineDefaultRow(name: SpaceParamName, base: ParamRow): ParamRow {
  const def = PARAM_DEFS[name];
  const v = ENGINE_DEFAULTS[name] as JsonValue;
  return { ...base, picked: [...base.picked], mode: 'fixed', fixed: def.kind === 'intList' ? listText(v) : String(v) };
}

const isOneOf = <T extends string>(v: unknown, options: readonly T[]): v is T => typeof v === 'string' && (options as readonly string[]).includes(v);

/** An objective as the engine reads it (the shorthand {metric: 'val_loss'} means {name: 'val_recon'}). */
function objectiveOf(o: unknown): Record<string, unknown> | null {
  const upgraded = upgradeObjectiveShorthand(o);
  return isRecord(upgraded) ? upgraded : null;
}

/** objectives, primaryObjective and probe -> the objective step; what it cannot express is an error. */
function readObjectives(raw: Record<string, unknown>, draft: WizardDraft, errors: LoadProblem[]): void {
  const ob = draft.objective;
  const list = (Array.isArray(raw.objectives) ? raw.objectives : [{ name: 'val_recon' }]).map(objectiveOf);
  const primary = raw.primaryObjective === undefined ? 0 : raw.primaryObjective;
  const loss = (o: Record<string, unknown>): boolean => {
    if (o.loss === undefined) return true;
    if (!isOneOf(o.loss, RECON_LOSSES)) return false;
    ob.reconLoss = o.loss;
    return true;
  };
  let ok = list.length > 0 && list.every((o) => o !== null);
  const objectives = list.filter((o): o is Record<string, unknown> => o !== null);
  if (ok && objectives.length === 1) {
    const o = objectives[0];
    if (o.name === 'val_recon') {
      ob.kind = 'reconstruction';
      ok = loss(o);
    } else if (isOneOf(o.name, DOWNSTREAM_METRICS)) {
      ob.kind = 'downstream';
      ob.metric = o.name;
    } else if (o.name === 'weighted') {
      ob.kind = 'weighted';
      ok = loss(o);
      if (o.metric !== undefined) {
        if (isOneOf(o.metric, DOWNSTREAM_METRICS)) ob.metric = o.metric;
        else ok = false;
      }
      if (o.reconWeight !== undefined) ob.reconWeight = text(o.reconWeight);
      if (o.downstreamWeight !== undefined) ob.downstreamWeight = text(o.downstreamWeight);
    } else ok = false;
    if (primary !== 0) ok = false;
  } else if (ok) {
    // several: the reconstruction error and downstream metrics, each at most once
    const names: MultiObjectiveName[] = [];
    for (const o of objectives) {
      if (!isOneOf(o.name, MULTI_OBJECTIVES) || names.includes(o.name)) ok = false;
      else {
        names.push(o.name);
        if (o.name === 'val_recon' && !loss(o)) ok = false;
      }
    }
    const primaryName = typeof primary === 'number' ? names[primary] : undefined;
    if (!primaryName) ok = false;
    else {
      ob.kind = 'multi';
      ob.multi = MULTI_OBJECTIVES.filter((n) => names.includes(n));
      ob.primary = primaryName;
      const first = names.find((n): n is DownstreamMetric => n !== 'val_recon');
      if (first) ob.metric = first;
    }
  }
  if (!ok) errors.push({ key: 'objectiveUnsupported' });

  if (raw.probe === undefined) return;
  const probe = isRecord(raw.probe) ? raw.probe : {};
  if (probe.kind === 'logistic') {
    ob.probe = 'logistic';
    if (probe.C !== undefined) ob.C = text(probe.C);
  } else if (probe.kind === 'knn') {
    ob.probe = 'knn';
    if (probe.k !== undefined) ob.k = text(probe.k);
    if (probe.metric !== undefined) {
      if (isOneOf(probe.metric, KNN_METRICS)) ob.knnMetric = probe.metric;
      else errors.push({ key: 'badProbe' });
    }
  } else errors.push({ key: 'badProbe' });
}

/** The pruner the engine gives a spec that names none (shared/study/spec.ts defaultPruner). */
function enginePruner(raw: Record<string, unknown>): Record<string, unknown> {
  const list = Array.isArray(raw.objectives) ? raw.objectives : [{ name: 'val_recon' }];
  const objectives = Objective.array().safeParse(list.map(upgradeObjectiveShorthand));
  const primary = typeof raw.primaryObjective === 'number' ? raw.primaryObjective : 0;
  // Objectives the engine refuses are reported by readObjectives; the pruner then is the wizard's default.
  return objectives.success ? { ...defaultPruner(objectives.data, primary) } : { type: defaultDraft().strategy.pruner };
}

export function draftFromSpec(raw: unknown, now: Date = new Date()): LoadResult {
  const errors: LoadProblem[] = [];
  const notes: LoadProblem[] = [];
  if (!isRecord(raw)) return { ok: false, errors: [{ key: 'notObject' }] };
  const draft = defaultDraft(now);

  if (typeof raw.name === 'string') draft.name = raw.name;

  // ---- dataset ----
  const ds = isRecord(raw.dataset) ? raw.dataset : null;
  if (!ds || typeof ds.path !== 'string') errors.push({ key: 'noDataset' });
  else {
    draft.dataset.source = ds.path === SAMPLE_DATASET ? 'sample' : 'folder';
    draft.dataset.folder = ds.path === SAMPLE_DATASET ? '' : ds.path;
    if (ds.imageSize !== undefined) draft.dataset.imageSize = text(ds.imageSize);
    if (ds.channels === 1 || ds.channels === 3) draft.dataset.channels = ds.channels;
    if (ds.valFraction !== undefined) draft.dataset.valFraction = text(ds.valFraction);
    if (ds.testFraction !== undefined) draft.dataset.testFraction = text(ds.testFraction);
    if (typeof ds.targetsCsv === 'string') draft.dataset.targetsCsv = ds.targetsCsv;
  }

  // ---- search space ----
  const space = isRecord(raw.searchSpace) && Array.isArray(raw.searchSpace.params) ? raw.searchSpace.params : null;
  if (!space) errors.push({ key: 'noSearchSpace' });
  const byName = new Map<string, Record<string, unknown>>();
  for (const p of space ?? []) {
    if (isRecord(p) && typeof p.name === 'string') byName.set(p.name, p);
  }
  const known = new Set<string>(['architecture', 'hiddenUnits', 'activation', 'outputActivation', 'earlyStoppingPatience', ...SPACE_PARAMS]);
  for (const name of byName.keys()) {
    if (!known.has(name)) errors.push({ key: 'unknownParam', params: { param: name } });
  }

  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] => {
    const p = byName.get(name);
    if (!p) return fallback;
    const values = valuesOf(p);
    if (!values || values.some((v) => typeof v !== 'string' || !(allowed as readonly string[]).includes(v))) {
      errors.push({ key: 'badParam', params: { param: name } });
      return fallback;
    }
    return values as T[];
  };
  draft.architecture.architectures = pick<Architecture>('architecture', ARCHITECTURES, [ENGINE_DEFAULTS.architecture]);
  draft.architecture.activations = pick<ActivationName>('activation', ACTIVATIONS, [ENGINE_DEFAULTS.activation]);
  draft.architecture.outputActivations = pick<OutputActivationName>('outputActivation', OUTPUT_ACTIVATIONS, [ENGINE_DEFAULTS.outputActivation]);
  const hidden = byName.get('hiddenUnits');
  if (!hidden) draft.architecture.hiddenStacks = [listText(ENGINE_DEFAULTS.hiddenUnits)];
  else {
    const values = valuesOf(hidden);
    if (!values || values.some((v) => !Array.isArray(v))) errors.push({ key: 'badParam', params: { param: 'hiddenUnits' } });
    else draft.architecture.hiddenStacks = values.map(listText);
  }
  const patience = byName.get('earlyStoppingPatience');
  if (patience) {
    if (patience.type === 'fixed') draft.strategy.patience = text(patience.value);
    else errors.push({ key: 'patienceFixed' });
  }
  for (const name of SPACE_PARAMS) {
    const p = byName.get(name);
    draft.rows[name] = p ? rowFromParam(name, p, draft.rows[name], errors) : engineDefaultRow(name, draft.rows[name]);
  }

  // ---- objective ----
  readObjectives(raw, draft, errors);

  // ---- strategy ----
  const st = draft.strategy;
  const sampler = isRecord(raw.sampler) ? raw.sampler : { type: 'tpe' };
  if (sampler.type === 'grid' || sampler.type === 'random' || sampler.type === 'tpe' || sampler.type === 'gp') st.sampler = sampler.type;
  else errors.push({ key: 'badSampler', params: { type: text(sampler.type) } });
  if (sampler.startupTrials !== undefined) st.startupTrials = text(sampler.startupTrials);

  const pruner = isRecord(raw.pruner) ? raw.pruner : enginePruner(raw);
  if (pruner.type === 'nop' || pruner.type === 'median' || pruner.type === 'successiveHalving' || pruner.type === 'hyperband') st.pruner = pruner.type;
  else errors.push({ key: 'badPruner', params: { type: text(pruner.type) } });
  // A pruner without signal compares the reconstruction error: what the engine does with such a spec.
  if (pruner.signal === undefined) st.pruneSignal = pruner.type === 'nop' ? suggestedPruneSignal(draft.objective) : 'reconstruction';
  else if (isOneOf(pruner.signal, PRUNE_SIGNALS)) st.pruneSignal = pruner.signal;
  else errors.push({ key: 'badSignal', params: { signal: typeof pruner.signal === 'string' ? pruner.signal : JSON.stringify(pruner.signal) } });
  st.pruneSignalChosen = st.pruneSignal !== suggestedPruneSignal(draft.objective);
  if (pruner.startupTrials !== undefined) st.medianStartup = text(pruner.startupTrials);
  if (pruner.warmupSteps !== undefined) st.medianWarmup = text(pruner.warmupSteps);
  if (pruner.minResource !== undefined) st.minResource = text(pruner.minResource);
  if (pruner.reductionFactor !== undefined) st.reductionFactor = text(pruner.reductionFactor);

  const budget = isRecord(raw.budget) ? raw.budget : {};
  st.useTrialBudget = budget.trials !== undefined;
  if (budget.trials !== undefined) st.trials = text(budget.trials);
  st.useTimeBudget = budget.seconds !== undefined;
  if (typeof budget.seconds === 'number') st.minutes = String(Number((budget.seconds / 60).toFixed(2)));
  if (raw.seed !== undefined) st.seed = text(raw.seed);
  if (raw.parallel === 'auto' || raw.parallel === undefined) st.parallel = 'auto';
  else {
    st.parallel = 'fixed';
    st.parallelN = text(raw.parallel);
  }

  const enqueue = Array.isArray(raw.enqueue) ? raw.enqueue.filter(isRecord) : [];
  if (enqueue.length) {
    // Hand-picked configurations: the wizard runs them as a manual search.
    st.sampler = 'manual';
    st.manual = enqueue.map((config) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(config)) {
        const p = byName.get(k);
        out[k] = p?.type === 'categorical' ? choiceKey(v as JsonValue) : text(v);
      }
      return out;
    });
    if (budget.trials !== undefined && budget.trials !== enqueue.length) notes.push({ key: 'manualBudget', params: { n: enqueue.length } });
  }
  return errors.length ? { ok: false, errors } : { ok: true, draft, notes };
}
