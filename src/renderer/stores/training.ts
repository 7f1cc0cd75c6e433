import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import type { DatasetProgress, EpochMetrics, TrialProgress, TrialState } from '../../shared/dto';
import { DEFAULT_PARAMS, MANUAL_STUDY, type AutoencoderParams } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { formMessages } from '../lib/formMessages';
import { isFinishedTrial } from '../../shared/trialStates';
import { formFromParams, validateParamsForm, type ParamsForm } from '../lib/paramsForm';
import { useDatasetStore } from './dataset';
import { useTrialsStore } from './trials';

export interface LiveTrial {
  trialId: number;
  state: TrialState | null;
  reason: string | null;
  backend: string | null;
  epochs: EpochMetrics[];
  /** Epochs requested when this window started the trial (null for trials started elsewhere). */
  epochsPlanned: number | null;
  progress: TrialProgress | null;
  /** Dataset loading inside the trainer, before the first batch. */
  dataProgress: DatasetProgress | null;
}

/** The model & training form, and the live view of the trial it started. */
export const useTrainingStore = defineStore('training', () => {
  const dataset = useDatasetStore();
  const trials = useTrialsStore();

  const form = reactive<ParamsForm>(formFromParams(DEFAULT_PARAMS));
  /** Image size and channels always come from the opened dataset. */
  const dataShape = computed(() => ({
    imageSize: dataset.summary?.width ?? dataset.imageSize,
    channels: dataset.summary?.channels ?? dataset.channels,
  }));
  const validation = computed(() => validateParamsForm(form, dataShape.value, formMessages()));

  const starting = ref(false);
  const startError = ref<ErrorInfo | null>(null);
  const cancelling = ref(false);
  const cancelError = ref<ErrorInfo | null>(null);

  // Events may arrive before training.start resolves, so collect them per trial and pick the live one.
  const byTrial = reactive<Record<number, LiveTrial>>({});
  const liveTrialId = ref<number | null>(null);
  const live = computed<LiveTrial | null>(() => (liveTrialId.value === null ? null : (byTrial[liveTrialId.value] ?? null)));
  const running = computed(() => live.value !== null && !isFinishedTrial(live.value.state));

  function entry(trialId: number): LiveTrial {
    if (!byTrial[trialId]) {
      byTrial[trialId] = {
        trialId,
        state: null,
        reason: null,
        backend: null,
        epochs: [],
        epochsPlanned: null,
        progress: null,
        dataProgress: null,
      };
    }
    return byTrial[trialId];
  }

  /** The form set to a trial's configuration (Train again): every field, the hidden ones too. */
  function loadParams(p: AutoencoderParams): void {
    Object.assign(form, formFromParams(p));
  }

  function resetForm(): void {
    loadParams(DEFAULT_PARAMS);
  }

  async function start(): Promise<void> {
    const params = validation.value.params;
    const summary = dataset.summary;
    if (!params || !summary || starting.value || running.value) return;
    starting.value = true;
    startError.value = null;
    cancelError.value = null;
    try {
      const { trialId } = await getApi().invoke('training.start', { datasetPath: summary.path, params });
      const e = entry(trialId);
      e.epochsPlanned = params.epochs;
      if (e.state === null) e.state = 'WAITING';
      liveTrialId.value = trialId;
      void trials.refresh();
    } catch (err) {
      startError.value = toErrorInfo(err);
    } finally {
      starting.value = false;
    }
  }

  async function cancel(): Promise<void> {
    const id = liveTrialId.value;
    if (id === null || !running.value) return;
    cancelling.value = true;
    cancelError.value = null;
    try {
      await getApi().invoke('training.cancel', { trialId: id });
    } catch (err) {
      cancelError.value = toErrorInfo(err);
    } finally {
      cancelling.value = false;
    }
  }

  /** The database is the truth (after a trial ends, or when adopting a running one): merge its epochs in. */
  async function reconcile(trialId: number): Promise<void> {
    try {
      const d = await getApi().invoke('trials.get', { trialId });
      const e = entry(trialId);
      const byEpoch = new Map(d.epochs.map((m) => [m.epoch, m] as const));
      for (const m of e.epochs) if (!byEpoch.has(m.epoch)) byEpoch.set(m.epoch, m); // streamed after the read
      e.epochs = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
      if (!e.backend) e.backend = d.backend;
      if (isFinishedTrial(d.state)) {
        e.state = d.state;
        e.reason = d.failReason ?? e.reason;
      }
    } catch {
      // keep what was streamed
    }
  }

  // A manual trial that is already running when the window opens (page reload, started from another window)
  // is followed live too: adopt it from the trial list. A study's trials are the study dashboard's, not this
  // page's (the side navigation would show their epochs as this page's run).
  watch(
    () => trials.list,
    (list) => {
      if (running.value) return;
      const active = list.filter((t) => t.studyName === MANUAL_STUDY && !isFinishedTrial(t.state)).sort((a, b) => b.id - a.id)[0];
      if (!active || active.id === liveTrialId.value) return;
      const e = entry(active.id);
      if (e.state === null) e.state = active.state;
      // Unknown (null) for a configuration this version cannot read: no progress fraction is made up.
      e.epochsPlanned = active.params?.epochs ?? null;
      if (!e.backend) e.backend = active.backend;
      liveTrialId.value = active.id;
      void reconcile(active.id);
    },
  );

  useApiEvent('trial.state', (p) => {
    const e = entry(p.trialId);
    e.state = p.state;
    e.reason = p.reason;
    if (p.backend) e.backend = p.backend;
    if (isFinishedTrial(p.state)) void reconcile(p.trialId);
  });
  useApiEvent('trial.epoch', (p) => {
    const e = entry(p.trialId);
    const at = e.epochs.findIndex((m) => m.epoch === p.metrics.epoch);
    if (at >= 0) e.epochs[at] = p.metrics;
    else e.epochs.push(p.metrics);
    if (e.state === null || e.state === 'WAITING') e.state = 'RUNNING';
  });
  useApiEvent('trial.progress', (p) => {
    const e = entry(p.trialId);
    e.progress = p;
    e.dataProgress = null;
    if (e.state === null || e.state === 'WAITING') e.state = 'RUNNING';
  });
  useApiEvent('dataset.progress', (p) => {
    const e = live.value;
    if (e && !isFinishedTrial(e.state) && !e.progress) e.dataProgress = p;
  });

  return {
    form,
    dataShape,
    validation,
    starting,
    startError,
    cancelling,
    cancelError,
    liveTrialId,
    live,
    running,
    start,
    cancel,
    resetForm,
    loadParams,
  };
});
