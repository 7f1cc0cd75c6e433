// The latent explorer's server side: a finished trial's stored codes (latents.json) projected to 2-D with what
// each point is, its images (points.bin thumbnails as PNG), and nearest neighbours in code space. Everything
// is read back through the artifact layout, checked for ownership, and cached per trial (the files never change).
import type { ProjectionMethod } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { ExplorerImagesData, ExplorerNeighboursData, ExplorerPointsData } from '../../shared/explorerSchemas';
import { encodePng } from '../../core/data/png';
import { nearestNeighbours } from '../../core/math/neighbours';
import { readTrialArtifact, type StoredLatents, type StoredPoints } from '../../core/storage/artifacts';
import type { ArtifactError } from '../../core/storage/artifacts';
import type { Storage, TrialRecord } from '../../core/storage/types';
import { projectTrial } from './projection';

interface TrialCodes {
  codes: Float32Array;
  dims: number;
  rows: number;
}

interface TrialPoints {
  points: StoredPoints;
  images: Buffer;
}

/** A few trials' files in memory: a user explores one trial at a time, and may switch back. */
const CACHE_TRIALS = 4;
const codesCache = new Map<string, TrialCodes>();
const pointsCache = new Map<string, TrialPoints | null>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_TRIALS) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

const keyOf = (storage: Storage, trial: TrialRecord): string => `${storage.databaseId}|${trial.id}`;

async function trialCodes(storage: Storage, trial: TrialRecord, root: string): Promise<TrialCodes> {
  const key = keyOf(storage, trial);
  const hit = codesCache.get(key);
  if (hit) return hit;
  const stored = JSON.parse((await readTrialArtifact(storage, trial, 'latents', root)).toString('utf8')) as StoredLatents;
  const dims = stored.latentSize;
  const codes = new Float32Array(stored.codes.length * dims);
  stored.codes.forEach((row, i) => codes.set(row, i * dims));
  return remember(codesCache, key, { codes, dims, rows: stored.codes.length });
}

/** The explorer's per-point files, or null for a trial trained before they were written. */
async function trialPoints(storage: Storage, trial: TrialRecord, root: string): Promise<TrialPoints | null> {
  const key = keyOf(storage, trial);
  if (pointsCache.has(key)) return pointsCache.get(key) ?? null;
  try {
    const points = JSON.parse((await readTrialArtifact(storage, trial, 'points', root)).toString('utf8')) as StoredPoints;
    const images = await readTrialArtifact(storage, trial, 'pointImages', root);
    return remember(pointsCache, key, { points, images });
  } catch (err) {
    if ((err as ArtifactError).code === 'NO_EXPLORER_DATA') return remember(pointsCache, key, null);
    throw err;
  }
}

export async function explorerPoints(storage: Storage, trial: TrialRecord, root: string, method: ProjectionMethod): Promise<ExplorerPointsData> {
  const projection = await projectTrial(storage, trial, root, method, 2);
  const { dims } = await trialCodes(storage, trial, root);
  const stored = await trialPoints(storage, trial, root);
  const n = projection.points.length;
  // Files of another length than the codes would colour the wrong points: treat them as absent.
  const p = stored && stored.points.files.length === n ? stored.points : null;
  return {
    trialId: trial.id,
    method: projection.method,
    latentSize: dims,
    points: projection.points.map((r) => [r[0] ?? 0, r[1] ?? 0] as [number, number]),
    labels: projection.labels,
    errors: p ? p.errors : null,
    predicted: p && p.predicted && p.predicted.length === n ? p.predicted : null,
    files: p ? p.files : null,
  };
}

function checkIndex(trial: TrialRecord, index: number, count: number): void {
  if (!(index >= 0 && index < count)) throw new AppError('POINT_OUT_OF_RANGE', { index, count, trialId: trial.id });
}

export async function explorerImages(storage: Storage, trial: TrialRecord, root: string, indices: readonly number[]): Promise<ExplorerImagesData> {
  const stored = await trialPoints(storage, trial, root);
  if (!stored) throw new AppError('NO_EXPLORER_DATA', { trialId: trial.id });
  const { points, images } = stored;
  const thumb = points.thumbWidth * points.thumbHeight * points.channels;
  const url = (at: number): string =>
    `data:image/png;base64,${encodePng(images.subarray(at, at + thumb), points.thumbWidth, points.thumbHeight, points.channels as 1 | 3).toString('base64')}`;
  return {
    trialId: trial.id,
    images: [...new Set(indices)].map((index) => {
      checkIndex(trial, index, points.files.length);
      const at = index * thumb * 2;
      return { index, file: points.files[index], original: url(at), reconstruction: url(at + thumb), error: points.errors[index] };
    }),
  };
}

export async function explorerNeighbours(storage: Storage, trial: TrialRecord, root: string, index: number, k: number): Promise<ExplorerNeighboursData> {
  const { codes, dims, rows } = await trialCodes(storage, trial, root);
  checkIndex(trial, index, rows);
  return { trialId: trial.id, index, neighbours: nearestNeighbours(codes, dims, index, k) };
}
