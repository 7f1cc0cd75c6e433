// A drive that stops answering while a bundle is written (a network share dropping, a USB disk pulled): the
// export must end with a message naming what did not answer, not wait forever, and leave the earlier bundle
// byte-identical with no temporary sibling behind. The hang is simulated at the directory sync of the written
// folder, the last call before anything is renamed.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileDurable, writeFolderAtomically } from '../../src/core/export/safeFolder';
import { AppError } from '../../src/shared/errors';

const policy = { protectedPaths: [], force: true, replaceable: async () => true, what: 'encoder bundle' };

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('writeFolderAtomically on a drive that stops answering', () => {
  it("gives up on the folder's sync after its time limit, with DEST_TIMEOUT, and keeps the earlier bundle", async () => {
    const root = fsSync.mkdtempSync(path.join(os.tmpdir(), 'll-hang-'));
    const dest = path.join(root, 'bundle');
    fsSync.mkdirSync(dest);
    fsSync.writeFileSync(path.join(dest, 'manifest.json'), '{"old":true}');
    const open = fs.open.bind(fs);
    // Opening a folder for its sync never answers; files still open as usual. Time is faked from that moment
    // only (the limit's timer starts right after), so the real file-system calls before it keep their limits.
    let hung = false;
    vi.spyOn(fs, 'open').mockImplementation(((p: string, flags?: string) => {
      if (flags !== 'r' || !fsSync.statSync(p).isDirectory()) return open(p, flags);
      hung = true;
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      return new Promise<never>(() => undefined);
    }) as typeof fs.open);
    let settled: { err: unknown } | null = null;
    void writeFolderAtomically(dest, { policy, write: (dir) => writeFileDurable(path.join(dir, 'manifest.json'), '{"new":true}') }).then(
      () => (settled = { err: null }),
      (err: unknown) => (settled = { err }),
    );
    const until = async (cond: () => boolean): Promise<void> => {
      for (let i = 0; i < 100_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
    };
    await until(() => hung);
    expect(hung).toBe(true);
    await vi.advanceTimersByTimeAsync(9_900);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    await until(() => settled !== null);
    vi.useRealTimers();
    expect(settled).not.toBeNull();
    const err = (settled as unknown as { err: unknown }).err;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('DEST_TIMEOUT');
    expect((err as AppError).message).toContain('to disk did not answer within 10 s');
    // Stored state: the earlier bundle as it was, nothing else beside it.
    expect(fsSync.readFileSync(path.join(dest, 'manifest.json'), 'utf8')).toBe('{"old":true}');
    expect(fsSync.readdirSync(root)).toEqual(['bundle']);
    fsSync.rmSync(root, { recursive: true, force: true });
  });
});
