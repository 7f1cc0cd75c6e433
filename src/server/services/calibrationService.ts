// The wizard's throughput measurement (estimate.calibrate): a trainer process of its own trains a few batches
// of each architecture's default model (core/training/calibrate.ts), so TensorFlow.js never runs in the app's
// process and the figure is the trainers' own backend.
import type { Handlers } from '../../shared/contract';
import type { CalibrateJob, SpawnTrainer } from '../../core/trainer/protocol';

type CalibrationHandlers = Pick<Handlers, 'estimate.calibrate'>;

function calibrateInTrainer(spawn: SpawnTrainer, job: CalibrateJob): Promise<{ backend: string; samplesPerSec: number[] }> {
  return new Promise((resolve, reject) => {
    const trainer = spawn();
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      trainer.send({ type: 'shutdown' });
      fn();
    };
    trainer.onMessage((m) => {
      if (m.type === 'ready') trainer.send({ type: 'calibrate', job });
      else if (m.type === 'calibrate.done') {
        const r = m.outcome;
        if (r.ok) finish(() => resolve({ backend: r.backend, samplesPerSec: r.samplesPerSec }));
        else finish(() => reject(new Error(`Measuring the training speed failed: ${r.message}`)));
      }
    });
    trainer.onExit(({ code, signal }) => {
      if (!settled) finish(() => reject(new Error(`The speed measurement's trainer process ended before it finished (exit code ${code}, signal ${signal}).`)));
    });
  });
}

export function createCalibrationHandlers(o: { spawnTrainer: SpawnTrainer }): CalibrationHandlers {
  return {
    'estimate.calibrate': ({ architectures, imageSize, channels }) => calibrateInTrainer(o.spawnTrainer, { architectures, imageSize, channels }),
  };
}
