// The live view's contract (Storage.liveViews), the same for every database that has one: kept only while the
// trial runs, the newest replacing the older, read by another connection, not one of the trial's named
// attributes, dropped when the trial ends and not brought back by a late write.
import { expect } from 'vitest';
import type { Storage } from '../../src/core/storage/types';
import { trialAttributesOf } from '../../src/core/study/attributes';

const view = (trialId: number, epoch: number) => ({ trialId, epoch, originals: ['data:image/png;base64,AA=='], reconstructions: ['data:image/png;base64,AQ=='] });

/** Runs the contract with `writer` (a trainer) and `reader` (a watching window's connection); returns the trial's id. */
export async function checkLiveViews(writer: Storage, reader: Storage): Promise<number> {
  const views = writer.liveViews;
  if (!views || !reader.liveViews) throw new Error(`${writer.path} keeps no live views`);
  const study = await writer.createStudy('live', 'search', ['minimize'], null);
  const t = await writer.createTrial(study.id, { state: 'WAITING', params: {}, seed: null, datasetPath: null });
  // Not running yet: nothing kept.
  await views.putReconstructions(t.id, view(t.id, 1));
  expect(await reader.liveViews.getReconstructions(t.id)).toBeNull();
  await writer.setTrialState(t.id, 'RUNNING');
  await views.putReconstructions(t.id, view(t.id, 1));
  await views.putReconstructions(t.id, view(t.id, 2));
  expect(await reader.liveViews.getReconstructions(t.id)).toEqual(view(t.id, 2));
  expect(trialAttributesOf(await reader.getTrialAttrs(t.id))).toEqual({});
  // Ended (complete, failed as stale, cancelled...): dropped, and a late write does not bring it back.
  await writer.setTrialState(t.id, 'FAILED', 'stale: gone');
  expect(await reader.liveViews.getReconstructions(t.id)).toBeNull();
  await views.putReconstructions(t.id, view(t.id, 3));
  expect(await reader.liveViews.getReconstructions(t.id)).toBeNull();
  expect(await reader.getTrialAttrs(t.id)).toEqual({});
  return t.id;
}
