// The app's look at a study another process trains in its own SQLite file: what changed is told once, in order
// (epochs before the end), nothing is told when nothing changed, and a study whose runner died is no longer
// looked at (its trial stays RUNNING for a resume, but nothing will move).
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseChange } from '../../src/core/storage/pgListen';
import type { MetricSeries, Storage, TrialRecord } from '../../src/core/storage/types';
import { createLocalChangeWatch, type LocalChangeWatch } from '../../src/server/services/localChangeWatch';

function fakeFile() {
  const trial = { id: 7, studyId: 1, state: 'RUNNING' } as TrialRecord;
  const state = { trial, epochs: 1, looks: 0 };
  const storage = {
    databaseId: 'db-1',
    async listTrials() {
      state.looks++;
      return [{ ...state.trial }];
    },
    async getMetrics(): Promise<MetricSeries> {
      return Array.from({ length: state.epochs }, (_, i) => ({ step: i + 1, values: {} }));
    },
  } as unknown as Storage;
  return { storage, state };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
let watch: LocalChangeWatch | null = null;
afterEach(() => watch?.dispose());

describe('the look at a study trained by another process on the same file', () => {
  it('tells each change once, epochs before the end, and stops when the trial ends', async () => {
    const { storage, state } = fakeFile();
    const told: Array<Omit<DatabaseChange, 'studyId'>> = [];
    watch = createLocalChangeWatch({ storage, everyMs: 10, onChange: ({ trialId, what }) => told.push({ trialId, what }), othersRunning: async () => true });
    watch.note(1, [{ id: 7, state: 'RUNNING' }]);
    await expect.poll(() => told.length).toBe(1);
    await tick(50);
    // Its epochs so far once (the page merges them), then nothing while nothing changes.
    expect(told).toEqual([{ trialId: 7, what: 'epoch' }]);
    state.epochs = 3;
    state.trial = { ...state.trial, state: 'COMPLETE' };
    await expect.poll(() => told.length).toBe(3);
    expect(told.slice(1)).toEqual([
      { trialId: 7, what: 'epoch' },
      { trialId: 7, what: 'state' },
    ]);
    const looks = state.looks;
    await tick(60);
    expect(state.looks).toBe(looks);
  });

  it('stops looking at a study whose runner is gone', async () => {
    const { storage, state } = fakeFile();
    let alive = true;
    watch = createLocalChangeWatch({ storage, everyMs: 10, onChange: () => {}, othersRunning: async () => alive });
    watch.note(1, [{ id: 7, state: 'RUNNING' }]);
    await expect.poll(() => state.looks).toBeGreaterThan(2);
    alive = false;
    await tick(40);
    const looks = state.looks;
    await tick(60);
    expect(state.looks).toBe(looks);
  });
});
