// The translated texts the chart option builders draw (axis names, legends, tooltips): the builders stay pure
// and take them as an argument; the texts live only in the message files.
import { computed, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { metricBase } from '../../lib/analytics/metrics';
import type { PruneView } from '../../../shared/dto';
import type { CompareLabels, ConfusionLabels } from '../charts/compareChartOption';
import type { LossChartLabels } from '../charts/lossChartOption';
import type { HistoryLabels } from '../charts/historyChartOption';
import type { ImportanceLabels } from '../charts/importanceChartOption';
import type { IntermediateLabels } from '../charts/intermediateChartOption';
import type { ParallelLabels } from '../charts/parallelChartOption';
import type { ParetoLabels } from '../charts/paretoChartOption';
import type { SliceLabels } from '../charts/sliceChartOption';
import type { TradeoffLabels } from '../charts/tradeoffChartOption';

/** A parameter's name in the UI language (学习率 for learningRate); unknown names as they are. */
export function useParamLabel(): (name: string) => string {
  const { t, te } = useI18n();
  return (name: string) => (te(`space.params.${name}.label`) ? t(`space.params.${name}.label`) : name);
}

/** A parameter value in the UI language ('relu' -> ReLU, 'conv' -> 卷积, 'adam' -> Adam); others as they are. */
export function useValueLabel(): (value: string) => string {
  const { t, te } = useI18n();
  return (value: string) => {
    for (const key of [`wizard.architecture.activationNames.${value}`, `wizard.architecture.kinds.${value}.title`, `space.values.${value}`]) {
      if (te(key)) return t(key);
    }
    return value;
  };
}

/** What the label builders need of vue-i18n: the app's composer (useI18n()) or an instance's `global`. */
export interface Translator {
  t: (key: string, named?: Record<string, unknown>) => string;
  te: (key: string, locale?: 'en') => boolean;
}

/** "val_f1_macro" -> "F1 (macro)" in the translator's language; unknown names are shown as they are. */
export function metricLabelWith({ t, te }: Translator): (name: string) => string {
  return (name: string) => {
    // The engine's label of a reconstruction objective (shared/study/objectives.ts objectiveLabel).
    const recon = /^val reconstruction \((\w+)\)$/.exec(name);
    if (recon) return t('analytics.metrics.reconObjective', { loss: recon[1] });
    const key = `analytics.metrics.names.${metricBase(name)}`;
    return te(key) || te(key, 'en') ? t(key) : name;
  };
}

export function useMetricLabel(): (name: string) => string {
  return metricLabelWith(useI18n());
}

/** What a study's pruner compares, in words: the intermediate chart's y axis and help, and the summaries' phrase. */
export interface PruneWords {
  axis: string;
  help: string;
  /** "validation MSE" or the primary objective's name, for "{pruner} on {signal}". */
  signal: string;
}

/** No pruner (or an unreadable spec) reads as 'reconstruction': every trial still records its validation MSE. */
export function pruneWordsWith(tr: Translator, prune: PruneView | null): PruneWords {
  const { t } = tr;
  if (!prune || prune.signal === 'reconstruction') {
    return { axis: t('analytics.intermediate.value'), help: t('analytics.intermediate.help'), signal: t('analytics.prune.reconstruction') };
  }
  const objective = prune.weighted ? t('analytics.prune.weighted') : prune.objective ? metricLabelWith(tr)(prune.objective) : t('analytics.history.objective');
  const direction = t(prune.direction === 'maximize' ? 'analytics.prune.higher' : 'analytics.prune.lower');
  return {
    axis: t('analytics.intermediate.valueDownstream', { objective, direction }),
    help: t('analytics.intermediate.helpDownstream', { objective, direction }),
    signal: objective,
  };
}

/** "Hyperband on Accuracy" (or the pruner's name alone when it compares nothing), in the translator's language. */
export function prunerTextWith(tr: Translator): (pruner: string, prune: PruneView | null) => string {
  return (pruner, prune) => {
    const title = tr.t(`wizard.strategy.pruners.${pruner}.title`);
    return prune && pruner !== 'nop' ? tr.t('analytics.prune.withSignal', { pruner: title, signal: pruneWordsWith(tr, prune).signal }) : title;
  };
}

export function usePrunerText(): (pruner: string, prune: PruneView | null) => string {
  return prunerTextWith(useI18n());
}

/** Every chart's texts in the translator's language: the only source of the option builders' labels. */
export interface ChartLabels {
  history: HistoryLabels;
  parallel: ParallelLabels;
  slice: SliceLabels;
  importance: ImportanceLabels;
  intermediate: IntermediateLabels;
  tradeoff: TradeoffLabels;
  pareto: ParetoLabels;
  compare: CompareLabels;
  confusion: ConfusionLabels;
  loss: LossChartLabels;
}

export function chartLabelsWith(tr: Translator): ChartLabels {
  const { t } = tr;
  const metricLabel = metricLabelWith(tr);
  const trialTitle = (n: number): string => t('analytics.common.trialTitle', { n });
  return {
    history: {
      objective: t('analytics.history.objective'),
      bestSoFar: t('analytics.history.bestSoFar'),
      trial: t('analytics.common.trial'),
      trialTitle,
    },
    parallel: {
      objective: t('analytics.history.objective'),
      top: t('analytics.parallel.top'),
      others: t('analytics.parallel.others'),
      trialTitle,
    },
    slice: { objective: t('analytics.history.objective'), trialTitle },
    importance: {
      importance: t('analytics.importance.importance'),
      band: t('analytics.importance.band'),
      trials: t('analytics.importance.trials'),
    },
    intermediate: {
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
    },
    tradeoff: {
      latentSize: t('analytics.tradeoff.latentSize'),
      reconstruction: t('analytics.tradeoff.reconstruction'),
      downstream: (metric: string) => t('analytics.tradeoff.downstream', { metric: metricLabel(metric) }),
      trials: t('analytics.importance.trials'),
      pcaReconstruction: t('analytics.tradeoff.pcaReconstruction'),
      pcaDownstream: (metric: string) => t('analytics.tradeoff.pcaDownstream', { metric: metricLabel(metric) }),
    },
    pareto: {
      front: t('analytics.pareto.front'),
      dominated: t('analytics.pareto.dominated'),
      trialTitle,
    },
    compare: {
      trial: (n: number) => `#${n}`,
      train: t('analytics.compare.train'),
      val: t('analytics.compare.val'),
      epoch: t('analytics.common.epoch'),
      loss: t('analytics.compare.loss'),
    },
    confusion: { truth: t('analytics.compare.truth'), predicted: t('analytics.compare.predicted') },
    loss: {
      train: t('training.chart.train'),
      val: t('training.chart.val'),
      epochAxis: t('training.chart.epochAxis'),
      lossAxis: t('training.chart.lossAxis'),
      wallAxis: t('curves.wallAxis'),
      epochTitle: (epoch: string) => t('training.chart.epochTitle', { epoch }),
    },
  };
}

/** The chart texts, recomputed when the language changes. */
export function useChartLabels(): { [K in keyof ChartLabels]: ComputedRef<ChartLabels[K]> } {
  const i18n = useI18n();
  const all = computed(() => chartLabelsWith(i18n));
  const pick = <K extends keyof ChartLabels>(k: K): ComputedRef<ChartLabels[K]> => computed(() => all.value[k]);
  return {
    history: pick('history'),
    parallel: pick('parallel'),
    slice: pick('slice'),
    importance: pick('importance'),
    intermediate: pick('intermediate'),
    tradeoff: pick('tradeoff'),
    pareto: pick('pareto'),
    compare: pick('compare'),
    confusion: pick('confusion'),
    loss: pick('loss'),
  };
}
