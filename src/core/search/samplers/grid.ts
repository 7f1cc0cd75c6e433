// Grid search: the first grid point (in enumerateGrid order) that no trial of the study has taken yet, in
// any state, so a resumed study continues where it stopped and parallel workers (whose RUNNING trials are in
// the history) never repeat a point. Returns null when the grid is exhausted: the study stops cleanly.
// Failed points are not retried here; retrying is the runner's decision.
import { gridSize, iterateGrid, paramsKey, pruneInactive } from '../../../shared/study/space';
import type { Sampler } from '../types';

export function createGridSampler(): Sampler {
  return {
    name: 'grid',
    sample: (ctx) => {
      const size = gridSize(ctx.space);
      if (typeof size !== 'number') throw new Error(size.error);
      // Stored params are compared on their active part, so an enqueued trial with extras still counts.
      const taken = new Set(ctx.trials.map((t) => paramsKey(pruneInactive(ctx.space, t.params))));
      for (const point of iterateGrid(ctx.space)) {
        if (!taken.has(paramsKey(point))) return point;
      }
      return null;
    },
  };
}
