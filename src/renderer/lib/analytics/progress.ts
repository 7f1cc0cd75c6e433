// Study progress for the dashboard: trials done against the budget, and an ETA from the durations of the
// trials that already finished. Pure.
import type { StudySummary, TrialSummary } from '../../../shared/dto';
import { trialDurationSeconds } from '../../../shared/analytics/objective';
import { isFinishedTrial, studyTrialsRunning } from '../../../shared/trialStates';

export interface StudyProgressView {
  done: number;
  running: number;
  budget: number | null;
  /** 0..1 when a trial budget exists. */
  fraction: number | null;
  /** Mean seconds per finished (complete or pruned) trial. */
  meanTrialSeconds: number | null;
  etaSeconds: number | null;
}

export interface EtaInput {
  /** Durations (s) of trials that ran to their end (complete or pruned). */
  durations: readonly number[];
  /** Seconds already spent by each running trial. */
  runningElapsed: readonly number[];
  /** Trials not started yet. */
  notStarted: number;
  /** Trials that run at the same time. */
  workers: number;
}

/**
 * Work left divided by the workers: a running trial needs the mean duration minus what it has spent
 * (never less than 0), each trial not yet started needs the mean. Null before any trial finished.
 */
export function estimateEtaSeconds(input: EtaInput): number | null {
  if (input.durations.length === 0) return null;
  const mean = input.durations.reduce((s, d) => s + d, 0) / input.durations.length;
  const left = input.runningElapsed.reduce((s, e) => s + Math.max(0, mean - e), 0) + Math.max(0, input.notStarted) * mean;
  return left / Math.max(1, input.workers);
}

export function studyProgress(
  summary: Pick<StudySummary, 'budgetTrials' | 'state'>,
  trials: readonly TrialSummary[],
  now: number,
  workersHint: number | null = null,
): StudyProgressView {
  const retried = new Set(trials.map((t) => t.retryOf).filter((x): x is number => x !== null));
  const done = trials.filter((t) => isFinishedTrial(t.state) && !(t.state === 'FAILED' && retried.has(t.id))).length;
  const runningTrials = trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING');
  const running = runningTrials.length;
  const budget = summary.budgetTrials;
  const durations = trials
    .filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')
    .map(trialDurationSeconds)
    .filter((d): d is number => d !== null);
  const meanTrialSeconds = durations.length ? durations.reduce((s, d) => s + d, 0) / durations.length : null;
  let etaSeconds: number | null = null;
  if (budget !== null && studyTrialsRunning(summary.state)) {
    const runningElapsed = runningTrials.map((t) => {
      const a = Date.parse(t.createdAt);
      return Number.isFinite(a) ? Math.max(0, (now - a) / 1000) : 0;
    });
    etaSeconds = estimateEtaSeconds({
      durations,
      runningElapsed,
      notStarted: Math.max(0, budget - done - running),
      workers: Math.max(1, workersHint ?? running),
    });
  }
  return {
    done,
    running,
    budget,
    fraction: budget ? Math.min(1, done / budget) : null,
    meanTrialSeconds,
    etaSeconds: budget !== null && done >= budget ? 0 : etaSeconds,
  };
}

/**
 * The bar of a single trial that has ended: full when it completed, else the share of its planned epochs it
 * trained (a cancelled or failed run stops where it stopped; never an endless "busy" bar). Null only when
 * the plan is unknown and nothing was trained.
 */
export function endedTrialFraction(state: TrialSummary['state'] | null, epochsDone: number, epochsPlanned: number | null): number {
  if (state === 'COMPLETE') return 1;
  if (!epochsPlanned || epochsPlanned <= 0) return 0;
  return Math.min(1, Math.max(0, epochsDone / epochsPlanned));
}
