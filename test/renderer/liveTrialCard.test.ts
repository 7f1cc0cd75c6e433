// @vitest-environment happy-dom
// The running-trial card for a trial trained elsewhere (a worker on a shared database): no batch progress reaches
// this window, so the stored epochs count (epoch x of y, an ETA from its seconds per epoch); a trial failed as
// stale says why.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { EpochMetrics, TrialProgress, TrialSummary } from '../../src/shared/dto';
import { createAppI18n } from '../../src/renderer/i18n';
import { trialProgressView } from '../../src/renderer/lib/trialProgress';
import type { LiveTrial } from '../../src/renderer/stores/liveTrials';
import LiveTrialCard from '../../src/renderer/components/study/LiveTrialCard.vue';
import { paramsOf, trial } from './analyticsFixtures';
import { EChartStub } from './echartStub';

const epochs = (n: number, seconds = 2): EpochMetrics[] =>
  Array.from({ length: n }, (_, i) => ({ epoch: i + 1, trainLoss: 1 / (i + 1), valLoss: 1 / (i + 1), seconds, samplesPerSec: 500 }));
const batch: TrialProgress = { trialId: 3, epoch: 2, epochs: 4, batch: 5, batches: 10, samplesPerSec: 900, etaSeconds: 30 };
const live = (init: Partial<LiveTrial>): LiveTrial => ({ trialId: 3, state: 'RUNNING', reason: null, epochs: [], progress: null, updatedAt: 0, ...init });

describe('trialProgressView', () => {
  it('uses the batch progress a trainer of this window streams', () => {
    expect(trialProgressView(batch, epochs(1), 4)).toEqual({ epoch: 2, epochs: 4, fraction: 1.5 / 4, samplesPerSec: 900, etaSeconds: 30, source: 'batches' });
  });

  it('counts stored epochs otherwise, with an ETA from the recent seconds per epoch', () => {
    const e = [...epochs(5, 100), ...epochs(10, 2).map((m) => ({ ...m, epoch: m.epoch + 5 }))];
    expect(trialProgressView(null, e, 100)).toEqual({ epoch: 15, epochs: 100, fraction: 0.15, samplesPerSec: 500, etaSeconds: 2 * 85, source: 'epochs' });
    // No epoch yet, or no plan: nothing to show (the chart says the curves come after the first epoch).
    expect(trialProgressView(null, [], 100)).toBeNull();
    expect(trialProgressView(null, epochs(3), null)).toBeNull();
    // Epochs without timings: no ETA rather than a made-up one.
    expect(trialProgressView(null, epochs(3, 0), 10)?.etaSeconds).toBeNull();
  });
});

describe('LiveTrialCard', () => {
  const mountCard = (props: { trial: TrialSummary; live: LiveTrial }) => mount(LiveTrialCard, { props, global: { plugins: [createPinia(), createAppI18n('en')], stubs: { EChart: EChartStub } } });

  it('shows epoch x of y and the ETA of a trial whose epochs arrive from the database', () => {
    const tr = { ...trial({ id: 3, number: 2, state: 'RUNNING', values: [], epochsDone: 3 }), params: { ...paramsOf(trial({ id: 3 })), epochs: 40 } };
    const w = mountCard({ trial: tr, live: live({ epochs: epochs(3) }) });
    const card = w.get('[data-testid="live-trial-2"]');
    expect(card.attributes('data-epoch')).toBe('3');
    expect(card.get('[data-testid="live-trial-progress"]').text()).toMatch(/Epoch 3 of 40.*500 samples\/s · \S/);
    expect(card.get('[data-testid="live-trial-chart"]').attributes('data-points')).toBe('3');
    expect(w.find('[data-testid="live-trial-reason"]').exists()).toBe(false);
  });

  it('says why a trial failed (stale: its worker is gone) and drops the progress', () => {
    const reason = 'stale: its trainer (pid 42 on far) is gone (the trainer stopped or was killed)';
    const w = mountCard({ trial: trial({ id: 3, number: 2, state: 'RUNNING', values: [], epochsDone: 3 }), live: live({ state: 'FAILED', reason, epochs: epochs(3) }) });
    const card = w.get('[data-testid="live-trial-2"]');
    expect(card.attributes('data-state')).toBe('FAILED');
    expect(card.attributes('data-epoch')).toBe('');
    expect(w.get('[data-testid="live-trial-reason"]').text()).toBe(reason);
    expect(w.find('[data-testid="live-trial-progress"]').exists()).toBe(false);
  });
});
