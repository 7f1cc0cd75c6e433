// The open study as the analytics cards read it, derived once per reload of the study.
import { computed, type ComputedRef } from 'vue';
import type { Direction } from '../../../shared/study/objectives';
import { paramAxes } from '../../../shared/analytics/params';
import { pruneViewOf } from '../../../shared/study/pruneView';
import { useOpenStudyStore } from '../../stores/openStudy';
import type { StudyContext } from './types';

export function useStudyContext(): ComputedRef<StudyContext | null> {
  const study = useOpenStudyStore();
  const axes = computed(() => (study.detail ? paramAxes(study.detail.spec, study.detail.trials) : []));
  const prune = computed(() => pruneViewOf(study.detail?.spec));
  return computed(() => {
    const d = study.detail;
    if (!d) return null;
    const directions: Direction[] = d.directions.length ? d.directions : ['minimize'];
    return {
      trials: d.trials,
      axes: axes.value,
      directions,
      objectives: d.objectives.length ? d.objectives : ['value'],
      objectiveIndex: 0,
      prune: prune.value,
    };
  });
}
