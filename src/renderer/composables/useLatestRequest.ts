import { getCurrentScope, onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { toErrorInfo, type ErrorInfo } from '../api';

/** A fetch whose newest call wins: see useLatestRequest. */
export interface LatestRequest<A extends unknown[], T> {
  /** The value of the newest request that succeeded (writable: a caller may reset it, e.g. on navigation). */
  data: ShallowRef<T>;
  /** A request is in flight. */
  loading: Readonly<Ref<boolean>>;
  /** Why the newest request failed; cleared by the next success. */
  error: ShallowRef<ErrorInfo | null>;
  /** Some request has succeeded since the start. */
  loaded: Readonly<Ref<boolean>>;
  /**
   * Starts a request. Resolves true when its answer was applied (it was still the newest), false when a
   * newer call, cancel() or the end of the owning scope made it stale; never rejects: failures land in `error`.
   */
  run(...args: A): Promise<boolean>;
  /** Drops the answer of any request in flight and stops `loading`. */
  cancel(): void;
}

/**
 * "Latest request wins": for lists and details that are fetched again on events, navigation or a click.
 * Answers can arrive out of order (a slow older call after a quick newer one); only the newest call's
 * answer or error is kept. When the effect scope that created it ends (a component unmounts, a setup
 * store is disposed), answers still in flight are dropped.
 */
export function useLatestRequest<A extends unknown[], T>(fetch: (...args: A) => Promise<T>, initial: T): LatestRequest<A, T> {
  const data = shallowRef(initial) as ShallowRef<T>;
  const loading = ref(false);
  const error = shallowRef<ErrorInfo | null>(null);
  const loaded = ref(false);
  let seq = 0;

  async function run(...args: A): Promise<boolean> {
    const mine = ++seq;
    loading.value = true;
    try {
      const value = await fetch(...args);
      if (mine !== seq) return false;
      data.value = value;
      error.value = null;
      loaded.value = true;
      return true;
    } catch (err) {
      if (mine !== seq) return false;
      error.value = toErrorInfo(err);
      return false;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function cancel(): void {
    seq++;
    loading.value = false;
  }

  if (getCurrentScope()) onScopeDispose(cancel);

  return { data, loading, error, loaded, run, cancel };
}
