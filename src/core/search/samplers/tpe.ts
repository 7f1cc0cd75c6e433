// Tree-structured Parzen Estimator (Bergstra et al. 2011; shaped after Optuna's TPESampler). After the random
// startup trials, the history is split into the best gamma(n) trials ("below") and the rest ("above"); a
// Parzen estimator l(x) is fitted to the first group and g(x) to the second, candidates are drawn from l, and
// the one with the largest l(x)/g(x) wins. Params are sampled in groups that follow the conditional
// structure (all unconditional params together; the children of one condition together), each group over
// the trials where it was active, jointly when multivariate. Constant liar: RUNNING trials rank last.
import type { JsonValue } from '../../../shared/json';
import type { ParamSpec } from '../../../shared/study/searchSpace';
import { choiceIndex, fromInternal, internalBounds, stepOf, toInternal } from '../../../shared/study/distributions';
import type { Rng } from '../../../shared/rng';
import { isActive } from '../../../shared/study/space';
import type { Sampler, SampleContext } from '../types';
import { countFinished, observations, rankObservations, validFor, type Observation } from './observations';
import { firstUntaken, randomProposal } from './randomProposal';
import { trialRng } from './trialRng';
import { buildParzen, logPdfParzen, sampleParzen, type ParzenDim } from './parzen';

export interface TpeOptions {
  startupTrials: number;
  candidates: number;
  multivariate: boolean;
  constantLiar: boolean;
  priorWeight: number;
  /** Fraction of the finished trials that count as good (capped at 25 trials, as in Optuna). */
  gamma: number;
}

/** Size of the good group: ceil(gamma n), at least 1, at most 25. */
export function goodCount(n: number, gamma: number): number {
  return Math.max(1, Math.min(Math.ceil(gamma * n), 25));
}

/** Optuna's default weights: older trials fade linearly once there are more than 25, the last 25 weigh 1. */
export function trialWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const w: number[] = [];
  for (let i = 0; i < ramp; i++) w.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) w.push(1);
  return w;
}

function conditionKey(p: ParamSpec): string {
  if (!p.condition) return '';
  return `${p.condition.parent}\u0000${JSON.stringify(p.condition.values)}`;
}

function parzenDim(p: ParamSpec): ParzenDim {
  if (p.type === 'categorical') return { kind: 'cat', n: p.choices.length };
  if (p.type !== 'float' && p.type !== 'int') throw new Error(`TPE: "${p.name}" is not sampled`);
  const { lo, hi } = internalBounds(p);
  const step = stepOf(p);
  return { kind: 'num', lo, hi, step: step !== undefined && !p.log ? step : 0 };
}

/** An observation's value of p in the estimator's space, or null when absent or no longer valid. */
function encodeValue(p: ParamSpec, v: JsonValue | undefined): number | null {
  if (!validFor(p, v)) return null;
  if (p.type === 'categorical') return choiceIndex(p.choices, v);
  if (p.type === 'float' || p.type === 'int') return toInternal(p, v as number);
  return null;
}

function decodeValue(p: ParamSpec, x: number): JsonValue {
  if (p.type === 'categorical') return p.choices[x];
  if (p.type === 'float' || p.type === 'int') return fromInternal(p, x);
  throw new Error(`TPE: "${p.name}" is not sampled`);
}

/** Rows (in trial-number order) of the observations where every param of the group has a valid value. */
function groupRows(group: readonly ParamSpec[], obs: readonly Observation[]): number[][] {
  const rows: number[][] = [];
  for (const o of [...obs].sort((a, b) => a.number - b.number)) {
    const row: number[] = [];
    for (const p of group) {
      const x = encodeValue(p, o.params[p.name]);
      if (x === null) break;
      row.push(x);
    }
    if (row.length === group.length) rows.push(row);
  }
  return rows;
}

function sampleGroup(group: readonly ParamSpec[], below: Observation[], above: Observation[], rng: Rng, opts: TpeOptions): JsonValue[] {
  const dims = group.map(parzenDim);
  const pOpts = { priorWeight: opts.priorWeight };
  const good = groupRows(group, below);
  const bad = groupRows(group, above);
  const l = buildParzen(dims, good, trialWeights(good.length), pOpts);
  const g = buildParzen(dims, bad, trialWeights(bad.length), pOpts);
  const cands = sampleParzen(l, rng, opts.candidates);
  const ll = logPdfParzen(l, cands);
  const lg = logPdfParzen(g, cands);
  let best = 0;
  for (let i = 1; i < cands.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
  return group.map((p, d) => decodeValue(p, cands[best][d]));
}

export function tpeSample(ctx: SampleContext, opts: TpeOptions): Record<string, JsonValue> {
  // Startup: exactly the random sampler's proposals (as in Optuna, the first trials equal random search).
  if (countFinished(ctx.trials) < Math.max(1, opts.startupTrials)) return randomProposal(ctx);
  const ranked = rankObservations(observations(ctx, opts.constantLiar));
  const finished = ranked.filter((o) => o.kind !== 'pending').length;
  const nGood = Math.min(goodCount(ranked.length, opts.gamma), finished);
  const below = ranked.slice(0, nGood);
  const above = ranked.slice(nGood);
  // A repeat of an existing trial (discrete spaces) is re-drawn from a fresh stream, then left to random.
  return firstUntaken(
    ctx,
    (attempt) =>
      attempt < 8
        ? sampleTree(ctx, opts, below, above, trialRng(ctx.seed, ctx.trialNumber, attempt ? `tpe#${attempt}` : 'tpe'))
        : randomProposal(ctx),
    9,
  );
}

/** One pass over the space: each conditional group sampled from its own l(x)/g(x). */
function sampleTree(ctx: SampleContext, opts: TpeOptions, below: Observation[], above: Observation[], rng: Rng): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {};
  const active = new Set<string>();
  const params = ctx.space.params;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.name in values || (p.condition && !active.has(p.condition.parent)) || !isActive(p, values)) continue;
    if (p.type === 'fixed') {
      values[p.name] = p.value;
      active.add(p.name);
      continue;
    }
    // Multivariate: every not-yet-sampled param under the same condition as p joins its group.
    const key = conditionKey(p);
    const group = opts.multivariate
      ? params.slice(i).filter((q) => q.type !== 'fixed' && !(q.name in values) && conditionKey(q) === key)
      : [p];
    const sampled = sampleGroup(group, below, above, rng, opts);
    group.forEach((q, d) => {
      values[q.name] = sampled[d];
      active.add(q.name);
    });
  }
  // Sampled in group order; return them in spec order like the other samplers.
  const out: Record<string, JsonValue> = {};
  for (const p of params) if (p.name in values) out[p.name] = values[p.name];
  return out;
}

export function createTpeSampler(opts: TpeOptions): Sampler {
  return { name: 'tpe', sample: (ctx) => tpeSample(ctx, opts) };
}
