// The new-study wizard: the whole draft (remembered between sessions), the current step, the dataset preview,
// the spec built from the draft with its local problems, the engine's own check of that spec (study.validate),
// loading a spec from JSON, and starting the study.
import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import { parseAutoencoderStudySpec } from '../../shared/study/autoencoder';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useDatasetOpener } from '../composables/useDatasetOpener';
import { useWizardEstimate } from '../composables/useWizardEstimate';
import { useLatestRequest } from '../composables/useLatestRequest';
import { defaultDraft, defaultStudyName, primaryIsDownstream, reviveDraft, STEPS, suggestedPruneSignal, type StepId, type WizardDraft } from '../components/wizard/draft';
import { buildSpec, issuesOf, newManualConfig, type WizardSpec } from '../components/wizard/specBuilder';
import { draftFromSpec, parseSpecText, type LoadProblem } from '../components/wizard/specLoader';
import { featureStudySpec } from '../../shared/study/featureStudy';
import type { PruneSignal } from '../../shared/study/prunerConfig';
import { SAMPLE_DATASET } from '../../shared/study/spec';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';
import { useTrialsStore } from './trials';
import { useUiStore } from './ui';

const DRAFT_VERSION = 1;

/** A plain copy of the built spec (no reactive proxies) for the contract. */
const plainSpec = (json: string): WizardSpec => JSON.parse(json) as WizardSpec;

export interface RemoteCheck {
  /** the spec JSON that was checked */
  json: string;
  ok: boolean;
  errors: string[];
  gridSize: number | null;
}

function initialDraft(): WizardDraft {
  const stored = readStored(STORAGE_KEYS.lastSpec);
  if (stored) {
    try {
      const parsed = JSON.parse(stored) as { version?: unknown; draft?: unknown };
      if (parsed.version === DRAFT_VERSION) return reviveDraft(parsed.draft);
    } catch {
      // a broken entry: start fresh
    }
  }
  const draft = defaultDraft();
  const lastFolder = readStored(STORAGE_KEYS.lastFolder);
  if (lastFolder) {
    draft.dataset.source = 'folder';
    draft.dataset.folder = lastFolder;
  }
  return draft;
}

export const useWizardStore = defineStore('wizard', () => {
  const ui = useUiStore();
  const trials = useTrialsStore();

  const draft = reactive<WizardDraft>(initialDraft());
  const stepIndex = ref(0);
  const step = computed<StepId>(() => STEPS[stepIndex.value]);
  /** Steps the user tried to leave with problems: their "required" errors show from then on. */
  const attempted = reactive<Record<string, boolean>>({});

  // ---- dataset preview ----
  const opener = useDatasetOpener();
  const { summary, opening, progress, error: datasetError } = opener;
  /** The real folder of the sample dataset (the spec says 'sample:mnist'). */
  const samplePath = ref<string | null>(null);

  /** The previewed dataset no longer matches the draft (other folder, size or colour). */
  const previewStale = computed(() => {
    const s = summary.value;
    if (!s) return false;
    const path = draft.dataset.source === 'sample' ? samplePath.value : draft.dataset.folder.trim();
    return s.path !== path || String(s.width) !== draft.dataset.imageSize.trim() || s.channels !== draft.dataset.channels;
  });

  /** Whether the opened dataset has class labels (null until a current preview says so). */
  const labeled = computed<boolean | null>(() => (summary.value && !previewStale.value ? summary.value.labeled : null));

  // ---- the spec ----
  const build = computed(() => buildSpec(draft, { labeled: labeled.value }));
  const spec = computed<WizardSpec>(() => build.value.spec);
  const specJson = computed(() => JSON.stringify(spec.value, null, 2));
  const issues = computed(() => build.value.issues);
  const stepIssues = computed(() => Object.fromEntries(STEPS.map((s) => [s, issuesOf(issues.value, s)])) as Record<StepId, ReturnType<typeof issuesOf>>);

  // ---- remembered between sessions ----
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  watch(
    draft,
    () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => writeStored(STORAGE_KEYS.lastSpec, JSON.stringify({ version: DRAFT_VERSION, draft })), 300);
    },
    { deep: true },
  );

  // ---- the pruner follows the objective ----
  /** True while a loaded spec or a template replaces the draft: its pruner is kept as written. */
  let replacingDraft = false;
  // As the engine's default (shared/study/spec.ts defaultPruner): Hyperband for a downstream objective, whose
  // features need longer training, the median pruner for reconstruction only. Only while the pruner is still
  // one of those defaults with its default settings: a pruner the user set stays.
  watch(
    () => draft.objective.kind,
    (kind) => {
      const s = draft.strategy;
      if (replacingDraft) return;
      const downstream = kind !== 'reconstruction';
      const d = defaultDraft().strategy;
      if (downstream && s.pruner === 'median' && s.medianStartup === d.medianStartup && s.medianWarmup === d.medianWarmup) s.pruner = 'hyperband';
      else if (!downstream && s.pruner === 'hyperband' && s.minResource === d.minResource && s.reductionFactor === d.reductionFactor) s.pruner = 'median';
    },
    { flush: 'sync' },
  );
  // What the pruner compares follows the primary objective too: the downstream objective itself when it is one
  // (reconstruction error is a poor proxy for feature quality), unless the user picked the reconstruction error;
  // the reconstruction error when the primary objective is reconstruction (there is nothing else to compare).
  watch(
    () => suggestedPruneSignal(draft.objective),
    (suggested) => {
      const s = draft.strategy;
      if (replacingDraft) return;
      if (suggested === 'reconstruction') s.pruneSignal = 'reconstruction';
      else if (!s.pruneSignalChosen) s.pruneSignal = 'downstream';
    },
    { flush: 'sync' },
  );

  /** The user's pick of what the pruner compares; it stops following the objective when it differs from the suggestion. */
  function setPruneSignal(signal: PruneSignal): void {
    if (signal === 'downstream' && !primaryIsDownstream(draft.objective)) return;
    draft.strategy.pruneSignal = signal;
    draft.strategy.pruneSignalChosen = signal !== suggestedPruneSignal(draft.objective);
  }

  /** Replaces the draft's contents (a loaded spec, a template) without the pruner following the objective. */
  function replaceDraft(...parts: Partial<WizardDraft>[]): void {
    replacingDraft = true;
    try {
      Object.assign(draft, ...parts);
    } finally {
      replacingDraft = false;
    }
  }

  // ---- navigation ----
  function goTo(index: number): void {
    if (index >= 0 && index < STEPS.length) stepIndex.value = index;
  }
  /** Next step, unless this one has problems (then they are shown and the first is focused by the page). */
  function next(): boolean {
    if (stepIssues.value[step.value].length) {
      attempted[step.value] = true;
      return false;
    }
    goTo(stepIndex.value + 1);
    return true;
  }
  function back(): void {
    goTo(stepIndex.value - 1);
  }

  async function openPreview(): Promise<void> {
    const size = Number(draft.dataset.imageSize);
    if (!Number.isInteger(size) || size < 4 || size > 256) {
      attempted.dataset = true;
      return;
    }
    const opened = await opener.open(async () => {
      let path = draft.dataset.folder.trim();
      if (draft.dataset.source === 'sample') {
        samplePath.value = (await getApi().invoke('dataset.useSample', {})).path;
        path = samplePath.value;
      } else if (!path) {
        attempted.dataset = true;
        return null;
      }
      return getApi().invoke('dataset.open', { path, imageSize: size, channels: draft.dataset.channels });
    });
    if (opened && draft.dataset.source === 'folder') {
      draft.dataset.folder = opened.path;
      writeStored(STORAGE_KEYS.lastFolder, opened.path);
    }
  }

  async function useSample(): Promise<void> {
    draft.dataset.source = 'sample';
    await openPreview();
  }

  // ---- the engine's check ----
  const validation = useLatestRequest(
    async (json: string): Promise<RemoteCheck | null> => ({ json, ...(await getApi().invoke('study.validate', { spec: plainSpec(json) })) }),
    null,
  );
  const remote = validation.data;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;

  async function validateNow(): Promise<RemoteCheck | null> {
    if (issues.value.length) return null;
    const json = JSON.stringify(spec.value);
    if (remote.value?.json !== json) await validation.run(json);
    return remote.value;
  }

  /** The engine checks the spec a moment after the draft stops changing (from the search-space step on). */
  watch([() => JSON.stringify(spec.value), () => issues.value.length, stepIndex], () => {
    if (validateTimer) clearTimeout(validateTimer);
    if (stepIndex.value < 2 || issues.value.length) return;
    validateTimer = setTimeout(() => void validateNow(), 400);
  });
  const remoteCurrent = computed(() => (remote.value && remote.value.json === JSON.stringify(spec.value) ? remote.value : null));

  // ---- estimate (composables/useWizardEstimate.ts) ----
  const { estimate, calibrate, calibrating, calibrateError, loadThroughput } = useWizardEstimate({ draft, build, spec, summary });

  // ---- manual configurations ----
  function addManualConfig(): void {
    draft.strategy.manual.push(newManualConfig(build.value.params));
  }
  function removeManualConfig(index: number): void {
    draft.strategy.manual.splice(index, 1);
  }

  // ---- load a spec ----
  const loadErrors = ref<LoadProblem[]>([]);
  const loadNotes = ref<LoadProblem[]>([]);
  const loadEngineErrors = ref<string[]>([]);

  /** Replaces the draft with a spec from JSON text; the wizard shows what it could not take over. */
  async function loadText(textIn: string): Promise<boolean> {
    loadErrors.value = [];
    loadNotes.value = [];
    loadEngineErrors.value = [];
    const parsed = parseSpecText(textIn);
    if (!parsed.ok) {
      loadErrors.value = parsed.errors;
      return false;
    }
    // The shape is checked here with the engine's own parser (same messages); the rest by the engine.
    const local = parseAutoencoderStudySpec(parsed.value);
    if (!local.ok) loadEngineErrors.value = local.errors;
    else {
      try {
        const r = await getApi().invoke('study.validate', { spec: local.spec });
        if (!r.ok) loadEngineErrors.value = r.errors;
      } catch (err) {
        loadEngineErrors.value = [toErrorInfo(err).message];
      }
    }
    const result = draftFromSpec(parsed.value);
    if (!result.ok) {
      loadErrors.value = result.errors;
      return false;
    }
    replaceDraft(result.draft);
    loadNotes.value = result.notes;
    summary.value = null;
    return true;
  }

  /** Default time budget of the feature-learner template when the draft has none (REFERENCE's 40-minute study). */
  const FEATURE_TEMPLATE_MINUTES = 40;

  /**
   * The feature-learner template (shared/study/featureStudy.ts): conv autoencoders with batch normalisation,
   * widths and depths, denoising and code dropout, judged by the logistic probe's validation accuracy, with TPE
   * and Hyperband, and a test split for the verdict against raw pixels and PCA. The name, the dataset and the
   * time budget stay; model, search space, objective and strategy are replaced.
   */
  function applyFeatureTemplate(): boolean {
    const ds = draft.dataset;
    const minutes = Number(draft.strategy.minutes);
    const size = Number(ds.imageSize);
    const test = Number(ds.testFraction);
    const seed = Number(draft.strategy.seed);
    const spec = featureStudySpec({
      name: draft.name,
      datasetPath: ds.source === 'sample' ? SAMPLE_DATASET : ds.folder.trim(),
      seconds: (draft.strategy.useTimeBudget && minutes > 0 ? minutes : FEATURE_TEMPLATE_MINUTES) * 60,
      ...(Number.isInteger(size) && size > 0 ? { imageSize: size } : {}),
      channels: ds.channels,
      // A verdict on test needs a test split: the user's, or the template's.
      ...(test > 0 && test < 1 ? { testFraction: test } : {}),
      ...(Number.isInteger(seed) && seed >= 0 ? { seed } : {}),
    });
    const result = draftFromSpec(spec);
    loadEngineErrors.value = [];
    if (!result.ok) {
      loadErrors.value = result.errors;
      return false;
    }
    const kept = { name: draft.name, dataset: { ...draft.dataset, testFraction: result.draft.dataset.testFraction } };
    replaceDraft(result.draft, kept);
    loadErrors.value = [];
    loadNotes.value = result.notes;
    return true;
  }

  // ---- start ----
  const starting = ref(false);
  const startError = ref<ErrorInfo | null>(null);
  const started = ref<string | null>(null);

  async function start(): Promise<string | null> {
    if (starting.value) return null;
    if (issues.value.length) {
      for (const s of STEPS) if (stepIssues.value[s].length) attempted[s] = true;
      return null;
    }
    starting.value = true;
    startError.value = null;
    try {
      const check = await validateNow();
      if (check && !check.ok) return null;
      const { name } = await getApi().invoke('study.start', { spec: plainSpec(JSON.stringify(spec.value)) });
      started.value = name;
      // the next study gets a fresh name
      const fresh = defaultStudyName();
      draft.name = fresh === name ? `${fresh}-2` : fresh;
      ui.openStudy(name);
      return name;
    } catch (err) {
      startError.value = toErrorInfo(err);
      return null;
    } finally {
      starting.value = false;
    }
  }

  function reset(): void {
    replaceDraft(defaultDraft());
    stepIndex.value = 0;
    summary.value = null;
    remote.value = null;
    startError.value = null;
    loadErrors.value = [];
    loadNotes.value = [];
    loadEngineErrors.value = [];
    for (const k of Object.keys(attempted)) delete attempted[k];
  }

  return {
    draft,
    stepIndex,
    step,
    attempted,
    build,
    spec,
    specJson,
    issues,
    stepIssues,
    goTo,
    next,
    back,
    summary,
    opening,
    progress,
    datasetError,
    samplePath,
    previewStale,
    labeled,
    openPreview,
    useSample,
    remote: remoteCurrent,
    validating: validation.loading,
    remoteError: validation.error,
    validateNow,
    estimate,
    calibrate,
    calibrating,
    calibrateError,
    loadThroughput,
    setPruneSignal,
    addManualConfig,
    removeManualConfig,
    loadErrors,
    loadNotes,
    loadEngineErrors,
    loadText,
    applyFeatureTemplate,
    starting,
    startError,
    started,
    start,
    reset,
    refreshTrials: () => trials.refresh(),
  };
});
