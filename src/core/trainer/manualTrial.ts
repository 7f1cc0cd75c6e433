// Creating a hand-configured trial needs only storage: kept apart from runTrial so the main process can
// create trials without loading TensorFlow.js.
import type { TrainRequest } from '../../shared/dto';
import type { JsonValue, Storage } from '../storage/types';

export const MANUAL_STUDY = 'Manual trials';

/** Creates the trial row (WAITING) for a hand-configured training request. */
export function createManualTrial(storage: Storage, request: TrainRequest): number {
  const study = storage.getOrCreateStudy(MANUAL_STUDY, 'manual');
  const params = request.params as unknown as Record<string, JsonValue>;
  return storage.createTrial(study.id, {
    state: 'WAITING',
    params,
    seed: request.params.seed,
    datasetPath: request.datasetPath,
  }).id;
}
