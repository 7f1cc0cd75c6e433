// What a study's pruner compares (pruner.signal, issue 15), read from its stored spec for the study pages and
// the study list (StudySummary.prune): the signal, the primary objective it compares when 'downstream', and which
// way its values improve. Read with the engine's own schemas, so a stored spec from before the choice reads as
// 'reconstruction', what the engine did with it.
import type { PruneView } from '../dto';
import { Objective, objectiveLabel } from './objectives';
import { PrunerConfig } from './prunerConfig';
import { pruneDirection } from './spec';

/** The pruner's signal of a stored spec; null for no pruner (nothing is compared) or a spec without one. */
export function pruneViewOf(spec: unknown): PruneView | null {
  if (typeof spec !== 'object' || spec === null) return null;
  const { pruner: rawPruner, objectives: rawObjectives, primaryObjective: rawPrimary } = spec as Record<string, unknown>;
  const pruner = PrunerConfig.safeParse(rawPruner);
  if (!pruner.success || pruner.data.type === 'nop') return null;
  const parsed = Objective.array().safeParse(rawObjectives);
  const objectives = parsed.success ? parsed.data : [];
  const primaryObjective = typeof rawPrimary === 'number' ? rawPrimary : 0;
  const primary = objectives[primaryObjective];
  return {
    signal: pruner.data.signal,
    objective: primary ? objectiveLabel(primary) : null,
    weighted: primary?.name === 'weighted',
    direction: pruneDirection({ objectives, primaryObjective, pruner: pruner.data }),
  };
}
