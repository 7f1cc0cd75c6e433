// Telling whether a trial's owner process still runs: a killed process (even one not yet reaped) is gone, a pid
// reused by another process is not the owner, and other hosts cannot be judged from here.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentOwner, ownerLiveness, ownerOf } from '../../src/core/study/trialOwner';
import { openStorage } from '../../src/core/storage/sqlite';
import { MANUAL_STUDY, REFIT_STUDY } from '../../src/shared/dto';
import { recoverManualTrials } from '../../src/core/trainer/manualTrial';

const linux = process.platform === 'linux';

describe('trial owners', () => {
  it('this process is alive, with a start stamp that identifies it', () => {
    const me = currentOwner();
    expect(me).toMatchObject({ host: os.hostname(), pid: process.pid });
    if (linux) expect(me.start).toMatch(/^linux:[0-9a-f-]{36}:\d+$/);
    expect(ownerLiveness(me)).toBe('alive');
    expect(ownerOf(process.pid)).toEqual(me);
  });

  it.runIf(linux)('a pid now used by another process does not count as the owner', () => {
    const me = currentOwner();
    const [kind, boot, ticks] = me.start.split(':');
    expect(ownerLiveness({ ...me, start: `${kind}:${boot}:${Number(ticks) - 1}` })).toBe('gone');
    // Started in an earlier boot of this machine: every process of that boot is gone.
    expect(ownerLiveness({ ...me, start: `${kind}:00000000-0000-0000-0000-000000000000:${ticks}` })).toBe('gone');
  });

  it.runIf(linux)('a process killed with -9 is gone at once, even before its parent reaps it', async () => {
    // sh starts a sleeper in the background and then becomes a long sleep that never reaps it: once killed,
    // the sleeper stays a zombie (state Z) for as long as the test runs.
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    try {
      const owner = ownerOf(pid);
      expect(ownerLiveness(owner)).toBe('alive');
      process.kill(pid, 'SIGKILL');
      // Under load sh may still be running (not yet exec'd) when the kill lands, and reap the sleeper itself:
      // then there is no zombie to see, and the process is just as gone.
      const zombie = async (): Promise<boolean> => {
        try {
          return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
        } catch {
          return true; // reaped already
        }
      };
      while (!(await zombie())) await new Promise((r) => setTimeout(r, 10));
      expect(ownerLiveness(owner)).toBe('gone');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('cannot judge another host or a trial without an owner', () => {
    expect(ownerLiveness({ host: `${os.hostname()}-elsewhere`, pid: process.pid, start: currentOwner().start })).toBe('unknown');
    expect(ownerLiveness(null)).toBe('unknown');
  });
});

describe('recovering trials outside a search', () => {
  it.runIf(linux)('hand-configured trials and refits left RUNNING by a gone trainer are failed; live and other trials stay', async () => {
    const storage = openStorage(':memory:', { create: true });
    const me = currentOwner();
    const [kind, boot, ticks] = me.start.split(':');
    const gone = { ...me, start: `${kind}:${boot}:${Number(ticks) - 1}` };
    const ids: Record<string, number> = {};
    for (const [name, kindOf] of [[MANUAL_STUDY, 'manual'], [REFIT_STUDY, 'refit'], ['search', 'search']] as const) {
      const study = await storage.getOrCreateStudy(name, kindOf);
      for (const [label, owner] of [['gone', gone], ['alive', me]] as const) {
        const t = await storage.createTrial(study.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null, owner });
        ids[`${name}/${label}`] = t.id;
      }
    }
    const failed = await recoverManualTrials(storage);
    expect(failed.map((t) => t.id).sort()).toEqual([ids[`${MANUAL_STUDY}/gone`], ids[`${REFIT_STUDY}/gone`]].sort());
    const state = async (key: string): Promise<string | undefined> => (await storage.getTrial(ids[key]))?.state;
    expect(await state(`${REFIT_STUDY}/gone`)).toBe('FAILED');
    expect((await storage.getTrial(ids[`${REFIT_STUDY}/gone`]))?.failReason).toMatch(/^stale: its trainer \(.*\) is gone/);
    for (const key of [`${MANUAL_STUDY}/alive`, `${REFIT_STUDY}/alive`, 'search/gone', 'search/alive']) expect(await state(key)).toBe('RUNNING');
    await storage.close();
  });
});
