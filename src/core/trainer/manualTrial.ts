// Creating a hand-configured trial needs only storage: kept apart from runTrial so the main process can
// create trials without loading TensorFlow.js.
import { MANUAL_STUDY, REFIT_STUDY, type TrainRequest } from '../../shared/dto';
import type { JsonValue, Storage, TrialRecord } from '../storage/types';
import { describeOwner, ownerLiveness } from '../study/trialOwner';

export { MANUAL_STUDY };

/** Creates the trial row (WAITING) for a hand-configured training request. */
export async function createManualTrial(storage: Storage, request: TrainRequest): Promise<number> {
  const study = await storage.getOrCreateStudy(MANUAL_STUDY, 'manual');
  const params = request.params as unknown as Record<string, JsonValue>;
  const trial = await storage.createTrial(study.id, {
    state: 'WAITING',
    params,
    seed: request.params.seed,
    datasetPath: request.datasetPath,
  });
  return trial.id;
}

/**
 * Fails the hand-configured trials and refits left RUNNING by a trainer process that is gone (the app or the
 * CLI was killed while training); they are not retried, the user starts them again. Returns the failed trials.
 */
export async function recoverManualTrials(storage: Storage): Promise<TrialRecord[]> {
  const gone: TrialRecord[] = [];
  for (const name of [MANUAL_STUDY, REFIT_STUDY]) {
    const study = await storage.getStudy(name);
    if (!study) continue;
    const running = await storage.listTrials({ studyId: study.id, states: ['RUNNING'] });
    gone.push(...running.filter((t) => t.owner && ownerLiveness(t.owner) === 'gone'));
  }
  for (const t of gone) await storage.setTrialState(t.id, 'FAILED', `stale: its trainer (${describeOwner(t.owner!)}) is gone (the app stopped or was killed)`);
  return gone;
}
