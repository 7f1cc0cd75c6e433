// Fake study data for the analytics tests: deterministic trials with sampled params and values.
import { DEFAULT_PARAMS, type AutoencoderParams, type StudyDetail, type TrialState, type TrialSummary } from '../../src/shared/dto';

/** Small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SPEC = {
  name: 'fake',
  searchSpace: {
    params: [
      { name: 'architecture', type: 'fixed', value: 'dense' },
      { name: 'latentSize', type: 'int', low: 2, high: 64, log: true },
      { name: 'learningRate', type: 'float', low: 0.0001, high: 0.1, log: true },
      { name: 'activation', type: 'categorical', choices: ['relu', 'elu', 'tanh'] },
      { name: 'hiddenUnits', type: 'categorical', choices: [[128], [256, 64]] },
      { name: 'dropout', type: 'float', low: 0, high: 0.5 },
    ],
  },
};

export interface TrialInit {
  id: number;
  number?: number;
  state?: TrialState;
  values?: (number | null)[];
  searchParams?: Record<string, unknown>;
  createdAt?: string;
  finishedAt?: string | null;
  epochsDone?: number;
  bestValLoss?: number | null;
  latentSize?: number;
  retryOf?: number | null;
  startedAt?: string | null;
  worker?: string | null;
  note?: string;
  tags?: string[];
  metrics?: Record<string, number | null>;
  /** Why this version cannot read the trial's configuration: params null, as a newer version's trial lists. */
  paramsProblem?: string;
}

/** A fixture trial's configuration, for tests that vary it (a fixture made with paramsProblem has none). */
export function paramsOf(t: Pick<TrialSummary, 'params'>): AutoencoderParams {
  if (!t.params) throw new Error('this fixture trial has no readable configuration');
  return t.params;
}

export function trial(init: TrialInit): TrialSummary {
  const number = init.number ?? init.id - 1;
  return {
    id: init.id,
    studyId: 1,
    studyName: 'fake',
    number,
    state: init.state ?? 'COMPLETE',
    failReason: null,
    createdAt: init.createdAt ?? new Date(Date.UTC(2025, 0, 1, 0, number)).toISOString(),
    finishedAt: init.finishedAt === undefined ? new Date(Date.UTC(2025, 0, 1, 0, number, 30)).toISOString() : init.finishedAt,
    datasetPath: '/data/mnist',
    params: init.paramsProblem === undefined ? { ...DEFAULT_PARAMS, latentSize: init.latentSize ?? 8, epochs: 4 } : null,
    paramsProblem: init.paramsProblem ?? null,
    searchParams: init.searchParams ?? {},
    values: init.values ?? [0.05],
    retryOf: init.retryOf ?? null,
    startedAt: init.startedAt === undefined ? new Date(Date.UTC(2025, 0, 1, 0, number, 1)).toISOString() : init.startedAt,
    worker: init.worker === undefined ? `host:${100 + (number % 2)}` : init.worker,
    note: init.note ?? '',
    tags: init.tags ?? [],
    metrics: init.metrics ?? {},
    seed: 1,
    backend: 'wasm',
    epochsDone: init.epochsDone ?? 4,
    bestValLoss: init.bestValLoss === undefined ? (init.values?.[0] ?? 0.05) : init.bestValLoss,
  };
}

const STATES: TrialState[] = ['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'FAILED', 'RUNNING', 'CANCELLED'];

/** n trials over SPEC: the objective depends strongly on learningRate, weakly on latentSize, not on dropout. */
export function fakeTrials(n: number, seed = 1): TrialSummary[] {
  const r = rng(seed);
  const out: TrialSummary[] = [];
  for (let i = 0; i < n; i++) {
    const lr = 10 ** (-4 + 3 * r());
    const latent = Math.round(2 ** (1 + 5 * r()));
    const activation = ['relu', 'elu', 'tanh'][Math.floor(r() * 3)];
    const hidden = r() < 0.5 ? [128] : [256, 64];
    const dropout = 0.5 * r();
    const state = STATES[Math.floor(r() * STATES.length)];
    const value = 0.02 + 0.05 * Math.abs(Math.log10(lr) + 2.5) + 0.002 * Math.log2(latent) + 0.003 * r();
    // Downstream accuracy peaks at a mid-sized code (the seed's trade-off), reconstruction keeps improving.
    const accuracy = 0.9 - 0.02 * Math.abs(Math.log2(latent) - 3) - 0.02 * r();
    out.push(
      trial({
        id: i + 1,
        number: i,
        state,
        values: state === 'COMPLETE' ? [value] : [],
        searchParams: { latentSize: latent, learningRate: lr, activation, hiddenUnits: hidden, dropout },
        latentSize: latent,
        finishedAt: state === 'RUNNING' ? null : undefined,
        bestValLoss: state === 'FAILED' ? null : value,
        metrics: state === 'COMPLETE' ? { val_recon_mse: value, val_accuracy: accuracy, val_f1_macro: accuracy - 0.01 } : {},
      }),
    );
  }
  return out;
}

export function fakeStudy(trials: TrialSummary[], over: Partial<StudyDetail> = {}): StudyDetail {
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  return {
    id: 1,
    name: 'fake',
    createdAt: '2025-01-01T00:00:00.000Z',
    state: 'running',
    trials,
    counts,
    budgetTrials: 20,
    budgetSeconds: null,
    sampler: 'tpe',
    pruner: 'median',
    directions: ['minimize'],
    objectives: ['val_loss'],
    bestValue: null,
    bestTrialId: null,
    spec: SPEC,
    bestTestMetrics: null,
    baselines: null,
    probeSetting: null,
    verdict: null,
    pcaBySize: [],
    refits: [],
    ...over,
  };
}
