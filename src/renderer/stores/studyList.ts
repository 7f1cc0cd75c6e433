import { defineStore } from 'pinia';
import { onScopeDispose } from 'vue';
import type { StudySummary } from '../../shared/dto';
import { getApi } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { useLatestRequest } from '../composables/useLatestRequest';
import { throttle } from '../lib/analytics/batching';

/** The studies in the database, newest first as the engine lists them; kept current while studies run. */
export const useStudyListStore = defineStore('studyList', () => {
  const request = useLatestRequest(() => getApi().invoke('studies.list', {}), [] as StudySummary[]);
  const refresh = (): Promise<boolean> => request.run();

  // Progress events arrive per trial: refresh at most every 1.5 s.
  const refreshSoon = throttle(() => void refresh(), 1500);
  onScopeDispose(refreshSoon.cancel);
  useApiEvent('study.progress', () => refreshSoon());

  return { studies: request.data, loaded: request.loaded, loading: request.loading, error: request.error, refresh };
});
