import { defineStore } from 'pinia';
import { computed, markRaw, onScopeDispose, ref } from 'vue';
import type { StudyDetail } from '../../shared/dto';
import { getApi } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { useLatestRequest } from '../composables/useLatestRequest';
import { throttle } from '../lib/analytics/batching';

/** The study the dashboard and analytics show: its summary, spec and trials, reloaded as trials change. */
export const useOpenStudyStore = defineStore('openStudy', () => {
  const name = ref<string | null>(null);
  const request = useLatestRequest(
    async (studyName: string): Promise<StudyDetail | null> => markRaw(await getApi().invoke('studies.get', { name: studyName })),
    null,
  );
  const detail = request.data;

  async function load(): Promise<void> {
    if (name.value) await request.run(name.value);
  }

  /** Opens a study (reloads it when it is already the open one). */
  async function open(studyName: string): Promise<void> {
    if (name.value !== studyName || detail.value?.name !== studyName) {
      request.cancel();
      name.value = studyName;
      detail.value = null;
      request.error.value = null;
    }
    await load();
  }

  const trials = computed(() => detail.value?.trials ?? []);
  const trialIds = computed(() => new Set(trials.value.map((t) => t.id)));

  // A trial that changed state changes the study's counts, best value and table: reload, at most every 0.7 s.
  const reloadSoon = throttle(() => void load(), 700);
  onScopeDispose(reloadSoon.cancel);
  useApiEvent('trial.state', () => {
    if (name.value) reloadSoon();
  });
  useApiEvent('study.progress', (p) => {
    if (p.studyName === name.value) reloadSoon();
  });

  return { name, detail, loading: request.loading, error: request.error, load, open, trials, trialIds };
});
