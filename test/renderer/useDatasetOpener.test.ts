// Opening a dataset with progress: progress only while opening, the summary kept, failures surfaced.
import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import type { EventName, EventPayload, LatentLabApi } from '../../src/shared/contract';
import type { DatasetSummary } from '../../src/shared/dto';
import { ApiError, setApi } from '../../src/renderer/api';
import { useDatasetOpener } from '../../src/renderer/composables/useDatasetOpener';
import { createPinia, setActivePinia } from 'pinia';
import { useDatasetStore } from '../../src/renderer/stores/dataset';

const listeners = new Map<string, Set<(p: unknown) => void>>();
const api: LatentLabApi = {
  invoke: () => Promise.reject(new Error('not used')),
  on: (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (p: unknown) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (p: unknown) => void);
  },
};
setApi(api);
function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
  for (const l of listeners.get(event) ?? []) l(payload);
}

const summary = (path: string): DatasetSummary => ({
  path,
  imageCount: 3,
  labeled: false,
  classes: [],
  width: 8,
  height: 8,
  channels: 1,
  preview: [],
  failures: [],
  fromCache: false,
  loadMs: 1,
});

describe('useDatasetOpener', () => {
  it('shows progress only while opening and keeps the summary', async () => {
    const scope = effectScope();
    const opener = scope.run(() => useDatasetOpener());
    if (!opener) throw new Error('no opener');
    emit('dataset.progress', { path: '/data/a', phase: 'scan', done: 1, total: 3 });
    expect(opener.progress.value).toBeNull(); // nothing is opening

    let finish: (s: DatasetSummary) => void = () => undefined;
    const done = opener.open(() => new Promise<DatasetSummary>((r) => (finish = r)));
    expect(opener.opening.value).toBe(true);
    emit('dataset.progress', { path: '/data/a', phase: 'decode', done: 2, total: 3 });
    expect(opener.progress.value).toEqual({ path: '/data/a', phase: 'decode', done: 2, total: 3 });
    finish(summary('/data/a'));
    expect(await done).toEqual(summary('/data/a'));
    expect(opener.summary.value?.path).toBe('/data/a');
    expect([opener.opening.value, opener.progress.value, opener.error.value]).toEqual([false, null, null]);
    scope.stop();
    expect(listeners.get('dataset.progress')?.size ?? 0).toBe(0); // stops listening with its scope
  });

  it('surfaces a failure and keeps the dataset that was open', async () => {
    const opener = useDatasetOpener();
    await opener.open(async () => summary('/data/a'));
    const noImages = ApiError.of('NO_IMAGES', { path: '/data/empty', formats: 'PNG, JPEG', skipped: '' });
    const result = await opener.open(() => Promise.reject(noImages));
    expect(result).toBeNull();
    expect(opener.error.value?.code).toBe('NO_IMAGES');
    expect(opener.error.value?.message).toMatch(/^No images were found in \/data\/empty\./);
    expect(opener.summary.value?.path).toBe('/data/a');
    expect(opener.opening.value).toBe(false);
    // the next attempt clears the error; nothing to open leaves the summary as it was
    expect(await opener.open(async () => null)).toBeNull();
    expect(opener.error.value).toBeNull();
    expect(opener.summary.value?.path).toBe('/data/a');
  });

  // Issue 14 defect 7: the Dataset page's 'Use sample dataset' was idle while the sample's PNGs were written.
  it('is busy from the first moment the sample starts loading, through writing it and opening it', async () => {
    setActivePinia(createPinia());
    let written: (v: { path: string }) => void = () => undefined;
    const calls: string[] = [];
    setApi({
      ...api,
      invoke: ((method: string) => {
        calls.push(method);
        if (method === 'dataset.useSample') return new Promise<{ path: string }>((r) => (written = r));
        return Promise.resolve(summary('/data/samples/mnist'));
      }) as LatentLabApi['invoke'],
    });
    const store = useDatasetStore();
    const done = store.useSample();
    expect(store.opening).toBe(true); // before the engine has written a single PNG
    written({ path: '/data/samples/mnist' });
    await done;
    expect(calls).toEqual(['dataset.useSample', 'dataset.open']);
    expect([store.opening, store.path, store.summary?.path]).toEqual([false, '/data/samples/mnist', '/data/samples/mnist']);
    setApi(api);
  });
});
