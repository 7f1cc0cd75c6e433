// Waiting for an engine event in service-level tests: looks through what was already seen, then listens.
import type { AnyEvent, AppServices } from '../../src/server/services/types';

export function eventWaiter(services: () => AppServices, seen: readonly AnyEvent[]): (pred: (e: AnyEvent) => boolean, ms?: number) => Promise<AnyEvent> {
  return (pred, ms = 120_000) =>
    new Promise((resolve, reject) => {
      const hit = seen.find(pred);
      if (hit) return resolve(hit);
      const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), ms);
      const off = services().subscribe((e) => {
        if (pred(e)) {
          clearTimeout(timer);
          off();
          resolve(e);
        }
      });
    });
}
