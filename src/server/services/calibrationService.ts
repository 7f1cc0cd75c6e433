// The wizard's throughput measurement (estimate.calibrate): a trainer process of its own trains a few batches
// of each architecture's default model (core/training/calibrate.ts), so TensorFlow.js never runs in the app's
// process and the figure is the trainers' own backend.
import type { Handlers } from '../../shared/contract';
import type { CalibrateJob, SpawnTrainer } from '../../core/trainer/protocol';
import { runInOwnTrainer } from './ownTrainer';

type CalibrationHandlers = Pick<Handlers, 'estimate.calibrate'>;

function calibrateInTrainer(spawn: SpawnTrainer, job: CalibrateJob): Promise<{ backend: string; samplesPerSec: number[] }> {
  return runInOwnTrainer(spawn, { type: 'calibrate', job }, "The speed measurement's trainer process", (m) => {
    if (m.type !== 'calibrate.done') return undefined;
    const r = m.outcome;
    return () => {
      if (r.ok) return { backend: r.backend, samplesPerSec: r.samplesPerSec };
      throw new Error(`Measuring the training speed failed: ${r.message}`);
    };
  });
}

export function createCalibrationHandlers(o: { spawnTrainer: SpawnTrainer }): CalibrationHandlers {
  return {
    'estimate.calibrate': ({ architectures, imageSize, channels }) => calibrateInTrainer(o.spawnTrainer, { architectures, imageSize, channels }),
  };
}
