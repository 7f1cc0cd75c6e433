// A finished trial's last reconstructions, read back from the file runTrial stored, as PNG data URLs (the
// analytics page and the study report show them).
import type { TrialReconstructions } from '../../shared/dto';
import { encodePng } from '../data/png';
import { readTrialArtifact } from '../storage/artifacts';
import type { Storage, TrialRecord } from '../storage/types';
// The file runTrial writes: its pixel reconstructions, as streamed to the trainer's listeners.
import type { TrialReconstructions as StoredReconstructions } from './runTrial';

export async function trialReconstructions(storage: Storage, trial: TrialRecord, artifactsRoot: string): Promise<TrialReconstructions> {
  const trialId = trial.id;
  const r = JSON.parse((await readTrialArtifact(storage, trial, 'reconstructions', artifactsRoot)).toString('utf8')) as StoredReconstructions;
  const url = (px: number[]): string =>
    `data:image/png;base64,${encodePng(Uint8Array.from(px), r.width, r.height, r.channels as 1 | 3).toString('base64')}`;
  return { trialId, epoch: r.epoch, originals: r.originals.map(url), reconstructions: r.reconstructions.map(url) };
}
