import { defineStore } from 'pinia';
import { markRaw, onScopeDispose, ref, shallowReactive, watch } from 'vue';
import type { EventName, EventPayload } from '../../shared/contract';
import type { EpochMetrics, StudyDetail, StudyProgress, TrialLatents, TrialProgress, TrialReconstructions, TrialState } from '../../shared/dto';
import { getApi } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { createFrameQueue, type FrameQueue } from '../lib/analytics/batching';
import { useOpenStudyStore } from './openStudy';

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
 * The open study's trials as they train: epochs, batch progress and state from the event stream, and the
 * newest reconstructions and latent codes per trial (streamed, or stored ones for finished trials).
 * Training emits many events per second per trial; they are queued and applied once per animation frame
 * (see lib/analytics/batching.ts).
 */
export const useLiveTrialsStore = defineStore('liveTrials', () => {
  const openStudy = useOpenStudyStore();

  const live = shallowReactive<Record<number, LiveTrial>>({});
  const reconstructions = shallowReactive<Record<number, TrialReconstructions>>({});
  const latents = shallowReactive<Record<number, TrialLatents>>({});
  /** The open study's newest progress message. */
  const lastProgress = ref<StudyProgress | null>(null);
  /** Applied batches and events, for the dashboard's debug line and tests. */
  const stats = { batches: 0, events: 0 };

  function liveEntry(trialId: number): LiveTrial {
    return live[trialId] ?? { trialId, state: null, reason: null, epochs: [], progress: null, updatedAt: 0 };
  }

  /** Running trials whose newest reconstructions were asked for once (a shared database's live view). */
  const askedLive = new Set<number>();
  /** A running trial seen in the database (page opened mid-study): fetch its epochs so far, and its newest reconstructions. */
  function adoptRunning(d: StudyDetail): void {
    for (const t of d.trials) {
      if (t.state !== 'RUNNING') continue;
      // Only a study run elsewhere: a shared database keeps a running trial's (this window's own come as events).
      if (d.state === 'elsewhere' && !reconstructions[t.id] && !askedLive.has(t.id)) {
        askedLive.add(t.id);
        void getApi()
          .invoke('trials.reconstructions', { trialId: t.id })
          .then((r) => {
            // A newer set may have streamed in meanwhile.
            if (!reconstructions[t.id] || reconstructions[t.id].epoch < r.epoch) reconstructions[t.id] = markRaw(r);
          })
          // None yet: they come with the trial's next events.
          .catch(() => undefined);
      }
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
  watch(
    () => openStudy.detail,
    (d) => {
      if (d) adoptRunning(d);
    },
    { immediate: true },
  );
  watch(
    () => openStudy.name,
    () => (lastProgress.value = null),
  );

  function apply(batch: LiveEvent[]): void {
    stats.batches++;
    stats.events += batch.length;
    const touched = new Map<number, LiveTrial>();
    const get = (id: number): LiveTrial => touched.get(id) ?? { ...liveEntry(id), epochs: liveEntry(id).epochs };
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
          break;
        }
        case 'trial.reconstructions':
          reconstructions[e.payload.trialId] = markRaw(e.payload);
          break;
        case 'trial.latents':
          latents[e.payload.trialId] = markRaw(e.payload);
          break;
        case 'study.progress':
          if (e.payload.studyName === openStudy.name) lastProgress.value = e.payload;
          break;
        default:
          break;
      }
    }
    for (const [id, t] of touched) live[id] = t;
  }

  const queue: FrameQueue<LiveEvent> = createFrameQueue(apply, { key: liveEventKey });
  onScopeDispose(queue.dispose);
  const listen = <E extends EventName>(event: E): void => {
    useApiEvent(event, (payload) => queue.push({ event, payload } as LiveEvent));
  };
  listen('trial.epoch');
  listen('trial.progress');
  listen('trial.state');
  listen('trial.reconstructions');
  listen('trial.latents');
  listen('study.progress');

  /** Fetches finished trials' stored reconstructions unless live ones already arrived. */
  async function ensureReconstructions(ids: readonly number[]): Promise<void> {
    const done = new Set(openStudy.trials.filter((t) => t.state === 'COMPLETE').map((t) => t.id));
    for (const id of ids) {
      if (reconstructions[id] || !done.has(id)) continue;
      try {
        reconstructions[id] = markRaw(await getApi().invoke('trials.reconstructions', { trialId: id }));
      } catch {
        // Trials from before reconstructions were stored have none; the gallery says so.
      }
    }
  }

  return { live, reconstructions, latents, lastProgress, stats, flush: () => queue.flush(), ensureReconstructions };
});
