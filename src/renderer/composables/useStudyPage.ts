import { computed, watch, type ComputedRef } from 'vue';
import { useOpenStudyStore } from '../stores/openStudy';
import { useUiStore } from '../stores/ui';

/**
 * The study a study page shows (its `name` prop, else the one the navigation opened, else the open one),
 * opened in the open-study store whenever it changes.
 */
export function useStudyPage(nameProp: () => string | null | undefined): ComputedRef<string | null> {
  const ui = useUiStore();
  const study = useOpenStudyStore();
  const name = computed(() => nameProp() ?? ui.studyName ?? study.name);
  watch(
    name,
    (n) => {
      if (n) void study.open(n);
    },
    { immediate: true },
  );
  return name;
}
