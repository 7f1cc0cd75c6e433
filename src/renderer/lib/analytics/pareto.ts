// The Pareto chart's points: completed trials with every objective, each with its front (src/shared/pareto.ts).
import type { TrialSummary } from '../../../shared/dto';
import { nonDominatedSort } from '../../../shared/pareto';
import type { Direction } from '../../../shared/study/objectives';

export interface ParetoPoint {
  trialId: number;
  number: number;
  values: number[];
  front: number;
}

/** Completed trials with a finite value for every objective, each with its front index. */
export function paretoPoints(trials: readonly TrialSummary[], directions: readonly Direction[]): ParetoPoint[] {
  const rows = trials
    .filter((t) => t.state === 'COMPLETE')
    .map((t) => ({ t, v: directions.map((_, k) => t.values[k]) }))
    .filter((r): r is { t: TrialSummary; v: number[] } => r.v.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const { ranks } = nonDominatedSort(
    rows.map((r) => r.v),
    directions,
  );
  return rows.map((r, i) => ({ trialId: r.t.id, number: r.t.number, values: r.v, front: ranks[i] }));
}
