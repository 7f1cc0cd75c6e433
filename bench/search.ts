// Search-efficiency benchmark (not a test). Run: node --import tsx bench/search.ts [--quick] [--seeds=N]
//   [--samplers=random,tpe,gp] [--functions=branin,hartmann6,mixed] [--trials=100]
// Runs each sampler on Branin, Hartmann-6 and a mixed categorical + conditional function over several seeds,
// prints the median [min-max] of the best value after 10/25/50/100 trials next to Optuna 3.1's medians from
// REFERENCE.md, and the sampler's own time per suggestion with 50 and 200 finished trials in the history.
import { performance } from 'node:perf_hooks';
import type { JsonValue } from '../src/shared/json';
import type { SearchSpace } from '../src/shared/study/searchSpace';
import { createSampler } from '../src/core/search/samplers';
import type { SamplerConfigInput } from '../src/shared/study/samplerConfig';
import { createRng } from '../src/shared/rng';
import type { FrozenTrial } from '../src/core/search/types';
import { validateSpace } from '../src/shared/study/space';

type Params = Record<string, JsonValue>;
interface Problem {
  name: string;
  space: SearchSpace;
  f: (p: Params) => number;
  optimum: number;
  /** Optuna 3.1 medians (TPE, random) after 10/25/50/100 trials, REFERENCE.md. */
  optuna?: { tpe: number[]; random: number[] };
}

function space(spec: unknown): SearchSpace {
  const v = validateSpace(spec);
  if (!v.ok) throw new Error(v.errors.join('\n'));
  return v.space;
}

const num = (p: Params, k: string): number => p[k] as number;

const branin: Problem = {
  name: 'branin',
  space: space({ params: [{ name: 'x1', type: 'float', low: -5, high: 10 }, { name: 'x2', type: 'float', low: 0, high: 15 }] }),
  f: (p) => {
    const x1 = num(p, 'x1');
    const x2 = num(p, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
  },
  optimum: 0.397887,
  optuna: { tpe: [10.6, 1.088, 0.579, 0.414], random: [10.6, 3.566, 1.281, 0.596] },
};

const H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381],
];
const H_ALPHA = [1, 1.2, 3, 3.2];
const hartmann6: Problem = {
  name: 'hartmann6',
  space: space({ params: Array.from({ length: 6 }, (_, i) => ({ name: `x${i}`, type: 'float', low: 0, high: 1 })) }),
  f: (p) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let e = 0;
      for (let j = 0; j < 6; j++) e += H_A[i][j] * (num(p, `x${j}`) - H_P[i][j] * 1e-4) ** 2;
      s += H_ALPHA[i] * Math.exp(-e);
    }
    return -s;
  },
  optimum: -3.32237,
  optuna: { tpe: [-0.707, -1.681, -2.747, -3.046], random: [-0.707, -1.15, -1.58, -2.037] },
};

// A model-selection-shaped function: a categorical "kind" with children active for one kind only, a log
// float, a log int, a stepped float and an "activation" choice. Global minimum 0 (kind=b, a=0.3, x=1,
// lr=0.01, units=16, act=tanh, drop=0.2).
const mixed: Problem = {
  name: 'mixed',
  space: space({
    params: [
      { name: 'kind', type: 'categorical', choices: ['a', 'b', 'c'] },
      { name: 'a', type: 'float', low: 0, high: 1, condition: { parent: 'kind', values: ['b'] } },
      { name: 'k', type: 'int', low: 0, high: 10, condition: { parent: 'kind', values: ['c'] } },
      { name: 'x', type: 'float', low: -5, high: 5 },
      { name: 'lr', type: 'float', low: 1e-5, high: 1, log: true },
      { name: 'units', type: 'int', low: 2, high: 512, log: true },
      { name: 'act', type: 'categorical', choices: ['relu', 'tanh', 'sigmoid', 'linear'] },
      { name: 'drop', type: 'float', low: 0, high: 0.5, step: 0.05 },
    ],
  }),
  f: (p) => {
    const kind = p.kind as string;
    let v = kind === 'a' ? 0.6 : kind === 'b' ? 1 - Math.cos(2 * Math.PI * (num(p, 'a') - 0.3)) : 0.3 + (num(p, 'k') - 7) ** 2 / 20;
    v += (num(p, 'x') - 1) ** 2 / 10 + (Math.log10(num(p, 'lr')) + 2) ** 2 / 4 + (Math.log2(num(p, 'units')) - 4) ** 2 / 8;
    v += { relu: 0.1, tanh: 0, sigmoid: 0.3, linear: 0.5 }[p.act as string] ?? 1;
    v += (num(p, 'drop') - 0.2) ** 2 * 4;
    return v;
  },
  optimum: 0,
};

const CONFIGS: Record<string, SamplerConfigInput> = { random: { type: 'random' }, tpe: { type: 'tpe' }, gp: { type: 'gp' } };
const CHECKPOINTS = [10, 25, 50, 100];

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

function complete(number: number, params: Params, value: number): FrozenTrial {
  return { number, state: 'COMPLETE', params, values: [value], intermediate: [] };
}

/** Best value after each trial of one run, and the sampler's time per proposal. */
function run(cfg: SamplerConfigInput, prob: Problem, seed: number, nTrials: number): { trace: number[]; ms: number } {
  const sampler = createSampler(cfg);
  const trials: FrozenTrial[] = [];
  const trace: number[] = [];
  let best = Infinity;
  let ms = 0;
  for (let t = 0; t < nTrials; t++) {
    const t0 = performance.now();
    const params = sampler.sample({ space: prob.space, trials, directions: ['minimize'], pruneDirection: 'minimize', trialNumber: t, seed });
    ms += performance.now() - t0;
    if (!params) break;
    const v = prob.f(params);
    trials.push(complete(t, params, v));
    best = Math.min(best, v);
    trace.push(best);
  }
  return { trace, ms: ms / nTrials };
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/**
 * Median wall and CPU time of a proposal given `n` finished random trials on Hartmann-6 (a long study). CPU
 * time is shown too because these machines are shared: wall time rises with the load, CPU time much less.
 */
function timePerSuggestion(cfg: SamplerConfigInput, n: number, reps: number): string {
  const rng = createRng(12345 + n);
  const trials: FrozenTrial[] = [];
  for (let t = 0; t < n; t++) {
    const params: Params = {};
    for (let j = 0; j < 6; j++) params[`x${j}`] = rng.next();
    trials.push(complete(t, params, hartmann6.f(params)));
  }
  const sampler = createSampler(cfg);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    sampler.sample({ space: hartmann6.space, trials, directions: ['minimize'], pruneDirection: 'minimize', trialNumber: n + r, seed: r });
    if (r === 0) continue; // the first call warms up the JIT
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const med = (a: number[]): string => quantile(a.sort((x, y) => x - y), 0.5).toFixed(1);
  return `${med(wall)} (cpu ${med(cpu)})`;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const nSeeds = Number(arg('seeds') ?? (quick ? 4 : 10));
  const nTrials = Number(arg('trials') ?? 100);
  const samplers = (arg('samplers') ?? 'random,tpe,gp').split(',');
  const problems = [branin, hartmann6, mixed].filter((p) => (arg('functions') ?? 'branin,hartmann6,mixed').split(',').includes(p.name));
  const checkpoints = CHECKPOINTS.filter((c) => c <= nTrials);
  console.log(`search bench: ${nSeeds} seeds x ${nTrials} trials; best value after N trials, median [min-max]`);
  const started = performance.now();
  for (const prob of problems) {
    console.log(`\n## ${prob.name} (global min ${prob.optimum})`);
    console.log(`| sampler | ${checkpoints.map((c) => `${c}`).join(' | ')} | ms/suggestion (run avg) |`);
    console.log(`|---|${checkpoints.map(() => '---|').join('')}---|`);
    for (const name of samplers) {
      const runs = Array.from({ length: nSeeds }, (_, s) => run(CONFIGS[name], prob, s, nTrials));
      const cells = checkpoints.map((c) => {
        const vals = runs.map((r) => r.trace[Math.min(c, r.trace.length) - 1]).sort((a, b) => a - b);
        return `${fmt(quantile(vals, 0.5))} [${fmt(vals[0])}, ${fmt(vals[vals.length - 1])}]`;
      });
      const ms = runs.reduce((a, r) => a + r.ms, 0) / runs.length;
      console.log(`| ${name} | ${cells.join(' | ')} | ${ms.toFixed(1)} |`);
      const ref = prob.optuna?.[name as 'tpe' | 'random'];
      if (ref) console.log(`| optuna 3.1 ${name} | ${checkpoints.map((c) => fmt(ref[CHECKPOINTS.indexOf(c)])).join(' | ')} | |`);
    }
  }
  if (!arg('functions') || process.argv.includes('--timing')) {
    console.log('\n## sampler time per suggestion (Hartmann-6, median ms: wall (cpu))');
    console.log('| sampler | 50 finished | 200 finished |');
    console.log('|---|---|---|');
    for (const name of samplers) {
      const reps = name === 'gp' ? 9 : 15;
      console.log(`| ${name} | ${timePerSuggestion(CONFIGS[name], 50, reps)} | ${timePerSuggestion(CONFIGS[name], 200, reps)} |`);
    }
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main();
