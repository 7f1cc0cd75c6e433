// 2-D/3-D views of a finished trial's validation codes, and its last reconstructions, read back from the
// trial's stored files through the database that owns them.
import type { Projection, ProjectionMethod, TrialReconstructions } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import { encodePng } from '../../core/data/png';
import { project } from '../../core/evaluation/projection/project';
// The file runTrial writes: its pixel reconstructions, as streamed to the trainer's listeners.
import type { TrialReconstructions as StoredReconstructions } from '../../core/trainer/runTrial';
import { readTrialArtifact, type StoredLatents } from '../../core/storage/artifacts';
import type { Storage, TrialRecord } from '../../core/storage/types';

const cache = new Map<string, Projection>();

export async function projectTrial(storage: Storage, trial: TrialRecord, artifactsRoot: string, method: ProjectionMethod, dims: 2 | 3): Promise<Projection> {
  const trialId = trial.id;
  const seed = trial.seed ?? 0;
  const text = readTrialArtifact(storage, trial, 'latents', artifactsRoot).toString('utf8');
  const key = `${storage.databaseId}|${trialId}|${method}|${dims}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const stored = JSON.parse(text) as StoredLatents;
  const k = stored.latentSize;
  const data = new Float64Array(stored.codes.length * k);
  stored.codes.forEach((row, i) => row.forEach((v, j) => (data[i * k + j] = v)));
  const points = { data, rows: stored.codes.length, cols: k };
  let out: Projection;
  if (method === 'direct' || k <= dims) {
    if (k > 3 && method === 'direct') {
      throw new AppError('PROJECTION_NEEDS_METHOD', { dims: k });
    }
    out = { trialId, method: 'direct', dims, points: stored.codes.map((r) => Array.from({ length: dims }, (_, j) => r[j] ?? 0)), labels: stored.labels };
  } else {
    const p = await project(points, { method, dims, seed });
    const rows = Array.from({ length: p.rows }, (_, i) => Array.from(p.data.subarray(i * p.cols, (i + 1) * p.cols)));
    out = { trialId, method: p.method === 'direct' ? 'direct' : method, dims, points: rows, labels: stored.labels };
  }
  if (cache.size > 32) cache.clear();
  cache.set(key, out);
  return out;
}

/** A finished trial's last reconstructions (stored as pixels) as PNG data URLs. */
export function trialReconstructions(storage: Storage, trial: TrialRecord, artifactsRoot: string): TrialReconstructions {
  const trialId = trial.id;
  const r = JSON.parse(readTrialArtifact(storage, trial, 'reconstructions', artifactsRoot).toString('utf8')) as StoredReconstructions;
  const url = (px: number[]): string =>
    `data:image/png;base64,${encodePng(Uint8Array.from(px), r.width, r.height, r.channels as 1 | 3).toString('base64')}`;
  return { trialId, epoch: r.epoch, originals: r.originals.map(url), reconstructions: r.reconstructions.map(url) };
}
