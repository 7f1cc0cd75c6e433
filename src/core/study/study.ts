// A study over the trial database: ask (a WAITING enqueued trial, else the sampler's proposal) and tell,
// inside one write transaction so parallel workers in other processes never take the same trial or
// propose from a stale history. Samplers and pruners only read; this is what writes.
import { isFinishedTrial } from '../../shared/trialStates';
import type { TrialState } from '../../shared/dto';
import type { JsonValue } from '../../shared/json';
import type { Storage, StudyRecord, TrialOwner, TrialRecord } from '../storage/types';
import { StorageError } from '../storage/types';
import { AppError, type ParamsArg } from '../../shared/errors';
import { createSampler } from '../search/samplers';
import type { FrozenTrial, Sampler } from '../search/types';
import { createPruner } from '../pruners';
import type { Pruner } from '../search/types';
import type { Direction } from '../../shared/study/objectives';
import { parseStudySpec, pruneDirection, studyDirections, type StudySpec } from '../../shared/study/spec';
import { currentOwner, describeOwner, ownerLiveness } from './trialOwner';

export type StudyErrorCode = 'INVALID_SPEC' | 'STUDY_EXISTS' | 'STUDY_NOT_FOUND';

export class StudyError<C extends StudyErrorCode = StudyErrorCode> extends AppError<C> {
  constructor(code: C, ...params: ParamsArg<C>) {
    super(code, ...params);
    this.name = 'StudyError';
  }
}

export interface AskedTrial {
  trialId: number;
  number: number;
  params: Record<string, JsonValue>;
  retryOf: number | null;
}

export type StopReason = 'budget' | 'exhausted';

/** Nothing to start now, but other workers' trials still run: ask again soon (one may fail and be retried). */
export type AskResult = AskedTrial | StopReason | 'wait';

/** A RUNNING trial whose runner is gone, failed as stale, and its retry (null when it was a retry itself). */
export interface RecoveredTrial {
  failed: TrialRecord;
  retry: TrialRecord | null;
  /** Why it is stale, e.g. "its trainer (pid 12 on laptop) is gone". */
  why: string;
}

/**
 * A trial run by a process that cannot be checked (another host, or no owner recorded) is stale when its
 * heartbeat (every 5 s while it runs) is older than this.
 */
export const STALE_HEARTBEAT_MS = 60_000;


function checkedSpec(raw: unknown): StudySpec {
  const parsed = parseStudySpec(raw);
  if (!parsed.ok) throw new StudyError('INVALID_SPEC', { details: parsed.errors.join('\n') });
  return parsed.spec;
}

/** The highest number of epochs any trial can run, for Hyperband's max resource. */
function maxEpochs(spec: StudySpec): number {
  const p = spec.searchSpace.params.find((x) => x.name === 'epochs');
  if (!p) return 10;
  if (p.type === 'fixed') return Number(p.value) || 10;
  if (p.type === 'categorical') return Math.max(...p.choices.map((c) => Number(c) || 0), 1);
  return Math.max(1, Math.floor(p.high));
}

export class Study {
  readonly sampler: Sampler;
  readonly pruner: Pruner;

  private constructor(
    readonly storage: Storage,
    readonly record: StudyRecord,
    readonly spec: StudySpec,
  ) {
    this.sampler = createSampler(spec.sampler);
    this.pruner = createPruner(spec.pruner, maxEpochs(spec));
  }

  /**
   * Creates a new study; never a second one with the same name. Enqueued configurations become WAITING.
   * Checks the spec as a study only; a spec from a user goes through checkStudySpec (specCheck.ts) first,
   * which also checks the autoencoder's parameters and the dataset folder before anything is opened.
   */
  static async create(storage: Storage, raw: unknown): Promise<Study> {
    const spec = checkedSpec(raw);
    // The study and its queued configurations in one transaction: a crash never leaves a study without them.
    const record = await storage.exclusive(async (tx) => {
      let created: StudyRecord;
      try {
        created = await tx.createStudy(spec.name, 'search', studyDirections(spec), spec as unknown as JsonValue);
      } catch (err) {
        if (err instanceof StorageError && err.code === 'STUDY_EXISTS') throw new StudyError('STUDY_EXISTS', { name: spec.name });
        throw err;
      }
      for (const params of spec.enqueue) {
        await tx.createTrial(created.id, { state: 'WAITING', params, seed: spec.seed, datasetPath: spec.dataset.path });
      }
      return created;
    });
    return new Study(storage, record, spec);
  }

  /** `datasetPath`: this machine's copy of the images, used instead of the spec's path (never stored). */
  static async load(storage: Storage, name: string, opts: { datasetPath?: string } = {}): Promise<Study> {
    const record = await storage.getStudy(name);
    if (!record || record.kind !== 'search') {
      const known = (await storage.listStudies()).filter((s) => s.kind === 'search').map((s) => s.name);
      throw new StudyError('STUDY_NOT_FOUND', { name, known: known.length ? known.join(', ') : 'none yet' });
    }
    const spec = checkedSpec(record.spec);
    return new Study(storage, record, opts.datasetPath ? { ...spec, dataset: { ...spec.dataset, path: opts.datasetPath } } : spec);
  }

  get id(): number {
    return this.record.id;
  }

  get directions(): Direction[] {
    return studyDirections(this.spec);
  }

  /** Direction of the objective that picks the single best trial. */
  get primaryDirection(): Direction {
    return this.directions[this.spec.primaryObjective];
  }

  /** Which way the trials' intermediate values (what the pruner compares) improve. */
  get pruneDirection(): Direction {
    return pruneDirection(this.spec);
  }

  frozenTrials(): Promise<FrozenTrial[]> {
    return this.storage.getFrozenTrials(this.id);
  }

  /** The COMPLETE trial with the best value of the primary objective (the one given test metrics). */
  async bestTrial(): Promise<TrialRecord | null> {
    return this.bestOf(await this.storage.listTrials({ studyId: this.id, states: ['COMPLETE'] }));
  }

  /**
   * bestTrial() among trials the caller listed: a summary that also counts those trials must take its best
   * from the same listing, or a trial finishing between two reads is counted but not yet the best.
   */
  bestOf(trials: readonly TrialRecord[]): TrialRecord | null {
    const k = this.spec.primaryObjective;
    const sign = this.primaryDirection === 'minimize' ? 1 : -1;
    let best: TrialRecord | null = null;
    for (const t of trials) {
      if (t.state !== 'COMPLETE') continue;
      const v = t.values[k];
      if (typeof v === 'number' && Number.isFinite(v) && (!best || sign * v < sign * (best.values[k] as number))) best = t;
    }
    return best;
  }

  /** Trials that count against the budget: all but failed ones that were retried. */
  async countedTrials(storage: Storage = this.storage): Promise<number> {
    return (await this.countedRecords(storage)).length;
  }

  /** Finished trials that count against the budget (a failed trial that was retried does not). */
  async finishedTrials(): Promise<number> {
    return (await this.countedRecords(this.storage)).filter((t) => isFinishedTrial(t.state)).length;
  }

  private async countedRecords(storage: Storage): Promise<TrialRecord[]> {
    return this.countedOf(await storage.listTrials({ studyId: this.id }));
  }

  /** countedTrials()' records among trials the caller listed (one listing for counts and best, as bestOf). */
  countedOf(trials: readonly TrialRecord[]): TrialRecord[] {
    const retried = new Set(trials.map((t) => t.retryOf).filter((x): x is number => x !== null));
    return trials.filter((t) => !(t.state === 'FAILED' && retried.has(t.id)));
  }

  /**
   * The next trial to run (owned by `owner`), or why there is none. Trials whose runner is gone are failed
   * as stale and queued again first, so they never count as work done. When the budget is used or the space
   * exhausted while other workers' trials still run, the answer is 'wait' rather than a stop: one of them
   * may still fail and be retried.
   */
  ask(owner: TrialOwner = currentOwner()): Promise<AskResult> {
    return this.storage.exclusive(async (tx) => {
      await this.recoverStaleTrials(tx, STALE_HEARTBEAT_MS, owner);
      const waiting = await tx.claimWaitingTrial(this.id, owner);
      if (waiting) return this.asked(waiting);
      const othersRunning = async (): Promise<boolean> => (await tx.listTrials({ studyId: this.id, states: ['RUNNING'] })).length > 0;
      const budget = this.spec.budget.trials;
      if (budget !== undefined && (await this.countedTrials(tx)) >= budget) return (await othersRunning()) ? 'wait' : 'budget';
      const trials = await tx.getFrozenTrials(this.id);
      const trialNumber = trials.reduce((m, t) => Math.max(m, t.number + 1), 0);
      const params = this.sampler.sample({
        space: this.spec.searchSpace,
        trials,
        directions: this.directions,
        pruneDirection: this.pruneDirection,
        trialNumber,
        seed: this.spec.seed,
      });
      if (params === null) return (await othersRunning()) ? 'wait' : 'exhausted';
      const t = await tx.createTrial(this.id, { state: 'RUNNING', params, seed: this.spec.seed, datasetPath: this.spec.dataset.path, owner });
      return this.asked(t);
    }, { studyId: this.id });
  }

  /**
   * Fails the RUNNING trials whose runner is gone (reason: stale) and queues each once more as a WAITING retry
   * linked to the original. On this host a trial's owner process is checked directly (a dead or reused pid
   * counts as gone at once); trials of other hosts, or without an owner, go by heartbeat (older than
   * `heartbeatMs`).
   */
  recoverStale(heartbeatMs: number = STALE_HEARTBEAT_MS, here: TrialOwner = currentOwner()): Promise<RecoveredTrial[]> {
    return this.storage.exclusive((tx) => this.recoverStaleTrials(tx, heartbeatMs, here), { studyId: this.id });
  }

  /**
   * Of this study's `trials` (as the caller listed them), the RUNNING ones whose runner is alive by recoverStale's
   * rule (owner process on this host, else a heartbeat within `heartbeatMs`): what another process or machine is
   * training right now. Changes nothing; asks the database only for its clock, and only when one runs.
   */
  async liveRunningTrials(trials: readonly TrialRecord[], heartbeatMs: number = STALE_HEARTBEAT_MS, here: TrialOwner = currentOwner()): Promise<TrialRecord[]> {
    const running = trials.filter((t) => t.state === 'RUNNING');
    if (running.length === 0) return [];
    const cutoff = (await this.storage.clock()) - heartbeatMs;
    return running.filter((t) => staleReason(t, ownerLiveness(t.owner, here), cutoff) === null);
  }

  private async recoverStaleTrials(tx: Storage, heartbeatMs: number, here: TrialOwner): Promise<RecoveredTrial[]> {
    // The database's clock: heartbeats were stamped by it, whichever machine sent them.
    const cutoff = (await tx.clock()) - heartbeatMs;
    const out: RecoveredTrial[] = [];
    for (const t of await tx.listTrials({ studyId: this.id, states: ['RUNNING'] })) {
      const why = staleReason(t, ownerLiveness(t.owner, here), cutoff);
      if (why === null) continue;
      await tx.setTrialState(t.id, 'FAILED', `stale: ${why} (the trainer stopped or was killed)`);
      const retry =
        t.retryOf === null
          ? await tx.createTrial(this.id, { state: 'WAITING', params: t.params, seed: t.seed, datasetPath: t.datasetPath, retryOf: t.id })
          : null;
      out.push({ failed: (await tx.getTrial(t.id)) ?? t, retry, why });
    }
    return out;
  }

  /** Records a finished trial: values first, so a COMPLETE trial is never seen without them. */
  async tell(trialId: number, state: TrialState, values: number[] | null = null, reason: string | null = null): Promise<void> {
    if (!isFinishedTrial(state)) throw new Error(`tell() needs a finished state, got ${state}.`);
    if (state === 'COMPLETE' && values) await this.storage.setTrialValues(trialId, values);
    await this.storage.setTrialState(trialId, state, reason);
  }

  private asked(t: TrialRecord): AskedTrial {
    return { trialId: t.id, number: t.number, params: t.params, retryOf: t.retryOf };
  }
}

function staleReason(t: TrialRecord, liveness: 'alive' | 'gone' | 'unknown', cutoff: number): string | null {
  if (liveness === 'alive') return null;
  if (liveness === 'gone' && t.owner) return `its trainer (${describeOwner(t.owner)}) is gone`;
  const last = t.heartbeatAt ?? t.startedAt ?? t.createdAt;
  if (Date.parse(last) >= cutoff) return null;
  return `no heartbeat since ${last}${t.owner ? ` from ${describeOwner(t.owner)}` : ''}`;
}
