// How the latent explorer colours its points: by class label, by reconstruction error (five quantile bands,
// low to high), or by the probe's outcome (correct / wrong / unlabeled). Each group becomes one scatter series
// (ECharts' large mode draws a series in one pass), so a group holds the indices of its points. Pure.
import type { ExplorerPointsData } from '../../../shared/explorerSchemas';

export type ColourBy = 'label' | 'error' | 'outcome';

export interface PointGroup {
  /** What the legend says: a class name, an error band [lo, hi], or an outcome. */
  key: { kind: 'label'; label: string | null } | { kind: 'error'; lo: number; hi: number; band: number } | { kind: 'outcome'; outcome: 'correct' | 'wrong' | 'unknown' };
  indices: number[];
}

/** Labels sorted naturally ("2" before "10"); null labels last. */
export function labelOrder(labels: readonly (string | null)[]): (string | null)[] {
  const set = new Set(labels);
  const named = [...set].filter((l): l is string => l !== null).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return set.has(null) ? [...named, null] : named;
}

/** Which colourings the data allows (errors and outcomes only for trials that stored them). */
export function colourings(data: Pick<ExplorerPointsData, 'errors' | 'predicted' | 'labels'>): ColourBy[] {
  const out: ColourBy[] = ['label'];
  if (data.errors) out.push('error');
  if (data.predicted && data.labels.some((l) => l !== null)) out.push('outcome');
  return out;
}

export const ERROR_BANDS = 5;

/** Quantile band edges of the errors (ERROR_BANDS + 1 values, ascending). */
export function errorBandEdges(errors: readonly number[]): number[] {
  const sorted = [...errors].sort((a, b) => a - b);
  const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.floor(f * (sorted.length - 1)))] ?? 0;
  return Array.from({ length: ERROR_BANDS + 1 }, (_, i) => q(i / ERROR_BANDS));
}

export function pointGroups(data: Pick<ExplorerPointsData, 'labels' | 'errors' | 'predicted'>, by: ColourBy): PointGroup[] {
  const n = data.labels.length;
  if (by === 'error' && data.errors) {
    const errors = data.errors;
    const edges = errorBandEdges(errors);
    const groups: PointGroup[] = Array.from({ length: ERROR_BANDS }, (_, b) => ({ key: { kind: 'error', lo: edges[b], hi: edges[b + 1], band: b }, indices: [] }));
    for (let i = 0; i < n; i++) {
      let b = 0;
      while (b < ERROR_BANDS - 1 && errors[i] > edges[b + 1]) b++;
      groups[b].indices.push(i);
    }
    return groups.filter((g) => g.indices.length > 0);
  }
  if (by === 'outcome' && data.predicted) {
    const predicted = data.predicted;
    const groups: Record<'correct' | 'wrong' | 'unknown', number[]> = { correct: [], wrong: [], unknown: [] };
    for (let i = 0; i < n; i++) {
      const truth = data.labels[i];
      const p = predicted[i];
      groups[truth === null || p === null ? 'unknown' : truth === p ? 'correct' : 'wrong'].push(i);
    }
    return (['correct', 'wrong', 'unknown'] as const).filter((o) => groups[o].length > 0).map((o) => ({ key: { kind: 'outcome', outcome: o }, indices: groups[o] }));
  }
  const order = labelOrder(data.labels);
  const at = new Map(order.map((l, k) => [l, k] as const));
  const groups: PointGroup[] = order.map((label) => ({ key: { kind: 'label', label }, indices: [] }));
  for (let i = 0; i < n; i++) groups[at.get(data.labels[i]) ?? 0].indices.push(i);
  return groups;
}
