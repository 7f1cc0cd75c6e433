// Which trial states are final: a trial in one of them never trains again. The one list for the engine
// (storage stamps finishedAt, tell() accepts only these), the trainer supervisor, the CLI and the renderer.
import type { StudyState, TrialState } from './dto';

export const FINISHED_TRIAL_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAILED', 'CANCELLED'];

export function isFinishedTrial(state: TrialState | null | undefined): boolean {
  return state !== null && state !== undefined && FINISHED_TRIAL_STATES.includes(state);
}

/** Final states that keep no latent codes or reconstructions: only COMPLETE trials store them. */
export function keepsNoArtifacts(state: TrialState): boolean {
  return isFinishedTrial(state) && state !== 'COMPLETE';
}

/**
 * Whether a study's trials are training now, in this window ('running') or in another process or machine sharing
 * the database ('elsewhere'): its pages follow them live, show an ETA, and its chosen trial may still change.
 */
export function studyTrialsRunning(state: StudyState | null | undefined): boolean {
  return state === 'running' || state === 'elsewhere';
}
