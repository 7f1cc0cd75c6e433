// When the first worker finds a study's baselines worth a process of their own (baselines.wanted), the
// supervisor starts one beside the trainers, once, tells the user what came of it, and the run ends only when
// the trials and the baselines are both done.
import { describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { createMemoryStorage } from '../../src/core/storage/memory';
import type { FromTrainer, ToTrainer, TrainerChannel } from '../../src/core/trainer/protocol';
import { superviseStudy } from '../../src/core/trainer/studySupervisor';

function fakeTrainers() {
  const sent: ToTrainer[][] = [];
  const listeners: Array<(m: FromTrainer) => void> = [];
  const exits: Array<(info: { code: number | null; signal: string | null }) => void> = [];
  const spawn = (): TrainerChannel => {
    const mine: ToTrainer[] = [];
    sent.push(mine);
    return {
      send: (m) => mine.push(m),
      onMessage: (l) => listeners.push(l),
      onExit: (l) => exits.push(l),
      kill: () => {},
    };
  };
  return { sent, listeners, exits, spawn };
}

describe('baselines in a process of their own', () => {
  it('starts once on request, beside the trainers, and the run waits for it', async () => {
    const t = fakeTrainers();
    const events: Array<[FromTrainer, number]> = [];
    const run = superviseStudy({
      spawn: t.spawn, storage: createMemoryStorage(), locations: resolveLocations({ dataDir: '/nonexistent' }), studyName: 's', workers: 2, cores: 2,
      onEvent: (m, w) => events.push([m, w]),
    });
    expect(t.sent).toHaveLength(2);
    t.listeners[0]({ type: 'baselines.wanted', payload: { studyName: 's' } });
    t.listeners[1]({ type: 'baselines.wanted', payload: { studyName: 's' } });
    expect(t.sent).toHaveLength(3);
    expect(t.sent[2]).toEqual([{ type: 'baselines', studyName: 's', dbPath: expect.any(String), dataDir: '/nonexistent' }]);

    let finished = false;
    void run.done.then(() => (finished = true));
    for (const worker of [0, 1]) t.listeners[worker]({ type: 'study.workerDone', payload: { studyName: 's', worker, stop: 'budget', error: null } });
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toBe(false);

    t.listeners[2]({ type: 'baselines.done', payload: { studyName: 's', outcome: 'computed', error: null, message: 'Baselines ready in 1.0 s.' } });
    expect(t.sent[2].at(-1)).toEqual({ type: 'shutdown' });
    t.exits[2]({ code: 0, signal: null });
    expect((await run.done).map((r) => r.stop)).toEqual(['budget', 'budget']);
    expect(events).toContainEqual([{ type: 'log', level: 'info', message: 'Baselines ready in 1.0 s.' }, 2]);
  });

  it('says so when the baselines process dies, and a cancelled run starts none', async () => {
    const t = fakeTrainers();
    const events: FromTrainer[] = [];
    const run = superviseStudy({
      spawn: t.spawn, storage: createMemoryStorage(), locations: resolveLocations({ dataDir: '/nonexistent' }), studyName: 's', workers: 1, cores: 2,
      onEvent: (m) => events.push(m),
    });
    t.listeners[0]({ type: 'baselines.wanted', payload: { studyName: 's' } });
    t.exits[1]({ code: null, signal: 'SIGKILL' });
    t.listeners[0]({ type: 'study.workerDone', payload: { studyName: 's', worker: 0, stop: 'budget', error: null } });
    await run.done;
    expect(events).toContainEqual({ type: 'log', level: 'warn', message: expect.stringMatching(/^Study baselines were not computed: their process was killed \(SIGKILL\); they are computed on the next resume\.$/) });

    const c = fakeTrainers();
    const cancelled = superviseStudy({ spawn: c.spawn, storage: createMemoryStorage(), locations: resolveLocations({ dataDir: '/nonexistent' }), studyName: 's', workers: 1, cores: 2 });
    cancelled.cancel();
    c.listeners[0]({ type: 'baselines.wanted', payload: { studyName: 's' } });
    expect(c.sent).toHaveLength(1);
    c.exits[0]({ code: 0, signal: null });
    expect((await cancelled.done).map((r) => r.stop)).toEqual(['cancelled']);
  });
});
