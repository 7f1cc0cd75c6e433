// The app's one Storage, which the user may point at another database (a shared study database, or back to
// the local one) while the app runs: every service holds this object, and each call goes to the database in
// use at that moment.
import type { Storage } from '../../core/storage/types';

export interface SwitchableStorage {
  readonly storage: Storage;
  current(): Storage;
  /** Uses `next` from now on and returns the one it replaces (the caller closes it). */
  use(next: Storage): Storage;
}

export function switchableStorage(initial: Storage): SwitchableStorage {
  let current = initial;
  const storage = new Proxy({} as Storage, {
    get(_target, key) {
      const value: unknown = Reflect.get(current, key, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
    has: (_target, key) => Reflect.has(current, key),
  });
  return {
    storage,
    current: () => current,
    use(next) {
      const previous = current;
      current = next;
      return previous;
    },
  };
}
