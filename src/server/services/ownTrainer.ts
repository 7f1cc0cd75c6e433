// One job in a trainer process of its own (encode a folder, measure the training speed): TensorFlow.js work
// stays out of the app's process, which keeps answering. The job is sent once the trainer is ready; the
// first message `settle` turns into an answer ends it, and the process is shut down either way.
import type { FromTrainer, SpawnTrainer, ToTrainer } from '../../core/trainer/protocol';

/**
 * `settle` sees every message after 'ready': it returns undefined to wait on (e.g. after relaying progress),
 * or a function giving the job's result (or throwing its error). `what` names the process in the error of a
 * trainer that exits first.
 */
export function runInOwnTrainer<T>(spawn: SpawnTrainer, job: ToTrainer, what: string, settle: (m: Exclude<FromTrainer, { type: 'ready' }>) => (() => T) | undefined): Promise<T> {
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
      if (m.type === 'ready') {
        trainer.send(job);
        return;
      }
      const answer = settle(m);
      if (!answer) return;
      finish(() => {
        try {
          resolve(answer());
        } catch (err) {
          reject(err);
        }
      });
    });
    trainer.onExit(({ code, signal }) => {
      if (!settled) finish(() => reject(new Error(`${what} ended before it finished (exit code ${code}, signal ${signal}).`)));
    });
  });
}
