import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TrialDetail, TrialSummary } from '../../shared/dto';
import { getApi } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { useLatestRequest } from '../composables/useLatestRequest';

/** The trial database as the renderer sees it: the list, and the one trial the user is looking at. */
export const useTrialsStore = defineStore('trials', () => {
  const listRequest = useLatestRequest(() => getApi().invoke('trials.list', {}), [] as TrialSummary[]);
  const list = listRequest.data;
  const sorted = computed(() => [...list.value].sort((a, b) => b.id - a.id));
  const refresh = (): Promise<boolean> => listRequest.run();

  const selectedId = ref<number | null>(null);
  const detailRequest = useLatestRequest(
    (trialId: number): Promise<TrialDetail | null> => getApi().invoke('trials.get', { trialId }),
    null,
  );
  const detail = detailRequest.data;

  async function select(id: number | null): Promise<void> {
    if (id !== selectedId.value) detailRequest.cancel();
    selectedId.value = id;
    detailRequest.error.value = null;
    if (id === null) {
      detail.value = null;
      return;
    }
    if (detail.value?.id !== id) detail.value = null;
    await detailRequest.run(id);
  }

  // The database changes under us while trials run: keep the list and the open trial current.
  useApiEvent('trial.state', (e) => {
    void refresh();
    if (selectedId.value === e.trialId) void detailRequest.run(e.trialId);
  });
  useApiEvent('trial.epoch', (e) => {
    const d = detail.value;
    if (!d || d.id !== e.trialId || d.epochs.some((m) => m.epoch === e.metrics.epoch)) return;
    const epochs = [...d.epochs, e.metrics];
    detail.value = { ...d, epochs, epochsDone: Math.max(d.epochsDone, epochs.length) };
  });

  /** A trial's note and tags as stored (trials.annotate's answer): the open detail shows them from now on. */
  function annotated(trialId: number, stored: { note: string; tags: string[] }): void {
    const d = detail.value;
    if (d && d.id === trialId) detail.value = { ...d, note: stored.note, tags: stored.tags };
  }

  return {
    list,
    sorted,
    loaded: listRequest.loaded,
    loading: listRequest.loading,
    error: listRequest.error,
    selectedId,
    detail,
    detailLoading: detailRequest.loading,
    detailError: detailRequest.error,
    refresh,
    select,
    annotated,
  };
});
