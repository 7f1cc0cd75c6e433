// Random proposals: a value from each param's prior, whole configurations that respect the conditional
// structure, and the redraw that avoids repeating a trial already taken. The random sampler is exactly this;
// the model-based samplers fall back to it during their startup trials.
import type { JsonValue } from '../../../shared/json';
import type { ParamSpec, SearchSpace } from '../../../shared/study/searchSpace';
import { fromInternal, internalBounds, stepCount, stepOf, stepValue } from '../../../shared/study/distributions';
import type { Rng } from '../../../shared/rng';
import { isActive, paramsKey, pruneInactive } from '../../../shared/study/space';
import type { SampleContext } from '../types';
import { trialRng } from './trialRng';

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
