import type { PruneView, TrialSummary } from '../../../shared/dto';
import type { Direction } from '../../../shared/study/objectives';
import type { ParamAxis } from '../../../shared/analytics/params';

/** What every analytics card reads about the open study. */
export interface StudyContext {
  trials: readonly TrialSummary[];
  axes: readonly ParamAxis[];
  directions: readonly Direction[];
  objectives: readonly string[];
  /** The objective the single-objective charts show. */
  objectiveIndex: number;
  /** What the study's pruner compares (null: no pruner), read from its spec. */
  prune: PruneView | null;
}
