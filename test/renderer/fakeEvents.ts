// The event half of a fake engine for renderer tests: listeners per contract event, and emit() to play the
// engine's part. A test's FakeEngine extends it and answers invoke() itself.
import type { EventName, EventPayload } from '../../src/shared/contract';

type Listener = (payload: unknown) => void;

export class FakeEvents {
  listeners = new Map<string, Set<Listener>>();

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }
}
