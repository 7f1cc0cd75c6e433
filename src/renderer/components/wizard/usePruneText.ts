// What the wizard's pruner compares, in words: the primary objective's name and direction (the "Prune on"
// choice) and the review step's sentence. Read back from the built spec, so it says what the engine will do.
import { computed, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { Objective, objectiveDirection } from '../../../shared/study/objectives';
import { useWizardStore } from '../../stores/wizard';

export function usePruneText(): { objective: ComputedRef<string>; direction: ComputedRef<string>; sentence: ComputedRef<string | null> } {
  const wizard = useWizardStore();
  const { t } = useI18n();
  const primary = computed(() => Objective.safeParse(wizard.spec.objectives[wizard.spec.primaryObjective]).data ?? null);
  const objective = computed(() => {
    const o = primary.value;
    if (!o) return '';
    return o.name === 'weighted' ? t('wizard.strategy.signal.weighted') : t(`wizard.objective.metrics.${o.name}`);
  });
  const direction = computed(() => t(primary.value && objectiveDirection(primary.value) === 'maximize' ? 'wizard.strategy.signal.higher' : 'wizard.strategy.signal.lower'));
  const sentence = computed(() => {
    const p = wizard.spec.pruner;
    if (p.type === 'nop') return null;
    const signal = p.signal ?? 'reconstruction';
    return t(`wizard.review.pruneOn.${signal}`, { pruner: t(`wizard.strategy.pruners.${p.type}.title`), objective: objective.value, direction: direction.value });
  });
  return { objective, direction, sentence };
}
