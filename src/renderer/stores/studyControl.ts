import { defineStore } from 'pinia';
import { ref } from 'vue';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { useOpenStudyStore } from './openStudy';
import { useStudyListStore } from './studyList';

export type StudyAction = 'pause' | 'cancel' | 'resume';

/** Pause, cancel and resume of the open study. */
export const useStudyControlStore = defineStore('studyControl', () => {
  const open = useOpenStudyStore();
  const list = useStudyListStore();

  const acting = ref<StudyAction | null>(null);
  /** The study asked to pause: its running trials are finishing and no new one starts. */
  const pausing = ref<string | null>(null);
  const error = ref<ErrorInfo | null>(null);

  useApiEvent('study.progress', (p) => {
    if (p.state !== 'running' && pausing.value === p.studyName) pausing.value = null;
  });

  async function act(kind: StudyAction): Promise<void> {
    const studyName = open.name;
    if (!studyName || acting.value) return;
    acting.value = kind;
    error.value = null;
    try {
      if (kind === 'resume') await getApi().invoke('study.resume', { name: studyName });
      else {
        const { cancelled } = await getApi().invoke('study.cancel', { name: studyName, when: kind === 'pause' ? 'afterRunning' : 'now' });
        if (kind === 'pause' && cancelled) pausing.value = studyName;
      }
    } catch (err) {
      error.value = toErrorInfo(err);
    } finally {
      acting.value = null;
      await open.load();
      void list.refresh();
    }
  }

  return { acting, pausing, error, pause: () => act('pause'), cancel: () => act('cancel'), resume: () => act('resume') };
});
