// Studies side by side (optuna-dashboard's multi-study view; the seed article's dense vs conv): each study's
// best-so-far history, its best value per latent size (the sizes of all studies merged onto one axis), and one
// table row of facts (trials, durations, best trial, the verdict on test). Pure.
import { optimizationHistory, trialDurationSeconds, type HistoryPoint } from '../../../shared/analytics/objective';
import type { StudyDetail, TrialSummary } from '../../../shared/dto';
import type { BaselineComparison } from '../../../shared/verdict';
import { latentSizeTradeoff } from './tradeoff';

/** The objective all the studies optimise first, or null when they differ (their values share no axis). */
export function sharedObjective(studies: readonly Pick<StudyDetail, 'objectives' | 'directions'>[]): { name: string; direction: StudyDetail['directions'][number] } | null {
  const first = studies[0];
  if (!first || first.objectives.length === 0) return null;
  const name = first.objectives[0];
  const direction = first.directions[0] ?? 'minimize';
  return studies.every((s) => s.objectives[0] === name && (s.directions[0] ?? 'minimize') === direction) ? { name, direction } : null;
}

export interface StudyHistory {
  name: string;
  points: HistoryPoint[];
}

export function studyHistories(studies: readonly StudyDetail[]): StudyHistory[] {
  return studies.map((s) => ({ name: s.name, points: optimizationHistory(s.trials, s.directions[0] ?? 'minimize') }));
}

/**
 * The best objective value of each study at each latent size, on the union of the sizes (ascending); null where a
 * study never finished a trial of that size.
 */
export function mergeBySize(studies: readonly StudyDetail[]): { sizes: number[]; values: (number | null)[][] } {
  const perStudy = studies.map((s) => {
    const best = new Map<number, number>();
    const dir = s.directions[0] ?? 'minimize';
    for (const t of s.trials) {
      // A configuration this version cannot read has no known size: left out, not counted at a default.
      const size = t.params?.latentSize;
      const v = t.state === 'COMPLETE' ? t.values[0] : null;
      if (typeof size !== 'number' || typeof v !== 'number' || !Number.isFinite(v)) continue;
      const had = best.get(size);
      if (had === undefined || (dir === 'minimize' ? v < had : v > had)) best.set(size, v);
    }
    return best;
  });
  const sizes = [...new Set(perStudy.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return { sizes, values: perStudy.map((m) => sizes.map((k) => m.get(k) ?? null)) };
}

export interface StudyRow {
  name: string;
  state: StudyDetail['state'];
  sampler: string;
  objective: string | null;
  /** Architectures its finished trials used (params.architecture), in first-seen order. */
  architectures: string[];
  complete: number;
  pruned: number;
  failed: number;
  bestValue: number | null;
  bestTrialNumber: number | null;
  bestLatentSize: number | null;
  /** Median and total seconds of its finished trials (creation to finish). */
  medianSeconds: number | null;
  totalSeconds: number | null;
  /** The best downstream score at any latent size (validation), and the metric it is. */
  bestDownstream: { metric: string; value: number; latentSize: number } | null;
  verdict: StudyDetail['verdict'];
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const count = (trials: readonly TrialSummary[], state: TrialSummary['state']): number => trials.filter((t) => t.state === state).length;

export function studyRow(s: StudyDetail): StudyRow {
  const best = s.trials.find((t) => t.id === s.bestTrialId) ?? null;
  const durations = s.trials.map(trialDurationSeconds).filter((d): d is number => d !== null);
  const architectures = [...new Set(s.trials.map((t): string | undefined => t.params?.architecture).filter((a): a is string => typeof a === 'string'))];
  const tradeoff = latentSizeTradeoff(s.trials, s);
  const down = tradeoff.downstream;
  let bestDownstream: StudyRow['bestDownstream'] = null;
  if (down) {
    for (const r of tradeoff.rows) {
      const v = r.bestDownstream;
      if (v === null) continue;
      if (!bestDownstream || (down.direction === 'maximize' ? v > bestDownstream.value : v < bestDownstream.value)) bestDownstream = { metric: down.metric, value: v, latentSize: r.latentSize };
    }
  }
  const size = best?.params?.latentSize;
  return {
    name: s.name,
    state: s.state,
    sampler: s.sampler,
    objective: s.objectives[0] ?? null,
    architectures,
    complete: count(s.trials, 'COMPLETE'),
    pruned: count(s.trials, 'PRUNED'),
    failed: count(s.trials, 'FAILED'),
    bestValue: s.bestValue,
    bestTrialNumber: best?.number ?? null,
    bestLatentSize: typeof size === 'number' ? size : null,
    medianSeconds: median(durations),
    totalSeconds: durations.length ? durations.reduce((a, b) => a + b, 0) : null,
    bestDownstream,
    verdict: s.verdict,
  };
}

/** The verdict against one baseline in a few words' worth of numbers: outcome and difference in points. */
export function verdictCell(c: BaselineComparison): { outcome: BaselineComparison['outcome']; points: number; lo: number; hi: number } {
  return { outcome: c.outcome, points: 100 * c.difference.value, lo: 100 * c.difference.lo, hi: 100 * c.difference.hi };
}
