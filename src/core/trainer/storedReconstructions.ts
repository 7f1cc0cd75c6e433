// A trial's reconstructions as the app shows them: PNG data URLs (a few KB instead of arrays of numbers), from
// the pixels runTrial streams (trainer events, a shared database's live view) or the file it stored for a
// finished trial (the analytics page and the study report).
import type { TrialReconstructions } from '../../shared/dto';
import { TrialReconstructions as TrialReconstructionsSchema } from '../../shared/schemas';
import { encodePng } from '../data/png';
import { readTrialArtifact } from '../storage/artifacts';
import type { Storage, TrialRecord } from '../storage/types';
// The pixels runTrial streams and stores.
import type { TrialReconstructions as PixelReconstructions } from './runTrial';

export function reconstructionsAsPngs(r: PixelReconstructions): TrialReconstructions {
  const url = (px: number[]): string =>
    `data:image/png;base64,${encodePng(Uint8Array.from(px), r.width, r.height, r.channels as 1 | 3).toString('base64')}`;
  return { trialId: r.trialId, epoch: r.epoch, originals: r.originals.map(url), reconstructions: r.reconstructions.map(url) };
}

/**
 * A trial running on another machine: its newest reconstructions from the shared database's live view (null
 * before its first, or for a database without one). Checked like any payload from elsewhere.
 */
export async function liveReconstructions(storage: Storage, trialId: number): Promise<TrialReconstructions | null> {
  const stored = await storage.liveViews?.getReconstructions(trialId);
  const parsed = TrialReconstructionsSchema.safeParse(stored);
  return parsed.success && parsed.data.trialId === trialId ? parsed.data : null;
}

/** A finished trial's stored reconstructions, or a running one's live view where its database keeps one. */
export async function trialReconstructions(storage: Storage, trial: TrialRecord, artifactsRoot: string): Promise<TrialReconstructions> {
  if (trial.state === 'RUNNING' && storage.liveViews) {
    const live = await liveReconstructions(storage, trial.id);
    if (live) return live;
  }
  const r = JSON.parse((await readTrialArtifact(storage, trial, 'reconstructions', artifactsRoot)).toString('utf8')) as PixelReconstructions;
  // The file is the trial's own, whatever id it was written under.
  return reconstructionsAsPngs({ ...r, trialId: trial.id });
}
