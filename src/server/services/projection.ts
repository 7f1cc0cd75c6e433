// 2-D/3-D views of a finished trial's validation codes, read back from the trial's stored files through the
// database that owns them. (Its last reconstructions: core/trainer/storedReconstructions.ts.)
import type { Projection, ProjectionMethod } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import { project } from '../../core/evaluation/projection/project';
import { readTrialArtifact, type StoredLatents } from '../../core/storage/artifacts';
import type { Storage, TrialRecord } from '../../core/storage/types';

const cache = new Map<string, Projection>();

export async function projectTrial(storage: Storage, trial: TrialRecord, artifactsRoot: string, method: ProjectionMethod, dims: 2 | 3): Promise<Projection> {
  const trialId = trial.id;
  const seed = trial.seed ?? 0;
  const text = (await readTrialArtifact(storage, trial, 'latents', artifactsRoot)).toString('utf8');
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
