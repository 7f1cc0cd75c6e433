// Writes that ask before replacing: the engine's refusal waits for the user's answer; only "Replace" repeats the
// same request with force, Cancel calls nothing, and any other failure is shown as it is.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/renderer/api';
import { useConfirmedWrite } from '../../src/renderer/composables/useConfirmedWrite';

/** A write that refuses while the destination is taken and force is not given. */
function fakeWrite() {
  const calls: Array<{ folder: string; force: boolean }> = [];
  let taken = true;
  const call = async (r: { folder: string }, force: boolean): Promise<string> => {
    calls.push({ ...r, force });
    if (r.folder.startsWith('/proc')) throw ApiError.of('DEST_PSEUDO_FS', { path: r.folder, kind: 'proc' });
    if (taken && !force) throw ApiError.of('DEST_HOLDS_EARLIER', { path: r.folder, what: 'encoder bundle' });
    taken = true;
    return `wrote ${r.folder}`;
  };
  return { calls, call };
}

describe('useConfirmedWrite', () => {
  it('waits on a refusal to replace; Cancel leaves it there, Replace repeats the same request with force', async () => {
    const { calls, call } = fakeWrite();
    const w = useConfirmedWrite('DEST_HOLDS_EARLIER', call);
    await w.run({ folder: '/x/bundle' });
    expect(w.pending.value).toEqual({ folder: '/x/bundle' });
    expect(w.error.value).toBeNull();
    expect(w.result.value).toBeNull();
    w.cancel();
    expect(w.pending.value).toBeNull();
    await w.confirm(); // nothing pending: nothing is called
    expect(calls).toEqual([{ folder: '/x/bundle', force: false }]);

    await w.run({ folder: '/x/bundle' });
    await w.confirm();
    expect(calls.at(-1)).toEqual({ folder: '/x/bundle', force: true });
    expect(w.result.value).toEqual({ request: { folder: '/x/bundle' }, value: 'wrote /x/bundle' });
    expect(w.pending.value).toBeNull();
    expect(w.busy.value).toBe(false);
  });

  it('shows any other refusal with its code, and clears a stale result when a new write starts', async () => {
    const { call } = fakeWrite();
    const w = useConfirmedWrite('DEST_HOLDS_EARLIER', call);
    await w.run({ folder: '/x/a' });
    await w.confirm();
    expect(w.result.value?.value).toBe('wrote /x/a');
    await w.run({ folder: '/proc/1/bundle' });
    expect(w.pending.value).toBeNull();
    expect(w.result.value).toBeNull();
    expect(w.error.value?.code).toBe('DEST_PSEUDO_FS');
    expect(w.error.value?.message).toMatch(/system file system \(proc\)/);
  });
});
