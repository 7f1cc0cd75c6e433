import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TrialDetail, TrialSummary } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from '../composables/useApiEvent';

/** The trial database as the renderer sees it: the list, and the one trial the user is looking at. */
export const useTrialsStore = defineStore('trials', () => {
  const list = ref<TrialSummary[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<ErrorInfo | null>(null);

  const selectedId = ref<number | null>(null);
  const detail = ref<TrialDetail | null>(null);
  const detailLoading = ref(false);
  const detailError = ref<ErrorInfo | null>(null);

  const sorted = computed(() => [...list.value].sort((a, b) => b.id - a.id));

  let refreshSeq = 0;
  async function refresh(): Promise<void> {
    const seq = ++refreshSeq;
    loading.value = true;
    try {
      const trials = await getApi().invoke('trials.list', {});
      if (seq !== refreshSeq) return; // a newer refresh is in flight
      list.value = trials;
      error.value = null;
      loaded.value = true;
    } catch (err) {
      if (seq === refreshSeq) error.value = toErrorInfo(err);
    } finally {
      if (seq === refreshSeq) loading.value = false;
    }
  }

  let detailSeq = 0;
  async function loadDetail(id: number): Promise<void> {
    const seq = ++detailSeq;
    detailLoading.value = true;
    try {
      const d = await getApi().invoke('trials.get', { trialId: id });
      if (seq !== detailSeq || selectedId.value !== id) return;
      detail.value = d;
      detailError.value = null;
    } catch (err) {
      if (seq === detailSeq) detailError.value = toErrorInfo(err);
    } finally {
      if (seq === detailSeq) detailLoading.value = false;
    }
  }

  async function select(id: number | null): Promise<void> {
    selectedId.value = id;
    detailError.value = null;
    if (id === null) {
      detail.value = null;
      return;
    }
    if (detail.value?.id !== id) detail.value = null;
    await loadDetail(id);
  }

  // The database changes under us while trials run: keep the list and the open trial current.
  useApiEvent('trial.state', (e) => {
    void refresh();
    if (selectedId.value === e.trialId) void loadDetail(e.trialId);
  });
  useApiEvent('trial.epoch', (e) => {
    const d = detail.value;
    if (!d || d.id !== e.trialId || d.epochs.some((m) => m.epoch === e.metrics.epoch)) return;
    d.epochs.push(e.metrics);
    d.epochsDone = Math.max(d.epochsDone, d.epochs.length);
  });

  return { list, sorted, loaded, loading, error, selectedId, detail, detailLoading, detailError, refresh, select };
});
