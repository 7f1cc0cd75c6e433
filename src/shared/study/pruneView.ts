// What a study's pruner compares (pruner.signal, issue 15), read from its stored spec for the study pages and
// the study list (StudySummary.prune): the signal, the primary objective it compares when 'downstream', and which
// way its values improve. Read with the engine's own schemas, so a stored spec from before the choice reads as
// 'reconstruction', what the engine did with it.
import type { PruneView } from '../dto';
import { Objective, objectiveLabel } from './objectives';
import { PrunerConfig } from './prunerConfig';
import { pruneDirection, type StudySpec } from './spec';

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

/** The pruner in words for the CLI, with what it compares: "hyperband (on val_accuracy from a quick probe, ...)". */
export function prunerLabel(spec: Pick<StudySpec, 'objectives' | 'primaryObjective' | 'pruner'>): string {
  const view = pruneViewOf(spec);
  if (!view) return 'none';
  return view.signal === 'downstream' && view.objective
    ? `${spec.pruner.type} (on ${view.objective} from a quick probe, at the epochs it decides)`
    : `${spec.pruner.type} (on the validation reconstruction MSE)`;
}
