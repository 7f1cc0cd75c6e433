// Event floods from training (a progress event per batch, an epoch event per epoch, per running trial)
// must not cost a render each. A frame queue collects events and hands them over once per animation
// frame: items with the same key replace each other (only the newest progress of a trial matters),
// items without a key are kept in order (every epoch matters). Pure apart from the injected scheduler.

export type CancelFn = () => void;
/** Runs `cb` soon (once); returns a function that cancels it. */
export type Scheduler = (cb: () => void) => CancelFn;

export interface FrameQueue<T> {
  push(item: T): void;
  /** Delivers whatever is queued now (e.g. before reading the store in a test or on teardown). */
  flush(): void;
  /** Drops the queue and any scheduled delivery. */
  dispose(): void;
  readonly pending: number;
}

export interface FrameQueueOptions<T> {
  /** Items with the same key coalesce: the newest wins, at the position of the first. */
  key?: (item: T) => string | null;
  schedule?: Scheduler;
}

/**
 * requestAnimationFrame, with a timer as a backstop: a hidden window gets no frames, and its queue would
 * otherwise grow until it is shown again.
 */
export function frameScheduler(maxWaitMs = 250): Scheduler {
  return (cb) => {
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      cancel();
      cb();
    };
    const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : null;
    const timer = setTimeout(run, maxWaitMs);
    function cancel(): void {
      if (raf !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(raf);
      clearTimeout(timer);
    }
    return () => {
      done = true;
      cancel();
    };
  };
}

export function createFrameQueue<T>(deliver: (items: T[]) => void, opts: FrameQueueOptions<T> = {}): FrameQueue<T> {
  const schedule = opts.schedule ?? frameScheduler();
  let items: T[] = [];
  const slotOfKey = new Map<string, number>();
  let cancelScheduled: CancelFn | null = null;

  function flush(): void {
    cancelScheduled?.();
    cancelScheduled = null;
    if (items.length === 0) return;
    const batch = items;
    items = [];
    slotOfKey.clear();
    deliver(batch);
  }

  function push(item: T): void {
    const key = opts.key?.(item) ?? null;
    if (key !== null) {
      const slot = slotOfKey.get(key);
      if (slot !== undefined) {
        items[slot] = item;
        return; // already scheduled
      }
      slotOfKey.set(key, items.length);
    }
    items.push(item);
    if (!cancelScheduled) cancelScheduled = schedule(flush);
  }

  function dispose(): void {
    cancelScheduled?.();
    cancelScheduled = null;
    items = [];
    slotOfKey.clear();
  }

  return {
    push,
    flush,
    dispose,
    get pending() {
      return items.length;
    },
  };
}

/**
 * Calls `fn` at most once per `ms` (leading and trailing): for refetches triggered by events, e.g. reload
 * the study after trial state changes without reloading it ten times when ten events arrive at once.
 */
export interface Timers {
  set(cb: () => void, ms: number): ReturnType<typeof setTimeout>;
  clear(id: ReturnType<typeof setTimeout>): void;
  now(): number;
}

// Wrapped, not passed as methods: a browser's setTimeout called as `timers.set(...)` throws "Illegal invocation".
const realTimers: Timers = {
  set: (cb, ms) => setTimeout(cb, ms),
  clear: (id) => clearTimeout(id),
  now: () => Date.now(),
};

export function throttle(fn: () => void, ms: number, timers: Timers = realTimers): { (): void; cancel(): void } {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = (): void => {
    timer = null;
    last = timers.now();
    fn();
  };
  const throttled = (): void => {
    if (timer) return;
    const wait = last + ms - timers.now();
    if (wait <= 0) call();
    else timer = timers.set(call, wait);
  };
  throttled.cancel = (): void => {
    if (timer) timers.clear(timer);
    timer = null;
  };
  return throttled;
}
