// The new-study wizard: the whole draft (remembered between sessions), the current step, the dataset preview,
// the spec built from the draft with its local problems, the engine's own check of that spec (study.validate),
// loading a spec from JSON, and starting the study.
import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import { parseAutoencoderStudySpec } from '../../shared/study/autoencoder';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useDatasetOpener } from '../composables/useDatasetOpener';
import { useLatestRequest } from '../composables/useLatestRequest';
import { defaultDraft, defaultStudyName, reviveDraft, STEPS, type StepId, type WizardDraft } from '../components/wizard/draft';
import { estimateSeconds } from '../components/wizard/grid';
import { comparableTrialIds, estimateTrialSeconds, throughputRecords, type ThroughputRecord, type TrialTimeEstimate } from '../../shared/study/trialTime';
import { buildSpec, issuesOf, newManualConfig, type WizardSpec } from '../components/wizard/specBuilder';
import { draftFromSpec, parseSpecText, type LoadProblem } from '../components/wizard/specLoader';
import { featureStudySpec } from '../../shared/study/featureStudy';
import { SAMPLE_DATASET } from '../../shared/study/spec';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';
import { useAppStore } from './app';
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

export interface Estimate {
  trials: number | null;
  /** Seconds per trial from comparable finished trials' throughput (issue 14 defect 2), or none measured yet. */
  perTrial: TrialTimeEstimate;
  workers: number;
  /** The study's wall time, fastest .. slowest (null when nothing comparable has run and no time budget caps it). */
  low: number | null;
  high: number | null;
  /** the time budget caps the study */
  cappedByTime: boolean;
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

function workersFor(draft: WizardDraft, backend: string | undefined): number {
  if (draft.strategy.parallel === 'fixed') {
    const n = Number(draft.strategy.parallelN);
    return Number.isInteger(n) && n >= 1 ? n : 1;
  }
  // 'auto': the engine runs one trainer per core on single-threaded backends, one on tfjs-node
  if (backend === 'tensorflow') return 1;
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1;
  return Math.min(32, Math.max(1, cores || 1));
}

export const useWizardStore = defineStore('wizard', () => {
  const app = useAppStore();
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
      if (downstream && s.pruner === 'median' && s.medianStartup === '5' && s.medianWarmup === '1') s.pruner = 'hyperband';
      else if (!downstream && s.pruner === 'hyperband' && s.minResource === '1' && s.reductionFactor === '3') s.pruner = 'median';
    },
    { flush: 'sync' },
  );

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

  // ---- estimate ----
  // Measured throughput of the finished trials that match the planned architectures (any study, any folder):
  // fetched when the planned architectures change; the estimate below is pure.
  const throughput = ref<ThroughputRecord[]>([]);
  let throughputFor = '';
  async function loadThroughput(): Promise<void> {
    const archs = [...draft.architecture.architectures];
    const key = archs.join(',');
    throughputFor = key;
    await trials.refresh();
    const ids = comparableTrialIds(trials.list, archs);
    try {
      const curves = ids.length ? await getApi().invoke('trials.curves', { trialIds: ids }) : [];
      if (throughputFor === key) throughput.value = throughputRecords(trials.list, curves);
    } catch {
      if (throughputFor === key) throughput.value = []; // the estimate then says none is measured yet
    }
  }

  // A short speed measurement of the architectures nothing comparable has measured yet (estimate.calibrate):
  // kept for this session, beside the finished trials' throughput (which wins where both exist).
  const calibrated = ref<ThroughputRecord[]>([]);
  const calibrating = ref(false);
  const calibrateError = ref<ErrorInfo | null>(null);
  async function calibrate(): Promise<void> {
    const perTrial = estimate.value.perTrial;
    const architectures = perTrial.kind === 'none' && perTrial.missing.length ? [...perTrial.missing] : [...draft.architecture.architectures];
    const imageSize = Number(draft.dataset.imageSize) || 28;
    const channels = draft.dataset.channels;
    calibrating.value = true;
    calibrateError.value = null;
    try {
      const r = await getApi().invoke('estimate.calibrate', { architectures, imageSize, channels });
      const fresh = architectures.map((architecture, i) => ({ architecture, imageSize, channels, backend: r.backend, samplesPerSec: r.samplesPerSec[i], calibration: true }));
      const replaced = (x: ThroughputRecord): boolean => fresh.some((f) => f.architecture === x.architecture && f.imageSize === x.imageSize && f.channels === x.channels && f.backend === x.backend);
      calibrated.value = [...calibrated.value.filter((x) => !replaced(x)), ...fresh];
    } catch (err) {
      calibrateError.value = toErrorInfo(err);
    } finally {
      calibrating.value = false;
    }
  }

  function epochRange(): { min: number; max: number } {
    const p = build.value.params.find((x) => x.name === 'epochs');
    if (!p) return { min: 10, max: 10 };
    if (p.type === 'fixed') return { min: Number(p.value) || 10, max: Number(p.value) || 10 };
    if (p.type === 'categorical') {
      const e = p.choices.map((c) => Number(c) || 1);
      return { min: Math.max(1, Math.min(...e)), max: Math.max(1, ...e) };
    }
    return { min: Math.max(1, p.low), max: Math.max(1, p.high) };
  }

  const estimate = computed<Estimate>(() => {
    const s = spec.value;
    const epochs = epochRange();
    const images = summary.value?.imageCount ?? (draft.dataset.source === 'sample' ? 10000 : 5000);
    const trainImages = images * Math.max(0.1, 1 - s.dataset.valFraction - s.dataset.testFraction);
    const perTrial = estimateTrialSeconds(
      {
        architectures: draft.architecture.architectures,
        imageSize: Number(draft.dataset.imageSize) || 28,
        channels: draft.dataset.channels,
        backend: app.info?.backend ?? null,
        trainImages,
        minEpochs: epochs.min,
        maxEpochs: epochs.max,
      },
      [...throughput.value, ...calibrated.value],
    );
    let count: number | null = s.budget.trials ?? null;
    if (draft.strategy.sampler === 'grid' && build.value.grid.ok) count = Math.min(build.value.grid.total, count ?? Infinity);
    const workers = workersFor(draft, app.info?.backend);
    const budgetSeconds = s.budget.seconds;
    const total = (secondsPerTrial: number): number =>
      count === null ? (budgetSeconds ?? 0) : estimateSeconds({ trials: count, secondsPerTrial, workers, budgetSeconds });
    const measured = perTrial.kind === 'measured';
    const uncappedHigh = measured && count !== null ? estimateSeconds({ trials: count, secondsPerTrial: perTrial.high, workers }) : null;
    return {
      trials: count,
      perTrial,
      workers,
      low: measured ? total(perTrial.low) : count === null ? (budgetSeconds ?? null) : null,
      high: measured ? total(perTrial.high) : count === null ? (budgetSeconds ?? null) : null,
      cappedByTime: budgetSeconds !== undefined && (count === null || (uncappedHigh !== null && uncappedHigh > budgetSeconds)),
    };
  });

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
