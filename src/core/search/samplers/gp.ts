// Gaussian-process Bayesian optimisation. After random startup trials: encode finished trials (see
// gpEncoding), standardise their scores, fit a Matern 5/2 GP by marginal likelihood, add RUNNING and PRUNED
// trials at the worst observed score (constant liar), then maximise log expected improvement: random
// candidates plus perturbations of the best trials, L-BFGS on the numeric inputs of the most promising
// ones, a sweep over categorical choices, and the best candidate no trial has taken yet wins.
// Several objectives: a random Chebyshev scalarisation per trial (ParEGO).
import type { JsonValue } from '../../../shared/json';
import type { Rng } from '../../../shared/rng';
import { paramsKey, pruneInactive } from '../../../shared/study/space';
import type { SampleContext, Sampler } from '../types';
import { countFinished, observations, type Observation } from './observations';
import { randomProposal, takenKeys } from './randomProposal';
import { trialRng } from './trialRng';
import { buildEncoding, decode, embed, encodable, fromParams, randomCandidate, type Encoding } from './gpEncoding';
import { fitHyper, posterior, predict, predictWithGrad, type GpPosterior } from './gpModel';
import { minimizeLbfgs } from '../../math/lbfgs';
import { logH } from './normal';

export interface GpOptions {
  startupTrials: number;
  candidates: number;
  restarts: number;
}

// Cost caps that keep a suggestion near 20 ms of CPU at 200 trials (bench/search.ts) without changing
// results up to ~50 trials: the kernel is fitted on at most MAX_FIT trials (the posterior uses them all),
// fit evaluations x n^3 and screened candidates x n^2 stay under their budgets.
const MAX_FIT = 48;
const FIT_BUDGET = 5e6;
const SCREEN_BUDGET = 4e6;
/** Candidates refined by L-BFGS and the categorical sweep. */
const LOCAL_STARTS = 3;

/** One number per complete trial, lower is better. */
function scalarScores(obs: Observation[], rng: Rng): number[] {
  const k = obs[0].score.length;
  if (k === 1) return obs.map((o) => o.score[0]);
  const lo = new Array<number>(k).fill(Infinity);
  const hi = new Array<number>(k).fill(-Infinity);
  for (const o of obs) o.score.forEach((v, i) => ((lo[i] = Math.min(lo[i], v)), (hi[i] = Math.max(hi[i], v))));
  const w = Array.from({ length: k }, () => -Math.log(1 - rng.next()));
  const sum = w.reduce((a, b) => a + b, 0);
  return obs.map((o) => {
    const f = o.score.map((v, i) => (w[i] / sum) * ((v - lo[i]) / (hi[i] - lo[i] || 1)));
    return Math.max(...f) + 0.05 * f.reduce((a, b) => a + b, 0);
  });
}

/** The fit subset: the best third by score and an even spread over the rest, so both regions stay modelled. */
function fitSubset(y: Float64Array): number[] {
  const n = y.length;
  if (n <= MAX_FIT) return Array.from(y.keys());
  const order = Array.from(y.keys()).sort((a, b) => y[a] - y[b] || a - b);
  const nBest = Math.floor(MAX_FIT / 3);
  const picked = order.slice(0, nBest);
  const rest = order.slice(nBest).sort((a, b) => a - b);
  const take = MAX_FIT - nBest;
  for (let t = 0; t < take; t++) picked.push(rest[Math.floor((t * rest.length) / take)]);
  return picked.sort((a, b) => a - b);
}

interface Acquisition {
  post: GpPosterior;
  best: number;
}

function logEiBatch(acq: Acquisition, X: Float64Array, m: number): Float64Array {
  const mean = new Float64Array(m);
  const variance = new Float64Array(m);
  predict(acq.post, X, m, mean, variance);
  const out = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    const sd = Math.sqrt(variance[t]);
    out[t] = Math.log(sd) + logH((acq.best - mean[t]) / sd).value;
  }
  return out;
}

function logEi(acq: Acquisition, enc: Encoding, z: Float64Array): number {
  const x = new Float64Array(enc.D);
  embed(enc, z, x, false);
  return logEiBatch(acq, x, 1)[0];
}

/** L-BFGS on the numeric params active under z (relaxed: u moves continuously, snapping comes after). */
function refine(acq: Acquisition, enc: Encoding, z0: Float64Array): Float64Array {
  const values = decode(enc, z0);
  const free = enc.slots.map((s, j) => (s.kind === 'num' && s.p.name in values ? j : -1)).filter((j) => j >= 0);
  if (!free.length) return z0;
  const z = Float64Array.from(z0);
  const x = new Float64Array(enc.D);
  const dMean = new Float64Array(enc.D);
  const dVar = new Float64Array(enc.D);
  const f = (u: Float64Array, grad: Float64Array): number => {
    free.forEach((j, i) => (z[j] = u[i]));
    embed(enc, z, x, true, values);
    const { mean, variance } = predictWithGrad(acq.post, x, dMean, dVar);
    const sd = Math.sqrt(variance);
    const score = (acq.best - mean) / sd;
    const h = logH(score);
    free.forEach((j, i) => {
      const c = enc.slots[j].col;
      const dSd = dVar[c] / (2 * sd);
      grad[i] = -(dSd / sd + h.dz * (-dMean[c] / sd - (score * dSd) / sd));
    });
    return -(Math.log(sd) + h.value);
  };
  const u0 = Float64Array.from(free, (j) => z0[j]);
  const res = minimizeLbfgs(f, u0, { lo: new Float64Array(free.length), hi: new Float64Array(free.length).fill(1), maxIter: 20, ftol: 1e-9 });
  const out = Float64Array.from(z0);
  free.forEach((j, i) => (out[j] = res.x[i]));
  return out;
}

/** One pass over categorical params, keeping any choice that raises EI (children follow their parent). */
function sweepCategories(acq: Acquisition, enc: Encoding, z0: Float64Array): { z: Float64Array; value: number } {
  let z = z0;
  let value = logEi(acq, enc, z);
  enc.slots.forEach((s, j) => {
    if (s.kind !== 'cat' || !(s.p.name in decode(enc, z))) return;
    for (let c = 0; c < s.width; c++) {
      if (c === z[j]) continue;
      const trial = Float64Array.from(z);
      trial[j] = c;
      const v = logEi(acq, enc, trial);
      if (v > value) {
        value = v;
        z = trial;
      }
    }
  });
  return { z, value };
}

export function gpSample(ctx: SampleContext, opts: GpOptions): Record<string, JsonValue> {
  const randomPick = (): Record<string, JsonValue> => randomProposal(ctx);
  if (countFinished(ctx.trials) < Math.max(1, opts.startupTrials)) return randomPick();
  const enc = buildEncoding(ctx.space);
  const all = observations(ctx, true).filter((o) => encodable(enc, o.params));
  const complete = all.filter((o) => o.kind === 'complete');
  if (complete.length < 2 || enc.D === 0) return randomPick();
  const rng = trialRng(ctx.seed, ctx.trialNumber, 'gp');

  // Standardised scores; pending and pruned trials join the posterior at the worst one (constant liar).
  const raw = scalarScores(complete, rng);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length) || 1;
  const y = Float64Array.from(raw, (v) => (v - mean) / sd);
  const liars = all.filter((o) => o.kind !== 'complete');
  const worst = Math.max(...y);
  const n = complete.length + liars.length;
  const X = new Float64Array(n * enc.D);
  const row = new Float64Array(enc.D);
  [...complete, ...liars].forEach((o, i) => {
    embed(enc, fromParams(enc, o.params, rng), row, false, pruneInactive(ctx.space, o.params));
    X.set(row, i * enc.D);
  });

  const subset = fitSubset(y);
  const Xf = new Float64Array(subset.length * enc.D);
  subset.forEach((i, r) => Xf.set(X.subarray(i * enc.D, (i + 1) * enc.D), r * enc.D));
  const hyper = fitHyper(
    { X: Xf, y: Float64Array.from(subset, (i) => y[i]), n: subset.length, D: enc.D, scaleOf: enc.scaleOf, S: enc.S },
    rng,
    { restarts: opts.restarts, maxIter: 40, maxEvals: Math.round(Math.min(200, Math.max(30, FIT_BUDGET / subset.length ** 3))) },
  );
  const yAll = new Float64Array(n);
  yAll.set(y);
  yAll.fill(worst, complete.length);
  const post = posterior(X, yAll, n, enc.D, enc.scaleOf, hyper);
  if (!post) return randomPick();
  const acq: Acquisition = { post, best: Math.min(...y) };

  // Screen: random candidates, and perturbations of the best trials so far (exploitation near incumbents).
  const m = Math.max(64, Math.min(opts.candidates, Math.floor(SCREEN_BUDGET / (n * n))));
  const cands: Float64Array[] = [];
  const top = complete.map((o, i) => i).sort((a, b) => y[a] - y[b] || a - b).slice(0, 5);
  const nLocal = Math.floor(m / 4);
  for (let t = 0; t < m; t++) {
    if (t < nLocal) {
      const z = fromParams(enc, complete[top[t % top.length]].params, rng);
      const scale = [0.02, 0.05, 0.15][t % 3];
      enc.slots.forEach((s, j) => {
        if (s.kind === 'num') z[j] = Math.min(1, Math.max(0, z[j] + scale * rng.normal()));
        else if (s.kind === 'cat' && rng.next() < 0.1) z[j] = rng.int(0, s.width - 1);
      });
      cands.push(z);
    } else cands.push(randomCandidate(enc, rng));
  }
  const Xc = new Float64Array(m * enc.D);
  cands.forEach((z, t) => {
    embed(enc, z, row, false);
    Xc.set(row, t * enc.D);
  });
  const screen = logEiBatch(acq, Xc, m);
  const order = Array.from(screen.keys()).sort((a, b) => screen[b] - screen[a] || a - b);

  // Refine the most promising distinct candidates, then rank everything by its snapped EI.
  const finalists: Array<{ z: Float64Array; value: number }> = [];
  const seen = new Set<string>();
  for (const t of order) {
    if (finalists.length >= LOCAL_STARTS) break;
    const key = paramsKey(decode(enc, cands[t]));
    if (seen.has(key)) continue;
    seen.add(key);
    finalists.push(sweepCategories(acq, enc, refine(acq, enc, cands[t])));
  }
  for (const t of order.slice(0, 64)) finalists.push({ z: cands[t], value: screen[t] });
  finalists.sort((a, b) => b.value - a.value);

  const taken = takenKeys(ctx);
  for (const f of finalists) {
    const values = decode(enc, f.z);
    if (!taken.has(paramsKey(values))) return values;
  }
  return randomPick();
}

export function createGpSampler(opts: GpOptions): Sampler {
  return { name: 'gp', sample: (ctx) => gpSample(ctx, opts) };
}
