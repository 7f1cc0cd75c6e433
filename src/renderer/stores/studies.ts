import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowReactive, shallowRef } from 'vue';
import type { EventName, EventPayload } from '../../shared/contract';
import type {
  EpochMetrics,
  Projection,
  ProjectionMethod,
  StudyDetail,
  StudyProgress,
  StudySummary,
  TrialDetail,
  TrialLatents,
  TrialProgress,
  TrialReconstructions,
  TrialState,
} from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { createFrameQueue, throttle, type FrameQueue } from '../lib/analytics/batching';

/** What the dashboard knows live about one trial, from the event stream. */
export interface LiveTrial {
  trialId: number;
  state: TrialState | null;
  reason: string | null;
  epochs: readonly EpochMetrics[];
  progress: TrialProgress | null;
  /** Last update (ms, performance clock of this window). */
  updatedAt: number;
}

type LiveEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

const TERMINAL: readonly TrialState[] = ['COMPLETE', 'PRUNED', 'FAILED', 'CANCELLED'];
export function isTerminalTrial(state: TrialState | null | undefined): boolean {
  return state !== null && state !== undefined && TERMINAL.includes(state);
}

export type ProjectionEntry =
  | { status: 'loading' }
  | { status: 'ok'; value: Projection }
  | { status: 'error'; error: ErrorInfo };

/** Coalescing keys: only the newest progress / images / codes per trial and progress per study matter. */
export function liveEventKey(e: LiveEvent): string | null {
  switch (e.event) {
    case 'trial.progress':
      return `progress:${e.payload.trialId}`;
    case 'trial.reconstructions':
      return `recon:${e.payload.trialId}`;
    case 'trial.latents':
      return `latents:${e.payload.trialId}`;
    case 'study.progress':
      return `study:${e.payload.studyName}`;
    case 'dataset.progress':
      return 'dataset';
    default:
      return null; // epochs and state changes are all kept, in order
  }
}

/**
 * Studies: the list, the open study (summary, spec, trials), the live view of its running trials, and
 * caches of per-trial details and projections for analytics. Training emits many events per second per
 * trial; they are queued and applied once per animation frame (see lib/analytics/batching.ts).
 */
export const useStudiesStore = defineStore('studies', () => {
  // ---- the list ----
  const list = ref<StudySummary[]>([]);
  const listLoaded = ref(false);
  const listLoading = ref(false);
  const listError = ref<ErrorInfo | null>(null);
  let listSeq = 0;
  async function refreshList(): Promise<void> {
    const seq = ++listSeq;
    listLoading.value = true;
    try {
      const studies = await getApi().invoke('studies.list', {});
      if (seq !== listSeq) return;
      list.value = studies;
      listError.value = null;
      listLoaded.value = true;
    } catch (err) {
      if (seq === listSeq) listError.value = toErrorInfo(err);
    } finally {
      if (seq === listSeq) listLoading.value = false;
    }
  }

  // ---- the open study ----
  const name = ref<string | null>(null);
  const detail = shallowRef<StudyDetail | null>(null);
  const detailLoading = ref(false);
  const detailError = ref<ErrorInfo | null>(null);
  let detailSeq = 0;
  async function loadDetail(): Promise<void> {
    const want = name.value;
    if (!want) return;
    const seq = ++detailSeq;
    detailLoading.value = true;
    try {
      const d = await getApi().invoke('studies.get', { name: want });
      if (seq !== detailSeq || name.value !== want) return;
      detail.value = markRaw(d);
      detailError.value = null;
      adoptRunning(d);
    } catch (err) {
      if (seq === detailSeq) detailError.value = toErrorInfo(err);
    } finally {
      if (seq === detailSeq) detailLoading.value = false;
    }
  }

  /** Opens a study (loads it unless it is already the open one). */
  async function open(studyName: string): Promise<void> {
    if (name.value === studyName && detail.value?.name === studyName) return loadDetail();
    name.value = studyName;
    detail.value = null;
    detailError.value = null;
    lastProgress.value = null;
    await loadDetail();
  }

  const trials = computed(() => detail.value?.trials ?? []);
  const trialIds = computed(() => new Set(trials.value.map((t) => t.id)));

  // ---- live ----
  const live = shallowReactive<Record<number, LiveTrial>>({});
  const reconstructions = shallowReactive<Record<number, TrialReconstructions>>({});
  const latents = shallowReactive<Record<number, TrialLatents>>({});
  const lastProgress = ref<StudyProgress | null>(null);
  /** Applied batches and events, for the dashboard's debug line and tests. */
  const stats = { batches: 0, events: 0 };

  function liveEntry(trialId: number): LiveTrial {
    return live[trialId] ?? { trialId, state: null, reason: null, epochs: [], progress: null, updatedAt: 0 };
  }

  /** A running trial seen in the database (page opened mid-study): fetch its epochs so far. */
  function adoptRunning(d: StudyDetail): void {
    for (const t of d.trials) {
      if (t.state !== 'RUNNING') continue;
      const e = live[t.id];
      if (e && e.epochs.length >= t.epochsDone) continue;
      void getApi()
        .invoke('trials.get', { trialId: t.id })
        .then((full) => {
          const cur = liveEntry(t.id);
          const byEpoch = new Map(full.epochs.map((m) => [m.epoch, m] as const));
          for (const m of cur.epochs) byEpoch.set(m.epoch, m);
          live[t.id] = { ...cur, state: cur.state ?? full.state, epochs: [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch) };
        })
        .catch(() => undefined);
    }
  }

  const reloadSoon = throttle(() => void loadDetail(), 700);
  const reloadListSoon = throttle(() => void refreshList(), 1500);

  function apply(batch: LiveEvent[]): void {
    stats.batches++;
    stats.events += batch.length;
    const touched = new Map<number, LiveTrial>();
    const get = (id: number): LiveTrial => touched.get(id) ?? { ...liveEntry(id), epochs: liveEntry(id).epochs };
    let reload = false;
    const now = performance.now();
    for (const e of batch) {
      switch (e.event) {
        case 'trial.epoch': {
          const t = get(e.payload.trialId);
          const epochs = t.epochs.filter((m) => m.epoch !== e.payload.metrics.epoch);
          epochs.push(e.payload.metrics);
          if (epochs.length > 1 && epochs[epochs.length - 2].epoch > e.payload.metrics.epoch) epochs.sort((a, b) => a.epoch - b.epoch);
          touched.set(t.trialId, { ...t, epochs, state: t.state ?? 'RUNNING', updatedAt: now });
          break;
        }
        case 'trial.progress': {
          const t = get(e.payload.trialId);
          touched.set(t.trialId, { ...t, progress: e.payload, state: t.state === null || t.state === 'WAITING' ? 'RUNNING' : t.state, updatedAt: now });
          break;
        }
        case 'trial.state': {
          const t = get(e.payload.trialId);
          touched.set(t.trialId, { ...t, state: e.payload.state, reason: e.payload.reason, updatedAt: now });
          reload = true;
          break;
        }
        case 'trial.reconstructions':
          reconstructions[e.payload.trialId] = markRaw(e.payload);
          break;
        case 'trial.latents':
          latents[e.payload.trialId] = markRaw(e.payload);
          break;
        case 'study.progress':
          if (e.payload.state !== 'running' && pausing.value === e.payload.studyName) pausing.value = null;
          if (e.payload.studyName === name.value) {
            lastProgress.value = e.payload;
            reload = true;
          }
          reloadListSoon();
          break;
        default:
          break;
      }
    }
    for (const [id, t] of touched) live[id] = t;
    if (reload && name.value) reloadSoon();
  }

  const queue: FrameQueue<LiveEvent> = createFrameQueue(apply, { key: liveEventKey });
  const listen = <E extends EventName>(event: E): void => {
    useApiEvent(event, (payload) => queue.push({ event, payload } as LiveEvent));
  };
  listen('trial.epoch');
  listen('trial.progress');
  listen('trial.state');
  listen('trial.reconstructions');
  listen('trial.latents');
  listen('study.progress');

  // ---- per-epoch curves of many trials at once (intermediate values), finished trials only: they never change ----
  const curves = shallowReactive<Record<number, EpochMetrics[]>>({});
  const curvesPending = ref(0);
  const curvesInFlight = new Set<number>();
  async function ensureCurves(ids: readonly number[], perCall = 1000): Promise<void> {
    const todo = ids.filter((id) => !curves[id] && !curvesInFlight.has(id));
    for (let i = 0; i < todo.length; i += perCall) {
      const chunk = todo.slice(i, i + perCall);
      for (const id of chunk) curvesInFlight.add(id);
      curvesPending.value += chunk.length;
      try {
        for (const c of await getApi().invoke('trials.curves', { trialIds: chunk })) curves[c.trialId] = markRaw(c.epochs);
      } catch {
        // shown as missing curves; asked again on the next change of the trial list
      } finally {
        for (const id of chunk) curvesInFlight.delete(id);
        curvesPending.value -= chunk.length;
      }
    }
  }

  // ---- trial details (curves) for analytics and compare ----
  const trialDetails = shallowReactive<Record<number, TrialDetail>>({});
  const detailsPending = ref(0);
  const inFlight = new Set<number>();

  /** Fetches a finished trial's stored reconstructions unless live ones already arrived. */
  async function ensureReconstructions(ids: readonly number[]): Promise<void> {
    const done = new Set(trials.value.filter((t) => t.state === 'COMPLETE').map((t) => t.id));
    for (const id of ids) {
      if (reconstructions[id] || !done.has(id)) continue;
      try {
        reconstructions[id] = markRaw(await getApi().invoke('trials.reconstructions', { trialId: id }));
      } catch {
        // Trials from before reconstructions were stored have none; the gallery says so.
      }
    }
  }

  /**
   * Loads the details of the given trials, a few at a time. Finished trials are loaded once; unfinished ones
   * again when `refreshUnfinished` is set.
   */
  async function ensureTrialDetails(ids: readonly number[], refreshUnfinished = false, concurrency = 4): Promise<void> {
    const todo = ids.filter((id) => {
      if (inFlight.has(id)) return false;
      const have = trialDetails[id];
      return !have || (refreshUnfinished && !isTerminalTrial(have.state));
    });
    if (todo.length === 0) return;
    for (const id of todo) inFlight.add(id);
    detailsPending.value += todo.length;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const id = todo[next++];
        try {
          trialDetails[id] = markRaw(await getApi().invoke('trials.get', { trialId: id }));
        } catch {
          // shown as a missing curve; the table still lists the trial
        } finally {
          inFlight.delete(id);
          detailsPending.value--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  }

  // ---- projections of stored codes ----
  const projections = shallowReactive<Record<string, ProjectionEntry>>({});
  const projectionKey = (trialId: number, method: ProjectionMethod, dims: 2 | 3) => `${trialId}:${method}:${dims}`;
  async function loadProjection(trialId: number, method: ProjectionMethod, dims: 2 | 3): Promise<void> {
    const key = projectionKey(trialId, method, dims);
    const have = projections[key];
    if (have && have.status !== 'error') return;
    projections[key] = { status: 'loading' };
    try {
      projections[key] = { status: 'ok', value: markRaw(await getApi().invoke('trials.projection', { trialId, method, dims })) };
    } catch (err) {
      projections[key] = { status: 'error', error: toErrorInfo(err) };
    }
  }

  // ---- actions ----
  const acting = ref<'pause' | 'cancel' | 'resume' | null>(null);
  /** The study asked to pause: its running trials are finishing and no new one starts. */
  const pausing = ref<string | null>(null);
  const actionError = ref<ErrorInfo | null>(null);
  async function act(kind: 'pause' | 'cancel' | 'resume'): Promise<void> {
    const studyName = name.value;
    if (!studyName || acting.value) return;
    acting.value = kind;
    actionError.value = null;
    try {
      if (kind === 'resume') await getApi().invoke('study.resume', { name: studyName });
      else {
        const { cancelled } = await getApi().invoke('study.cancel', { name: studyName, when: kind === 'pause' ? 'afterRunning' : 'now' });
        if (kind === 'pause' && cancelled) pausing.value = studyName;
      }
    } catch (err) {
      actionError.value = toErrorInfo(err);
    } finally {
      acting.value = null;
      await loadDetail();
      void refreshList();
    }
  }

  return {
    list,
    listLoaded,
    listLoading,
    listError,
    refreshList,
    name,
    detail,
    detailLoading,
    detailError,
    loadDetail,
    open,
    trials,
    trialIds,
    live,
    reconstructions,
    latents,
    lastProgress,
    stats,
    flushLive: () => queue.flush(),
    trialDetails,
    detailsPending,
    ensureTrialDetails,
    curves,
    curvesPending,
    ensureCurves,
    ensureReconstructions,
    projections,
    projectionKey,
    loadProjection,
    acting,
    pausing,
    actionError,
    pause: () => act('pause'),
    cancel: () => act('cancel'),
    resume: () => act('resume'),
  };
});
