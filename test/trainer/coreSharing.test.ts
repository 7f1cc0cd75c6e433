// How a study shares the cores between its trainers: an even split while they all run, and the cores of a
// trainer that stopped, or waits with nothing to run, go to the ones still training (the last trial of a study
// trains on every core).
import { describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { createMemoryStorage } from '../../src/core/storage/memory';
import { threadShares } from '../../src/core/study/parallel';
import type { FromTrainer, ToTrainer, TrainerChannel } from '../../src/core/trainer/protocol';
import { superviseStudy } from '../../src/core/trainer/studySupervisor';

describe('core sharing', () => {
  it('splits cores evenly, one thread at least', () => {
    expect(threadShares(2, 2)).toEqual([1, 1]);
    expect(threadShares(2, 1)).toEqual([2]);
    expect(threadShares(8, 3)).toEqual([3, 3, 2]);
    expect(threadShares(2, 3)).toEqual([1, 1, 1]);
    expect(threadShares(4, 0)).toEqual([]);
  });

  it('gives a stopped trainer\'s cores to the trainers still running', async () => {
    const sent: ToTrainer[][] = [];
    const listeners: Array<(m: FromTrainer) => void> = [];
    const spawn = (): TrainerChannel => {
      const mine: ToTrainer[] = [];
      sent.push(mine);
      return {
        send: (m) => mine.push(m),
        onMessage: (l) => listeners.push(l),
        onExit: () => {},
        kill: () => {},
      };
    };
    const run = superviseStudy({ spawn, storage: createMemoryStorage(), locations: resolveLocations({ dataDir: '/nonexistent' }), studyName: 's', workers: 3, cores: 4 });
    const threads = (w: number): number[] => sent[w].flatMap((m) => (m.type === 'threads' ? [m.threads] : []));
    // Threads are set before the study starts in each trainer.
    for (let w = 0; w < 3; w++) expect(sent[w].findIndex((m) => m.type === 'threads')).toBeLessThan(sent[w].findIndex((m) => m.type === 'study'));
    expect([threads(0), threads(1), threads(2)]).toEqual([[2], [1], [1]]);
    const done = (worker: number): void => listeners[worker]({ type: 'study.workerDone', payload: { studyName: 's', worker, stop: 'budget', error: null } });
    done(1);
    expect([threads(0).at(-1), threads(2).at(-1)]).toEqual([2, 2]);
    done(0);
    expect(threads(2).at(-1)).toBe(4);
    expect(threads(0).at(-1)).toBe(2); // a stopped trainer gets no more messages about threads
    done(2);
    expect((await run.done).map((r) => r.stop)).toEqual(['budget', 'budget', 'budget']);
  });

  it('lends a waiting trainer\'s cores to the trainers still training until it starts a trial again', async () => {
    const sent: ToTrainer[][] = [];
    const listeners: Array<(m: FromTrainer) => void> = [];
    const spawn = (): TrainerChannel => {
      const mine: ToTrainer[] = [];
      sent.push(mine);
      return { send: (m) => mine.push(m), onMessage: (l) => listeners.push(l), onExit: () => {}, kill: () => {} };
    };
    const run = superviseStudy({ spawn, storage: createMemoryStorage(), locations: resolveLocations({ dataDir: '/nonexistent' }), studyName: 's', workers: 2, cores: 2 });
    const threads = (w: number): number[] => sent[w].flatMap((m) => (m.type === 'threads' ? [m.threads] : []));
    const say = (worker: number, m: FromTrainer): void => listeners[worker](m);
    expect([threads(0), threads(1)]).toEqual([[1], [1]]);
    say(1, { type: 'study.workerWaiting', payload: { studyName: 's', worker: 1 } });
    expect([threads(0), threads(1)]).toEqual([[1, 2], [1]]);
    // A failed trial's retry: the waiting trainer takes it and its share back.
    say(1, { type: 'study.trialStarted', payload: { studyName: 's', trialId: 9, number: 9, worker: 1 } });
    expect([threads(0).at(-1), threads(1).at(-1)]).toEqual([1, 1]);
    say(0, { type: 'study.workerWaiting', payload: { studyName: 's', worker: 0 } });
    expect(threads(1).at(-1)).toBe(2);
    for (const w of [0, 1]) say(w, { type: 'study.workerDone', payload: { studyName: 's', worker: w, stop: 'budget', error: null } });
    expect((await run.done).map((r) => r.stop)).toEqual(['budget', 'budget']);
  });
});
