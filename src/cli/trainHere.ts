// What `train` and `refit` share when they train a trial in this process: the backend line and the terminal
// progress (a bar on a TTY, one line per epoch).
import type { TrialEvents } from '../core/trainer/runTrial';
import { selectBackend, setTrainingThreads, type BackendName } from '../core/training/backend';
import { coreCount } from '../core/study/parallel';
import type { EpochMetrics } from '../shared/dto';
import { formatDuration, type ProgressBar } from './progress';

/** Picks the backend (from `preferred` down the chain), uses every core, and says which. */
export async function announceBackend(out: (line: string) => void, preferred?: BackendName): Promise<void> {
  const backend = await selectBackend(preferred);
  const threads = await setTrainingThreads(coreCount());
  out(`Backend: ${backend.note}${threads > 1 ? `; ${threads} threads` : ''}`);
}

/** A trial's progress on the bar and, after each epoch, the line `epochLine` makes. */
export function terminalTrialEvents(bar: ProgressBar, out: (line: string) => void, epochLine: (m: EpochMetrics) => string): TrialEvents {
  return {
    progress: (p) => bar.update((p.epoch - 1 + p.batch / p.batches) / p.epochs, `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} ETA ${formatDuration(p.etaSeconds)}`),
    epoch: ({ metrics }) => {
      bar.clear();
      out(epochLine(metrics));
    },
  };
}
