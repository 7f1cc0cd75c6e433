// How many trainers a study may start, given the machine's memory: each needs what the most demanding
// configuration of its search space needs (memoryEstimate.ts). 'auto' starts no more than fit; an explicit
// count or a space that cannot fit at all is refused before anything starts, with the numbers.
import os from 'node:os';
import type { AutoencoderParams } from '../../shared/dto';
import type { JsonValue } from '../../shared/json';
import { paramsFromSample, trialBaseOf } from '../../shared/study/templates';
import { AppError, isAppError } from '../../shared/errors';
import { estimateTrialMemory, formatBytes, type MemoryEstimate } from '../training/memoryEstimate';
import { resolveParallel } from './parallel';
import type { StudySpec } from '../../shared/study/spec';

/** Memory kept free for the OS and the app itself. */
const RESERVE_FRACTION = 0.1;

/** Memory trainers may use now: what the OS reports available, less a reserve. */
export function availableMemory(): number {
  return Math.max(0, os.freemem() - RESERVE_FRACTION * os.totalmem());
}

/** Images assumed when the folder has not been counted: enough to fill the in-memory pixel limit, with codes. */
const ASSUMED_IMAGES = 100_000;

/**
 * The configuration of the space that needs the most memory, one parameter at a time (an upper bound, not a
 * sampled trial): numeric ranges at their top, the largest choice of each categorical.
 */
export function mostDemanding(spec: StudySpec): AutoencoderParams {
  const base = trialBaseOf(spec);
  const sample: Record<string, JsonValue> = {};
  const cost = (s: Record<string, JsonValue>): number => {
    try {
      return estimateTrialMemory(paramsFromSample(s, base), ASSUMED_IMAGES).total;
    } catch {
      return -1; // a combination the parameters do not allow
    }
  };
  for (const p of spec.searchSpace.params) {
    if (p.type === 'fixed') sample[p.name] = p.value;
    else if (p.type === 'int' || p.type === 'float') sample[p.name] = p.high;
    else {
      let best: JsonValue = p.choices[0];
      let most = -Infinity;
      for (const choice of p.choices) {
        const c = cost({ ...sample, [p.name]: choice });
        if (c > most) [most, best] = [c, choice];
      }
      sample[p.name] = best;
    }
  }
  return paramsFromSample(sample, base);
}

export interface TrainerPlan {
  trainers: number;
  perTrainer: MemoryEstimate;
  available: number;
}

/** An estimate's parts as error parameters (STUDY_MEMORY, STUDY_TRAINERS_MEMORY, TRIAL_MEMORY). */
function memoryParams(e: MemoryEstimate, available: number): Record<'need' | 'runtime' | 'model' | 'optimizer' | 'batch' | 'data' | 'available', string> {
  return {
    need: formatBytes(e.total), runtime: formatBytes(e.runtime), model: formatBytes(e.model), optimizer: formatBytes(e.optimizer),
    batch: formatBytes(e.batch), data: formatBytes(e.data), available: formatBytes(available),
  };
}

/** Whether err is this module's refusal (a usage error on the command line). */
export function isMemoryError(err: unknown): err is AppError {
  return isAppError(err) && (err.code === 'STUDY_MEMORY' || err.code === 'STUDY_TRAINERS_MEMORY' || err.code === 'TRIAL_MEMORY');
}

/**
 * Trainers for a study: `requested` (or the spec's `parallel`), never more than memory allows for 'auto'.
 * Throws an AppError (STUDY_MEMORY, STUDY_TRAINERS_MEMORY) when not even one trainer fits, or an explicit count
 * does not. `cores` caps 'auto' (default: one per core, one with tfjs-node).
 */
export function planTrainers(spec: StudySpec, o: { requested?: 'auto' | number; available?: number; cores?: number } = {}): TrainerPlan {
  const requested = o.requested ?? spec.parallel;
  const available = o.available ?? availableMemory();
  const perTrainer = estimateTrialMemory(mostDemanding(spec), ASSUMED_IMAGES);
  const fit = Math.floor(available / perTrainer.total);
  const numbers = memoryParams(perTrainer, available);
  if (fit < 1) throw new AppError('STUDY_MEMORY', { name: spec.name, ...numbers });
  if (requested === 'auto') return { trainers: Math.min(o.cores ?? resolveParallel('auto'), fit), perTrainer, available };
  if (requested > fit) {
    throw new AppError('STUDY_TRAINERS_MEMORY', { name: spec.name, requested, fit, total: formatBytes(requested * perTrainer.total), ...numbers });
  }
  return { trainers: requested, perTrainer, available };
}

/** For one hand-configured trial on `images` images: throws an AppError (TRIAL_MEMORY) when it cannot fit. */
export function checkTrialFits(params: AutoencoderParams, images = ASSUMED_IMAGES, available = availableMemory()): MemoryEstimate {
  const e = estimateTrialMemory(params, images);
  if (e.total > available) throw new AppError('TRIAL_MEMORY', memoryParams(e, available));
  return e;
}
