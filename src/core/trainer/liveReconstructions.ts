// A running trial's reconstructions for the windows that watch it from another process or machine
// (Storage.liveViews): written one at a time in epoch order, only the newest waiting one kept, and never failing
// the trial (its own results matter more than a view of them); the first failure is said once.
import type { Storage } from '../storage/types';
import type { TrialReconstructions as PixelReconstructions } from './runTrial';
import { reconstructionsAsPngs } from './storedReconstructions';

export interface LiveReconstructionsWriter {
  write(r: PixelReconstructions): void;
  /** Resolves when nothing is being written (before the trial's state changes). */
  settled(): Promise<void>;
}

/** Null for a database without a live view (in memory). */
export function liveReconstructionsWriter(storage: Storage, warn: (message: string) => void): LiveReconstructionsWriter | null {
  const views = storage.liveViews;
  if (!views) return null;
  let waiting: PixelReconstructions | null = null;
  let writing: Promise<void> = Promise.resolve();
  let busy = false;
  let warned = false;
  const drain = async (): Promise<void> => {
    busy = true;
    while (waiting) {
      const r = waiting;
      waiting = null;
      try {
        await views.putReconstructions(r.trialId, reconstructionsAsPngs(r));
      } catch (err) {
        if (!warned) warn(`Trial ${r.trialId}'s reconstructions could not be stored in ${storage.path} for the windows watching it (${err instanceof Error ? err.message : String(err)}); the trial goes on, and its final ones are stored with it.`);
        warned = true;
      }
    }
    busy = false;
  };
  return {
    write(r) {
      waiting = r;
      if (!busy) writing = drain();
    },
    settled: () => writing,
  };
}
