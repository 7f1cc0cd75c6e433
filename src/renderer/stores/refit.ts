import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useOpenStudyStore } from './openStudy';

/** A refit this window asked for, until the study's detail lists it. */
export interface StartedRefit {
  study: string;
  trialId: number;
  of: number;
  epochs: number;
}

/**
 * Refit for export (study.refit): the open study's chosen configuration trained again on its training +
 * validation images. Its live epochs and state come from the live-trials store (trial.* events like any trial);
 * this store only starts and cancels, and keeps each call's error for the study it happened on.
 */
export const useRefitStore = defineStore('refit', () => {
  const open = useOpenStudyStore();

  const starting = ref(false);
  const cancelling = ref<number | null>(null);
  const error = ref<{ study: string; info: ErrorInfo } | null>(null);
  /** Set when training.cancel found nothing to stop (the refit had just ended). */
  const notCancelled = ref<number | null>(null);
  const started = ref<StartedRefit | null>(null);

  // An error belongs to the study it happened on.
  watch(
    () => open.name,
    () => {
      error.value = null;
      notCancelled.value = null;
    },
  );

  async function start(study: string, trialNumber: number, epochs: number): Promise<void> {
    if (starting.value) return;
    starting.value = true;
    error.value = null;
    notCancelled.value = null;
    try {
      const { trialId } = await getApi().invoke('study.refit', { name: study, trialNumber, epochs });
      started.value = { study, trialId, of: trialNumber, epochs };
    } catch (err) {
      error.value = { study, info: toErrorInfo(err) };
    } finally {
      starting.value = false;
      if (open.name === study) await open.load();
    }
  }

  async function cancel(study: string, trialId: number): Promise<void> {
    if (cancelling.value !== null) return;
    cancelling.value = trialId;
    error.value = null;
    notCancelled.value = null;
    try {
      const { cancelled } = await getApi().invoke('training.cancel', { trialId });
      if (!cancelled) notCancelled.value = trialId;
    } catch (err) {
      error.value = { study, info: toErrorInfo(err) };
    } finally {
      cancelling.value = null;
      if (open.name === study) await open.load();
    }
  }

  return { starting, cancelling, error, notCancelled, started, start, cancel };
});
