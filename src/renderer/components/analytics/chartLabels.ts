// The translated texts the chart option builders draw (axis names, legends, tooltips), recomputed when the
// language changes. The builders themselves stay pure and default to English.
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { metricBase } from '../../lib/analytics/metrics';
import type { CompareLabels } from '../charts/compareChartOption';
import type { HistoryLabels } from '../charts/historyChartOption';
import type { ImportanceLabels } from '../charts/importanceChartOption';
import type { IntermediateLabels } from '../charts/intermediateChartOption';
import type { ParallelLabels } from '../charts/parallelChartOption';
import type { ParetoLabels } from '../charts/paretoChartOption';
import type { SliceLabels } from '../charts/sliceChartOption';
import type { TradeoffLabels } from '../charts/tradeoffChartOption';

/** "val_f1_macro" -> "F1 (macro)" in the current language; unknown names are shown as they are. */
/** A parameter's name in the UI language (学习率 for learningRate); unknown names as they are. */
export function useParamLabel(): (name: string) => string {
  const { t, te } = useI18n();
  return (name: string) => (te(`space.params.${name}.label`) ? t(`space.params.${name}.label`) : name);
}

export function useMetricLabel(): (name: string) => string {
  const { t, te } = useI18n();
  return (name: string) => {
    // The engine's label of a reconstruction objective (shared/study/objectives.ts objectiveLabel).
    const recon = /^val reconstruction \((\w+)\)$/.exec(name);
    if (recon) return t('analytics.metrics.reconObjective', { loss: recon[1] });
    const key = `analytics.metrics.names.${metricBase(name)}`;
    return te(key) || te(key, 'en') ? t(key) : name;
  };
}

export function useChartLabels() {
  const { t } = useI18n();
  const metricLabel = useMetricLabel();
  const trialTitle = (n: number): string => t('analytics.common.trialTitle', { n });
  return {
    history: computed<HistoryLabels>(() => ({
      objective: t('analytics.history.objective'),
      bestSoFar: t('analytics.history.bestSoFar'),
      trial: t('analytics.common.trial'),
      trialTitle,
    })),
    parallel: computed<ParallelLabels>(() => ({
      objective: t('analytics.history.objective'),
      top: t('analytics.parallel.top'),
      others: t('analytics.parallel.others'),
      trialTitle,
    })),
    slice: computed<SliceLabels>(() => ({ objective: t('analytics.history.objective'), trialTitle })),
    importance: computed<ImportanceLabels>(() => ({
      importance: t('analytics.importance.importance'),
      explained: t('analytics.importance.eta'),
      adjusted: t('analytics.importance.epsilon'),
      groups: t('analytics.importance.groups'),
      trials: t('analytics.importance.trials'),
    })),
    intermediate: computed<IntermediateLabels>(() => ({
      groups: {
        complete: t('common.states.COMPLETE'),
        pruned: t('common.states.PRUNED'),
        running: t('common.states.RUNNING'),
        other: t('analytics.intermediate.other'),
      },
      prunedAt: t('analytics.intermediate.prunedAt'),
      epoch: t('analytics.common.epoch'),
      wall: t('curves.wallAxis'),
      value: t('analytics.intermediate.value'),
      trialTitle,
    })),
    tradeoff: computed<TradeoffLabels>(() => ({
      latentSize: t('analytics.tradeoff.latentSize'),
      reconstruction: t('analytics.tradeoff.reconstruction'),
      downstream: (metric: string) => t('analytics.tradeoff.downstream', { metric: metricLabel(metric) }),
      trials: t('analytics.importance.trials'),
      pcaReconstruction: t('analytics.tradeoff.pcaReconstruction'),
      pcaDownstream: (metric: string) => t('analytics.tradeoff.pcaDownstream', { metric: metricLabel(metric) }),
    })),
    pareto: computed<ParetoLabels>(() => ({
      front: t('analytics.pareto.front'),
      dominated: t('analytics.pareto.dominated'),
      trialTitle,
    })),
    compare: computed<CompareLabels>(() => ({
      trial: (n: number) => `#${n}`,
      train: t('analytics.compare.train'),
      val: t('analytics.compare.val'),
      epoch: t('analytics.common.epoch'),
      loss: t('analytics.compare.loss'),
    })),
  };
}
