// One async entry point for latent-space plots. The work runs in small synchronous steps and yields to the event
// loop every ~20 ms, so projecting a few thousand points never freezes a window or a trainer's message handling.
import type { Matrix } from '../matrix';
import { fitPca, pcaTransform } from './pca';
import { tsneSteps, type StepProgress, type TsneOptions } from './tsne';
import { umapSteps, type UmapOptions } from './umap';

export type ProjectionMethod = 'pca' | 'tsne' | 'umap';

export interface ProjectionProgress extends StepProgress {
  method: ProjectionMethod;
}

export interface ProjectOptions {
  method: ProjectionMethod;
  dims: 2 | 3;
  seed?: number;
  onProgress?: (p: ProjectionProgress) => void;
  signal?: AbortSignal;
  /** Longest stretch of synchronous work between yields (default 20 ms). */
  sliceMs?: number;
  tsne?: Omit<TsneOptions, 'dims' | 'seed'>;
  umap?: Omit<UmapOptions, 'dims' | 'seed'>;
}

export interface Projection extends Matrix {
  /** 'direct' when the points already had at most `dims` columns and were returned as they are. */
  method: ProjectionMethod | 'direct';
}

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

function* pcaSteps(points: Matrix, dims: number, seed: number): Generator<StepProgress, Matrix, void> {
  yield { phase: 'prepare', done: 0, total: 1 };
  const k = Math.min(dims, points.rows - 1, points.cols);
  const scores = pcaTransform(fitPca(points, k, { seed }), points);
  if (k === dims) return scores;
  // Fewer points than dimensions: pad with zero columns so the caller always gets `dims` columns.
  const data = new Float64Array(points.rows * dims);
  for (let i = 0; i < points.rows; i++) for (let c = 0; c < k; c++) data[i * dims + c] = scores.data[i * k + c];
  return { data, rows: points.rows, cols: dims };
}

/**
 * Projects points (rows) to `dims` coordinates. Codes with at most `dims` columns are returned directly (narrower
 * ones padded with zero columns). Deterministic for a seed. Rejects with the signal's reason when aborted.
 */
export async function project(points: Matrix, opts: ProjectOptions): Promise<Projection> {
  const { method, dims } = opts;
  const seed = opts.seed ?? 0;
  const slice = opts.sliceMs ?? 20;
  opts.signal?.throwIfAborted();
  if (points.cols <= dims || points.rows < 2) {
    const data = new Float64Array(points.rows * dims);
    const c = Math.min(points.cols, dims);
    for (let i = 0; i < points.rows; i++) for (let a = 0; a < c; a++) data[i * dims + a] = points.data[i * points.cols + a];
    return { data, rows: points.rows, cols: dims, method: 'direct' };
  }
  const steps =
    method === 'pca'
      ? pcaSteps(points, dims, seed)
      : method === 'tsne'
        ? tsneSteps(points, { ...opts.tsne, dims, seed })
        : umapSteps(points, { ...opts.umap, dims, seed });
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) {
      opts.onProgress?.({ method, phase: 'optimize', done: 1, total: 1 });
      return { ...r.value, method };
    }
    if (performance.now() - sliceStart >= slice) {
      opts.onProgress?.({ method, ...r.value });
      await yieldToEventLoop();
      opts.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}
