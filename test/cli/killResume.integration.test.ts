// kill -9 of a running `latent-lab search` (the CLI and its trainer) at five moments, then an immediate
// `resume`: no COMPLETE trial is lost or changed, the killed trial is FAILED as stale and retried once (linked),
// and the finished trials equal the budget. Each moment is reached deterministically: the process stops itself
// there (LATENT_LAB_TEST_STOP_AT, src/core/faultPoints.ts) and is killed while stopped. Runs from a folder
// outside the repository; several databases share one data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeSnapshot,
  finishedCount,
  folderHashes,
  killGroup,
  makeCrashWorld,
  runCli,
  startCli,
  storedTrials,
  waitForStop,
  type CrashWorld,
} from '../helpers/crash';

const BUDGET = 3;
let world: CrashWorld;

beforeAll(async () => {
  world = await makeCrashWorld(fs.mkdtempSync(path.join(os.tmpdir(), 'll-kill-')));
});
afterAll(() => fs.rmSync(world.dir, { recursive: true, force: true }));

interface Moment {
  name: string;
  /** LATENT_LAB_TEST_STOP_AT: where the CLI's trainer stops before the kill. */
  stopAt: string;
  /** The number of the trial running at the kill (null: none was). */
  killed: number | null;
}

const moments: Moment[] = [
  { name: 'mid-trial', stopAt: 'trial.epoch@number=1,epoch=1', killed: 1 },
  { name: 'between trials', stopAt: 'worker.trialStarted@number=1', killed: 1 },
  { name: 'during the final write', stopAt: 'trial.bundle@number=1', killed: 1 },
  { name: 'during the last trial', stopAt: `trial.epoch@number=${BUDGET - 1},epoch=1`, killed: BUDGET - 1 },
  { name: 'while the baselines are computed, before any trial', stopAt: 'worker.baselines', killed: null },
];

describe('kill -9 and an immediate resume', () => {
  it.each(moments)('$name', { timeout: 300_000 }, async (m) => {
    const study = `kill-${m.name.replace(/\W+/g, '-')}`;
    const db = `${study}.sqlite`;
    const spec = world.spec(study, BUDGET);
    const stopFile = path.join(world.dir, `${study}.stopped`);
    // Baselines are cached per data folder and reused by a study on the same images: the baselines moment
    // needs a data folder of its own, or the earlier moments' copy means there is nothing to compute.
    const flags = ['--db', db, '--data-dir', m.stopAt === 'worker.baselines' ? 'home-baselines' : 'home'];
    const cli = startCli(world.dir, ['search', '--spec', spec, ...flags], { LATENT_LAB_TEST_STOP_AT: m.stopAt, LATENT_LAB_TEST_STOP_FILE: stopFile });
    await waitForStop(stopFile, cli);
    const dbPath = path.join(world.dir, db);
    const before = storedTrials(dbPath, study);
    const kept = completeSnapshot(before);
    const killedTrial = m.killed === null ? null : before.find((t) => t.number === m.killed);
    if (m.killed !== null) expect(killedTrial?.state).toBe('RUNNING');
    await killGroup(cli);

    const resume = runCli(world.dir, ['resume', study, ...flags]);
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    const after = storedTrials(dbPath, study);
    // No COMPLETE trial lost or changed: same state, values and files, byte for byte.
    expect(completeSnapshot(after.filter((t) => t.id in kept))).toEqual(kept);
    // Nothing left running or waiting, and the work done equals the budget.
    expect(after.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    expect(finishedCount(after)).toBe(BUDGET);
    expect(after.filter((t) => t.state === 'COMPLETE')).toHaveLength(BUDGET);
    if (killedTrial) {
      const failed = after.find((t) => t.id === killedTrial.id);
      expect(failed?.state).toBe('FAILED');
      expect(failed?.failReason).toMatch(/^stale: its trainer \(pid \d+ on .+\) is gone/);
      const retries = after.filter((t) => t.retryOf === killedTrial.id);
      expect(retries).toHaveLength(1);
      expect(retries[0].state).toBe('COMPLETE');
      expect(resume.stdout).toContain(`Trial #${killedTrial.number} was left RUNNING, but its trainer`);
      expect(resume.stdout).toContain(`queued once more as #${retries[0].number}.`);
      // A half-written bundle stays where it was and belongs to no trial; the retry wrote a folder of its own.
      expect(retries[0].artifactDir).not.toBeNull();
      expect(after.some((t) => t.artifactDir !== null && t.artifactDir === failed?.artifactDir)).toBe(false);
      if (m.name === 'during the final write') {
        const partial = path.join(path.dirname(retries[0].artifactDir as string), `trial-${killedTrial.id}`);
        expect(Object.keys(folderHashes(partial)).sort()).toEqual(['features.csv', 'model.json', 'owner.json', 'weights.bin']);
      }
    } else {
      expect(after.filter((t) => t.state === 'FAILED')).toEqual([]);
    }
  });
});
