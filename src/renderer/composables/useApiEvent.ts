import { getCurrentScope, onScopeDispose } from 'vue';
import type { EventName, EventPayload } from '../../shared/contract';
import { getApi } from '../api';

/**
 * Listens to one contract event for as long as the current effect scope (component, setup store)
 * lives; the listener is removed when the scope is disposed.
 */
export function useApiEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const off = getApi().on(event, listener);
  if (getCurrentScope()) onScopeDispose(off);
  return off;
}
