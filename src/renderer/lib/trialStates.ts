// Which trial states are final: a trial in one of them never trains again (the renderer's one copy).
import type { TrialState } from '../../shared/dto';

export const FINISHED_TRIAL_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAILED', 'CANCELLED'];

export function isFinishedTrial(state: TrialState | null | undefined): boolean {
  return state !== null && state !== undefined && FINISHED_TRIAL_STATES.includes(state);
}
