// The latent-size trade-off (the seed's chart): per latent size, the best validation reconstruction error
// and the best downstream score. Reconstruction usually keeps improving with size while downstream
// usefulness peaks and then declines. Pure.
import type { PcaAtSize, TrialSummary } from '../../../shared/dto';
import { isParamActive } from '../../../shared/activeParams';
import { metricDirection, type Direction } from '../../../shared/study/objectives';
import { headlineMetric, metricKeys, objectiveKind } from './metrics';
import { better, objectiveValue, type ObjectiveInfo } from '../../../shared/analytics/objective';
import { valueLabel } from '../../../shared/analytics/params';

export interface TradeoffRow {
  latentSize: number;
  trials: number;
  bestReconstruction: number | null;
  bestReconstructionTrialId: number | null;
  bestDownstream: number | null;
  bestDownstreamTrialId: number | null;
  /** PCA at this size on the same validation split: its reconstruction error, and the probe's score when the downstream metric is accuracy. */
  pcaReconstruction: number | null;
  pcaDownstream: number | null;
}

/**
 * Where the downstream score comes from: a downstream objective of the study (its values), else the headline
 * validation metric every trial reports (e.g. val_accuracy), whatever the study optimised.
 */
export type DownstreamSource =
  | { source: 'objective'; index: number; metric: string; direction: Direction }
  | { source: 'metric'; metric: string; direction: Direction };

export interface Tradeoff {
  rows: TradeoffRow[];
  downstream: DownstreamSource | null;
}

export function downstreamSource(trials: readonly TrialSummary[], info: ObjectiveInfo): DownstreamSource | null {
  const index = info.objectives.findIndex((m) => objectiveKind(m) === 'downstream');
  if (index >= 0) return { source: 'objective', index, metric: info.objectives[index], direction: info.directions[index] ?? 'maximize' };
  const metric = headlineMetric(metricKeys(trials));
  return metric ? { source: 'metric', metric, direction: metricDirection(metric) } : null;
}

function downstreamValue(t: TrialSummary, d: DownstreamSource): number | null {
  if (d.source === 'objective') return objectiveValue(t, d.index);
  const v = t.metrics?.[d.metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The validation reconstruction error measured after training, else the best validation loss of the epochs. */
export function reconstructionError(t: TrialSummary): number | null {
  const m = t.metrics?.val_recon_mse;
  if (typeof m === 'number' && Number.isFinite(m)) return m;
  return typeof t.bestValLoss === 'number' && Number.isFinite(t.bestValLoss) ? t.bestValLoss : null;
}

export function latentSizeTradeoff(trials: readonly TrialSummary[], info: ObjectiveInfo, pca: readonly PcaAtSize[] = []): Tradeoff {
  const downstream = downstreamSource(trials, info);
  const bySize = new Map<number, TradeoffRow>();
  for (const t of trials) {
    // A configuration this version cannot read has no known size: left out, never plotted at a default one.
    if (t.state !== 'COMPLETE' || !t.params) continue;
    const size = t.params.latentSize;
    let row = bySize.get(size);
    if (!row) {
      row = {
        latentSize: size,
        trials: 0,
        bestReconstruction: null,
        bestReconstructionTrialId: null,
        bestDownstream: null,
        bestDownstreamTrialId: null,
        pcaReconstruction: null,
        pcaDownstream: null,
      };
      bySize.set(size, row);
    }
    row.trials++;
    const recon = reconstructionError(t);
    if (recon !== null && (row.bestReconstruction === null || recon < row.bestReconstruction)) {
      row.bestReconstruction = recon;
      row.bestReconstructionTrialId = t.id;
    }
    if (downstream) {
      const v = downstreamValue(t, downstream);
      if (v !== null && (row.bestDownstream === null || better(v, row.bestDownstream, downstream.direction))) {
        row.bestDownstream = v;
        row.bestDownstreamTrialId = t.id;
      }
    }
  }
  const accuracy = downstream?.metric === 'val_accuracy';
  for (const p of pca) {
    const row = bySize.get(p.latentSize);
    if (!row) continue;
    row.pcaReconstruction = p.reconMse;
    row.pcaDownstream = accuracy ? p.accuracy : null;
  }
  return { rows: [...bySize.values()].sort((a, b) => a.latentSize - b.latentSize), downstream };
}

export interface ParamDiffRow {
  name: string;
  values: string[];
  differs: boolean;
}

/** Labels for display: floats to 6 significant digits (a sampled 0.0093558219339424 reads 0.00935582). */
function compactLabel(v: unknown): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(6)));
  return valueLabel(v);
}

/** Per-architecture and per-optimizer fields are shown only for trials they apply to (none, for one this version cannot read). */
export function paramApplies(t: TrialSummary, key: string): boolean {
  return t.params !== null && isParamActive(key, t.params);
}

/**
 * The resolved hyperparameters of 2-4 trials side by side, keys in a stable order (first trial's order,
 * then any extra keys), each row marked when the trials disagree.
 */
export function paramDiff(trials: readonly TrialSummary[]): ParamDiffRow[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const t of trials) {
    for (const k of Object.keys(t.params ?? {})) {
      if (!seen.has(k) && trials.some((x) => paramApplies(x, k))) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  return keys.map((name) => {
    const values = trials.map((t) => (t.params && paramApplies(t, name) ? compactLabel((t.params as Record<string, unknown>)[name]) : '—'));
    // An unreadable configuration's dash says nothing about whether it differs: only readable ones are compared.
    const readable = values.filter((_, i) => trials[i].params !== null);
    return { name, values, differs: new Set(readable).size > 1 };
  });
}
