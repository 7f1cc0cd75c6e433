// "Latest request wins": answers that arrive out of order, failures, cancel and the end of the owning scope.
import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { ApiError } from '../../src/renderer/api';
import { useLatestRequest } from '../../src/renderer/composables/useLatestRequest';

/** A fetch whose answers the test releases by hand, in any order. */
function manualFetch<T>() {
  const pending: { arg: string; resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const fetch = (arg: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.push({ arg, resolve, reject });
    });
  return { fetch, pending };
}

describe('useLatestRequest', () => {
  it('drops an older answer that arrives after a newer one', async () => {
    const { fetch, pending } = manualFetch<string>();
    const req = useLatestRequest(fetch, 'none');
    const older = req.run('a');
    const newer = req.run('b');
    expect(req.loading.value).toBe(true);
    pending[1].resolve('answer b');
    expect(await newer).toBe(true);
    expect(req.data.value).toBe('answer b');
    expect(req.loading.value).toBe(false);
    pending[0].resolve('answer a');
    expect(await older).toBe(false);
    expect(req.data.value).toBe('answer b');
    expect(req.loaded.value).toBe(true);
  });

  it('keeps the newest answer while an older one is still out', async () => {
    const { fetch, pending } = manualFetch<string>();
    const req = useLatestRequest(fetch, 'none');
    const older = req.run('a');
    const newer = req.run('b');
    pending[0].resolve('answer a');
    expect(await older).toBe(false);
    expect(req.data.value).toBe('none'); // the older answer is never shown, not even for a moment
    expect(req.loading.value).toBe(true); // the newer call is still out
    pending[1].resolve('answer b');
    expect(await newer).toBe(true);
    expect(req.data.value).toBe('answer b');
  });

  it('surfaces the newest failure as an ErrorInfo, keeps the last good value, and clears the error on success', async () => {
    const { fetch, pending } = manualFetch<string>();
    const req = useLatestRequest(fetch, 'none');
    const first = req.run('a');
    pending[0].resolve('good');
    await first;
    const failing = req.run('b');
    pending[1].reject(ApiError.of('DB_OPEN', { path: '/data/trials.sqlite', reason: 'database is locked' }));
    expect(await failing).toBe(false);
    expect(req.error.value?.code).toBe('DB_OPEN');
    expect(req.error.value?.message).toMatch(/^Cannot open the trial database \/data\/trials\.sqlite: database is locked\./);
    expect(req.data.value).toBe('good');
    expect(req.loading.value).toBe(false);
    const again = req.run('c');
    pending[2].resolve('better');
    await again;
    expect(req.error.value).toBeNull();
    expect(req.data.value).toBe('better');
  });

  it('ignores the failure of a request that a newer one replaced', async () => {
    const { fetch, pending } = manualFetch<string>();
    const req = useLatestRequest(fetch, 'none');
    const older = req.run('a');
    const newer = req.run('b');
    pending[1].resolve('answer b');
    await newer;
    pending[0].reject(new Error('too late'));
    await older;
    expect(req.error.value).toBeNull();
    expect(req.data.value).toBe('answer b');
  });

  it('cancel() drops the answer in flight and stops loading', async () => {
    const { fetch, pending } = manualFetch<string>();
    const req = useLatestRequest(fetch, 'none');
    const call = req.run('a');
    req.cancel();
    expect(req.loading.value).toBe(false);
    pending[0].resolve('late');
    expect(await call).toBe(false);
    expect(req.data.value).toBe('none');
    expect(req.loaded.value).toBe(false);
  });

  it('drops answers that arrive after its effect scope ended', async () => {
    const { fetch, pending } = manualFetch<string>();
    const scope = effectScope();
    const req = scope.run(() => useLatestRequest(fetch, 'none'));
    if (!req) throw new Error('no request');
    const call = req.run('a');
    const failing = req.run('b');
    scope.stop();
    expect(req.loading.value).toBe(false);
    pending[0].resolve('after unmount');
    pending[1].reject(new Error('after unmount'));
    expect(await call).toBe(false);
    expect(await failing).toBe(false);
    expect(req.data.value).toBe('none');
    expect(req.error.value).toBeNull();
  });

  it('passes its arguments to the fetch', async () => {
    const { fetch, pending } = manualFetch<string>();
    const req = useLatestRequest(fetch, '');
    void req.run('trial 7');
    expect(pending[0].arg).toBe('trial 7');
    pending[0].resolve('x');
  });
});
