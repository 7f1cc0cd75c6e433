// Small helpers shared by the data modules.

type Chunk = string | bigint;

/** Splits "img10b" into ["img", 10n, "b"] (digit runs as values, text lower-cased) for natural comparison. */
function naturalKey(s: string): Chunk[] {
  const parts = s.match(/\d+|\D+/g) ?? [];
  return parts.map((p) => (p.charCodeAt(0) >= 48 && p.charCodeAt(0) <= 57 ? BigInt(p) : p.toLowerCase()));
}

function compareKeys(ka: Chunk[], kb: Chunk[]): number {
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const x = ka[i];
    const y = kb[i];
    if (x === y) continue;
    if (typeof x !== typeof y) return typeof x === 'bigint' ? -1 : 1; // digits sort before text
    return x < y ? -1 : 1;
  }
  return ka.length - kb.length;
}

function codePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Natural order ("img2" before "img10"), independent of locale and ICU version so that file order, and with
 * it labels and seeded splits, is the same on every machine. Case and leading zeros only break ties.
 */
export function naturalCompare(a: string, b: string): number {
  return compareKeys(naturalKey(a), naturalKey(b)) || codePoint(a, b);
}

/** Sorts strings naturally, computing each sort key once (the comparator runs n log n times). */
export function sortNatural<T>(items: T[], name: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, s: name(item), k: naturalKey(name(item)) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k) || codePoint(a.s, b.s));
  return keyed.map((x) => x.item);
}

/** Sorts forward-slash paths naturally folder by folder, so a folder's files stay together. */
export function sortPaths<T>(items: T[], rel: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, s: rel(item), k: rel(item).split('/').map(naturalKey) }));
  keyed.sort((a, b) => {
    const n = Math.min(a.k.length, b.k.length);
    for (let i = 0; i < n; i++) {
      const c = compareKeys(a.k[i], b.k[i]);
      if (c !== 0) return c;
    }
    return a.k.length - b.k.length || codePoint(a.s, b.s);
  });
  return keyed.map((x) => x.item);
}

/**
 * Lets a loop of synchronous file work hand control back to the event loop every `budgetMs`, so progress
 * events, abort signals and other callbacks still run. Sync fs calls are 5-8x faster than their promise
 * versions for small files (no thread-pool round trips), which is what makes the ingest target reachable.
 */
export function timeSlicer(budgetMs = 8): () => Promise<void> | undefined {
  let start = performance.now();
  return () => {
    if (performance.now() - start < budgetMs) return undefined;
    return new Promise<void>((resolve) => setImmediate(() => {
      start = performance.now();
      resolve();
    }));
  };
}

/** Runs fn(0..count-1) with at most `limit` calls in flight; stops starting new ones after an error. */
export async function runPool(count: number, limit: number, fn: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await fn(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** Calls `emit` at most every `intervalMs`, except when `force` is set (used for the final call of a phase). */
export function throttle<T>(emit: ((value: T) => void) | undefined, intervalMs = 50): (value: T, force?: boolean) => void {
  let last = -Infinity;
  return (value, force = false) => {
    if (!emit) return;
    const now = performance.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    emit(value);
  };
}
