// Pieces every sampler shares: the per-trial random stream, random values for a param, and the view of the
// history a model-based sampler learns from (scores to minimise, ranked best first, RUNNING trials as liars).
import type { JsonValue, ParamSpec, SearchSpace } from '../../../shared/searchSpace';
import { canTake, fromInternal, internalBounds, stepCount, stepOf, stepValue } from '../distributions';
import { createRng, type Rng } from '../rng';
import { isActive, paramsKey, pruneInactive } from '../space';
import type { FrozenTrial, SampleContext } from '../types';

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** murmur3-style hash of 32-bit words and a text salt. */
export function hashWords(words: readonly number[], salt = ''): number {
  let h = 0x9747b28c;
  const mix = (w: number): void => {
    let k = Math.imul(w >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) >>> 0;
  };
  for (const w of words) mix(w);
  for (let i = 0; i < salt.length; i++) mix(salt.charCodeAt(i));
  return fmix32(h ^ (words.length + salt.length));
}

/**
 * The random stream of one proposal: a hash of (seed, trial number, sampler), so proposal N never depends on
 * how many numbers earlier proposals drew, and a resumed study continues exactly.
 */
export function trialRng(seed: number, trialNumber: number, salt: string): Rng {
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / 0x100000000) >>> 0;
  return createRng(hashWords([lo, hi, trialNumber >>> 0, Math.floor(trialNumber / 0x100000000) >>> 0], salt));
}

/** A value drawn from the param's prior: uniform (log-uniform for log), uniform over step points. */
export function randomValue(p: ParamSpec, rng: Rng): JsonValue {
  switch (p.type) {
    case 'fixed':
      return p.value;
    case 'categorical':
      return p.choices[rng.int(0, p.choices.length - 1)];
    default: {
      const step = stepOf(p);
      if (step !== undefined && !p.log) return stepValue(p.low, step, rng.int(0, stepCount(p.low, p.high, step) - 1));
      const { lo, hi } = internalBounds(p);
      return fromInternal(p, lo + rng.next() * (hi - lo));
    }
  }
}

/** Random values for every param active under the result; `given` values are kept where active. */
export function sampleRandom(space: SearchSpace, rng: Rng, given: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const active = new Set<string>();
  for (const p of space.params) {
    if (p.condition && !active.has(p.condition.parent)) continue;
    if (!isActive(p, out)) continue;
    active.add(p.name);
    out[p.name] = p.name in given ? given[p.name] : randomValue(p, rng);
  }
  return out;
}

/** Keys (see paramsKey) of the params every trial of the study has taken, whatever its state. */
export function takenKeys(ctx: SampleContext): Set<string> {
  return new Set(ctx.trials.map((t) => paramsKey(pruneInactive(ctx.space, t.params))));
}

/**
 * The first of up to `attempts` proposals that no trial has taken yet (a discrete space can make a sampler
 * repeat itself, and a RUNNING duplicate would waste a worker). When all repeat, the last one is returned:
 * a fully explored space has nothing new to offer.
 */
export function firstUntaken(
  ctx: SampleContext,
  propose: (attempt: number) => Record<string, JsonValue>,
  attempts = 16,
): Record<string, JsonValue> {
  const taken = takenKeys(ctx);
  let last: Record<string, JsonValue> = {};
  for (let a = 0; a < attempts; a++) {
    last = propose(a);
    if (!taken.has(paramsKey(last))) return last;
  }
  return last;
}

/** What the random sampler proposes: the (seed, trial) stream, redrawn while it repeats a trial. */
export function randomProposal(ctx: SampleContext): Record<string, JsonValue> {
  const rng = trialRng(ctx.seed, ctx.trialNumber, 'random');
  return firstUntaken(ctx, () => sampleRandom(ctx.space, rng), 32);
}

export type ObservationKind = 'complete' | 'pruned' | 'pending';

export interface Observation {
  number: number;
  params: Record<string, JsonValue>;
  kind: ObservationKind;
  /** Objective values turned into "lower is better" (maximised objectives negated); empty unless complete. */
  score: number[];
  /** Pruned trials: last reported step and value, to rank them among themselves. */
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
      out.push({ ...base, kind: 'pruned', score: [], lastValue: base.lastValue * sign[0] });
    } else if (liar && (t.state === 'RUNNING' || t.state === 'WAITING') && Object.keys(t.params).length > 0) {
      out.push({ ...base, kind: 'pending', score: [] });
    }
  }
  return out;
}

export function countFinished(trials: readonly FrozenTrial[]): number {
  return trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED').length;
}

/** Non-dominated sorting (lower is better in every objective): front index per point. */
export function paretoRanks(points: readonly number[][]): number[] {
  const n = points.length;
  const dominates = (a: number[], b: number[]): boolean => {
    let strict = false;
    for (let k = 0; k < a.length; k++) {
      if (a[k] > b[k]) return false;
      if (a[k] < b[k]) strict = true;
    }
    return strict;
  };
  const rank = new Array<number>(n).fill(-1);
  let remaining = n;
  for (let front = 0; remaining > 0; front++) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) {
      if (rank[i] >= 0) continue;
      let dominated = false;
      for (let j = 0; j < n && !dominated; j++) {
        if (j !== i && (rank[j] < 0 || rank[j] === front) && dominates(points[j], points[i])) dominated = true;
      }
      if (!dominated) members.push(i);
    }
    for (const i of members) rank[i] = front;
    remaining -= members.length;
  }
  return rank;
}

/** NSGA-II crowding distance inside one front: larger = more isolated, kept first to spread the front. */
function crowding(points: readonly number[][]): number[] {
  const n = points.length;
  const dist = new Array<number>(n).fill(0);
  if (n === 0) return dist;
  for (let k = 0; k < points[0].length; k++) {
    const order = points.map((_, i) => i).sort((a, b) => points[a][k] - points[b][k] || a - b);
    const span = points[order[n - 1]][k] - points[order[0]][k] || 1;
    dist[order[0]] = dist[order[n - 1]] = Infinity;
    for (let i = 1; i < n - 1; i++) dist[order[i]] += (points[order[i + 1]][k] - points[order[i - 1]][k]) / span;
  }
  return dist;
}

/**
 * Observations ordered best first: complete ones by score (several objectives: Pareto front, then crowding),
 * then pruned ones (more steps first, then last value), then pending ones. Ties by trial number.
 */
export function rankObservations(obs: readonly Observation[]): Observation[] {
  const complete = obs.filter((o) => o.kind === 'complete');
  let ordered: Observation[];
  if (complete.length && complete[0].score.length > 1) {
    const ranks = paretoRanks(complete.map((o) => o.score));
    const crowd = new Array<number>(complete.length).fill(0);
    for (const r of new Set(ranks)) {
      const idx = ranks.map((x, i) => (x === r ? i : -1)).filter((i) => i >= 0);
      const c = crowding(idx.map((i) => complete[i].score));
      idx.forEach((i, j) => (crowd[i] = c[j]));
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
