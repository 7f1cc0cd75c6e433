// What a running trial's card shows as its progress. A trainer of this window streams batch progress; a trial
// trained by another process (a worker on another machine, heard of through the shared database) only has its
// stored epochs, so its progress is counted in epochs and its ETA comes from its seconds per epoch. Pure.
import type { EpochMetrics, TrialProgress } from '../../shared/dto';

export interface TrialProgressView {
  /** The epoch being trained (batch progress) or the last one stored (epochs). */
  epoch: number;
  epochs: number;
  /** 0..1, or null while the planned epochs are unknown. */
  fraction: number | null;
  samplesPerSec: number;
  /** Seconds of training left; null when nothing says yet. */
  etaSeconds: number | null;
  source: 'batches' | 'epochs';
}

/** The newest epochs that make the ETA: the pace of a trial drifts (other load, early epochs warming up). */
const PACE_EPOCHS = 10;

export function trialProgressView(batch: TrialProgress | null, epochs: readonly EpochMetrics[], planned: number | null): TrialProgressView | null {
  if (batch) {
    const within = batch.batches > 0 ? batch.batch / batch.batches : 0;
    return {
      epoch: batch.epoch,
      epochs: batch.epochs,
      fraction: batch.epochs > 0 ? Math.min(1, (batch.epoch - 1 + within) / batch.epochs) : null,
      samplesPerSec: batch.samplesPerSec,
      etaSeconds: batch.etaSeconds,
      source: 'batches',
    };
  }
  const last = epochs[epochs.length - 1];
  if (!last || planned === null || planned <= 0) return null;
  const done = Math.min(last.epoch, planned);
  const pace = epochs
    .slice(-PACE_EPOCHS)
    .map((m) => m.seconds)
    .filter((s) => Number.isFinite(s) && s > 0);
  const perEpoch = pace.length ? pace.reduce((a, b) => a + b, 0) / pace.length : null;
  return {
    epoch: done,
    epochs: planned,
    fraction: done / planned,
    samplesPerSec: last.samplesPerSec,
    etaSeconds: perEpoch === null ? null : perEpoch * (planned - done),
    source: 'epochs',
  };
}
