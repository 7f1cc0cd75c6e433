import { defineStore } from 'pinia';
import { markRaw, ref, shallowReactive } from 'vue';
import type { EpochMetrics, Projection, ProjectionMethod, TrialDetail } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { isFinishedTrial } from '../../shared/trialStates';

export type ProjectionEntry =
  | { status: 'loading' }
  | { status: 'ok'; value: Projection }
  | { status: 'error'; error: ErrorInfo };

/**
 * Per-trial data the analytics fetch on demand and keep: epoch curves of many trials at once, full trial
 * details (compare view, the dashboard's last trial) and projections of stored latent codes. Finished
 * trials never change, so each is fetched once.
 */
export const useTrialCacheStore = defineStore('trialCache', () => {
  // ---- per-epoch curves of many trials at once (intermediate values), finished trials only ----
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

  // ---- trial details ----
  const trialDetails = shallowReactive<Record<number, TrialDetail>>({});
  const detailsPending = ref(0);
  const detailsInFlight = new Set<number>();

  /**
   * Loads the details of the given trials, a few at a time. Finished trials are loaded once; unfinished ones
   * again when `refreshUnfinished` is set.
   */
  async function ensureTrialDetails(ids: readonly number[], refreshUnfinished = false, concurrency = 4): Promise<void> {
    const todo = ids.filter((id) => {
      if (detailsInFlight.has(id)) return false;
      const have = trialDetails[id];
      return !have || (refreshUnfinished && !isFinishedTrial(have.state));
    });
    if (todo.length === 0) return;
    for (const id of todo) detailsInFlight.add(id);
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
          detailsInFlight.delete(id);
          detailsPending.value--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  }

  // ---- projections of stored codes ----
  const projections = shallowReactive<Record<string, ProjectionEntry>>({});
  const projectionKey = (trialId: number, method: ProjectionMethod, dims: 2 | 3): string => `${trialId}:${method}:${dims}`;
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

  return { curves, curvesPending, ensureCurves, trialDetails, detailsPending, ensureTrialDetails, projections, projectionKey, loadProjection };
});
