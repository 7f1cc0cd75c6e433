// A running trial's reconstructions written for the machines watching a shared database: in order, only the
// newest waiting one, a failure said once and never thrown at the trial; nothing for a database without a live view.
import { describe, expect, it } from 'vitest';
import { liveReconstructionsWriter } from '../../src/core/trainer/liveReconstructions';
import type { JsonValue, Storage } from '../../src/core/storage/types';
import type { TrialReconstructions } from '../../src/core/trainer/runTrial';

const pixels = (trialId: number, epoch: number): TrialReconstructions => ({ trialId, epoch, width: 2, height: 1, channels: 1, originals: [[0, 255]], reconstructions: [[10, 200]] });

function sharedStorage(fail: (epoch: number) => boolean): { storage: Storage; written: JsonValue[]; release: () => void } {
  const written: JsonValue[] = [];
  let release = (): void => {};
  let gate: Promise<void> = new Promise((r) => (release = r));
  const storage = {
    path: 'postgresql://db.example/x',
    liveViews: {
      async putReconstructions(_trialId: number, r: JsonValue) {
        await gate;
        const epoch = (r as { epoch: number }).epoch;
        if (fail(epoch)) throw new Error(`connection lost at epoch ${epoch}`);
        written.push(r);
      },
      getReconstructions: async () => null,
    },
  } as unknown as Storage;
  return {
    storage,
    written,
    release: () => {
      release();
      gate = Promise.resolve();
    },
  };
}

describe('live reconstructions writer', () => {
  it('is absent for a database without a live view (in memory)', () => {
    expect(liveReconstructionsWriter({ path: ':memory:' } as unknown as Storage, () => {})).toBeNull();
  });

  it('writes PNG data URLs in order, skipping the ones a newer one replaced while a write was under way', async () => {
    const { storage, written, release } = sharedStorage(() => false);
    const w = liveReconstructionsWriter(storage, () => {});
    if (!w) throw new Error('a shared database gets a writer');
    w.write(pixels(7, 1));
    w.write(pixels(7, 2));
    w.write(pixels(7, 3));
    release();
    await w.settled();
    expect(written.map((r) => (r as { epoch: number }).epoch)).toEqual([1, 3]);
    expect(written[1]).toMatchObject({ trialId: 7, epoch: 3 });
    expect((written[1] as { originals: string[] }).originals[0]).toMatch(/^data:image\/png;base64,/);
  });

  it('says the first failure once and goes on writing', async () => {
    const warnings: string[] = [];
    const { storage, written, release } = sharedStorage((epoch) => epoch < 3);
    release();
    const w = liveReconstructionsWriter(storage, (m) => warnings.push(m));
    if (!w) throw new Error('a shared database gets a writer');
    for (const epoch of [1, 2, 3]) {
      w.write(pixels(7, epoch));
      await w.settled();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Trial 7's reconstructions could not be stored in postgresql:\/\/db\.example\/x for the windows watching it \(connection lost at epoch 1\)/);
    expect(written.map((r) => (r as { epoch: number }).epoch)).toEqual([3]);
  });
});
