// The history a model-based sampler learns from: finished trials' scores turned into "lower is better", pruned
// trials by how far they got, RUNNING trials as constant liars; ranked best first (several objectives: Pareto
// fronts, then crowding distance).
import { crowdingDistance, nonDominatedSort } from '../../../shared/pareto';
import type { Direction } from '../../../shared/study/objectives';
import type { JsonValue } from '../../../shared/json';
import type { ParamSpec } from '../../../shared/study/searchSpace';
import { canTake } from '../../../shared/study/distributions';
import type { FrozenTrial, SampleContext } from '../types';

export type ObservationKind = 'complete' | 'pruned' | 'pending';

export interface Observation {
  number: number;
  params: Record<string, JsonValue>;
  kind: ObservationKind;
  /** Objective values turned into "lower is better" (maximised objectives negated); empty unless complete. */
  score: number[];
  /** Pruned trials: last reported step and value (turned into "lower is better" by pruneDirection), to rank them among themselves. */
  lastStep: number;
  lastValue: number;
}

/** Whether a stored value is still valid for the param (a space may have been edited since). */
export function validFor(p: ParamSpec, v: JsonValue | undefined): v is JsonValue {
  return v !== undefined && canTake(p, v);
}

/**
 * The trials a model learns from: COMPLETE with finite values, PRUNED, and (if `liar`) RUNNING and WAITING
 * trials with params, which a constant liar treats as the worst result so parallel workers spread out.
 * FAILED and CANCELLED trials carry no signal and are skipped.
 */
export function observations(ctx: SampleContext, liar: boolean): Observation[] {
  const out: Observation[] = [];
  const sign = ctx.directions.map((d) => (d === 'maximize' ? -1 : 1));
  for (const t of ctx.trials) {
    const last = t.intermediate.length ? t.intermediate[t.intermediate.length - 1] : undefined;
    const base = { number: t.number, params: t.params, lastStep: last?.step ?? -1, lastValue: last?.value ?? NaN };
    if (t.state === 'COMPLETE') {
      const v = t.values;
      if (!v || v.length !== sign.length || !v.every(Number.isFinite)) continue;
      out.push({ ...base, kind: 'complete', score: v.map((x, i) => x * sign[i]) });
    } else if (t.state === 'PRUNED') {
      out.push({ ...base, kind: 'pruned', score: [], lastValue: ctx.pruneDirection === 'maximize' ? -base.lastValue : base.lastValue });
    } else if (liar && (t.state === 'RUNNING' || t.state === 'WAITING') && Object.keys(t.params).length > 0) {
      out.push({ ...base, kind: 'pending', score: [] });
    }
  }
  return out;
}

export function countFinished(trials: readonly FrozenTrial[]): number {
  return trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED').length;
}

/**
 * Observations ordered best first: complete ones by score (several objectives: Pareto front, then crowding),
 * then pruned ones (more steps first, then last value), then pending ones. Ties by trial number.
 */
export function rankObservations(obs: readonly Observation[]): Observation[] {
  const complete = obs.filter((o) => o.kind === 'complete');
  let ordered: Observation[];
  if (complete.length && complete[0].score.length > 1) {
    const scores = complete.map((o) => o.score);
    const minimize = scores[0].map((): Direction => 'minimize');
    const { ranks, fronts } = nonDominatedSort(scores, minimize);
    const crowd = new Array<number>(complete.length).fill(0);
    for (const front of fronts) {
      const c = crowdingDistance(scores, front, minimize);
      front.forEach((i, j) => (crowd[i] = c[j]));
    }
    ordered = complete
      .map((o, i) => ({ o, r: ranks[i], c: crowd[i] }))
      .sort((a, b) => a.r - b.r || b.c - a.c || a.o.number - b.o.number)
      .map((x) => x.o);
  } else {
    ordered = [...complete].sort((a, b) => a.score[0] - b.score[0] || a.number - b.number);
  }
  const pruned = obs
    .filter((o) => o.kind === 'pruned')
    .sort((a, b) => b.lastStep - a.lastStep || (a.lastValue || 0) - (b.lastValue || 0) || a.number - b.number);
  const pending = obs.filter((o) => o.kind === 'pending').sort((a, b) => a.number - b.number);
  return [...ordered, ...pruned, ...pending];
}
