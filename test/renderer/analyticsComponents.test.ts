// @vitest-environment happy-dom
// The study screens mounted with @vue/test-utils against a fake engine: the live store's batching, the
// dashboard following a running study, the analytics page, the trials table and the compare view.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { AutoencoderParams, StudyDetail, StudySummary, TrialDetail } from '../../src/shared/dto';
import { ApiError, setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import StudyTrialsTable from '../../src/renderer/components/analytics/StudyTrialsTable.vue';
import StudyControls from '../../src/renderer/components/study/StudyControls.vue';
import LatentScatter from '../../src/renderer/components/study/LatentScatter.vue';
import ReconstructionGallery from '../../src/renderer/components/study/ReconstructionGallery.vue';
import TrialDetailView from '../../src/renderer/components/trials/TrialDetail.vue';
import StudyAnalyticsPage from '../../src/renderer/pages/StudyAnalyticsPage.vue';
import StudyDashboardPage from '../../src/renderer/pages/StudyDashboardPage.vue';
import { paramAxes } from '../../src/shared/analytics/params';
import { useLiveTrialsStore } from '../../src/renderer/stores/liveTrials';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { useStudyControlStore } from '../../src/renderer/stores/studyControl';
import { FakeEvents } from './fakeEvents';
import { fakeStudy, fakeTrials, paramsOf, SPEC, trial } from './analyticsFixtures';
import { EChartStub } from './echartStub';

const fakeEpochs = (n: number) => Array.from({ length: n }, (_, i) => ({ epoch: i + 1, trainLoss: 0.1 / (i + 1), valLoss: 0.12 / (i + 1), valMse: 0.11 / (i + 1), seconds: 1, samplesPerSec: 100 }));

class FakeEngine extends FakeEvents implements LatentLabApi {
  calls: { method: string; input: unknown }[] = [];
  studies: StudyDetail[] = [];

  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    this.calls.push({ method, input });
    const out = this.handle(method, input as Record<string, unknown>);
    return out as MethodOutput<M>;
  }

  private handle(method: MethodName, input: Record<string, unknown>): unknown {
    switch (method) {
      case 'studies.list':
        return this.studies.map(({ spec: _s, trials, bestTestMetrics: _b, baselines: _c, probeSetting: _p, verdict: _v, pcaBySize: _z, ...rest }): StudySummary => ({ ...rest, trials: trials.length }));
      case 'studies.get': {
        const s = this.studies.find((x) => x.name === input.name);
        if (!s) throw new ApiError(`No study named ${String(input.name)}`, 'NOT_FOUND');
        return s;
      }
      case 'trials.curves': {
        const ids = new Set(input.trialIds as number[]);
        return this.studies.flatMap((s) => s.trials).filter((t) => ids.has(t.id)).map((t) => ({ trialId: t.id, epochs: fakeEpochs(t.epochsDone) }));
      }
      case 'trials.get': {
        const t = this.studies.flatMap((s) => s.trials).find((x) => x.id === input.trialId);
        if (!t) throw new ApiError('no trial', 'NOT_FOUND');
        const epochs = fakeEpochs(t.epochsDone);
        const confusion = t.metrics.val_accuracy !== undefined ? { classes: ['0', '1', '2'], matrix: [[8, 1, 1], [0, 9, 1], [2, 0, 8]] } : null;
        return { ...t, epochs, confusion, versions: {}, artifactDir: null };
      }
      case 'trials.projection':
        throw new ApiError('Trial has no stored latent codes yet.', 'NOT_AVAILABLE');
      case 'trials.reconstructions': {
        // As the engine: a running trial has some only in a shared database (its live view), here a study run elsewhere.
        const study = this.studies.find((x) => x.trials.some((t) => t.id === input.trialId));
        const t = study?.trials.find((x) => x.id === input.trialId);
        if (t?.state === 'RUNNING' && study?.state !== 'elsewhere') throw new ApiError('no stored reconstructions', 'NO_RECONSTRUCTIONS');
        const png = 'data:image/png;base64,iVBORw0KGgo=';
        return { trialId: input.trialId, epoch: 3, originals: [png, png], reconstructions: [png, png] };
      }
      case 'study.cancel':
        return { cancelled: true };
      case 'study.resume':
        return { name: String(input.name) };
      default:
        throw new ApiError(`not faked: ${method}`, 'NOT_FAKED');
    }
  }
}

let engine: FakeEngine;
let pinia: Pinia;
const i18n = createAppI18n('en');
const global = () => ({ plugins: [pinia, i18n], stubs: { EChart: EChartStub } });

beforeEach(() => {
  engine = new FakeEngine();
  setApi(engine);
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  document.body.innerHTML = '';
});

const metrics = (epoch: number) => ({ epoch, trainLoss: 0.1 / epoch, valLoss: 0.11 / epoch, seconds: 1, samplesPerSec: 900 });
const progress = (trialId: number, batch: number) => ({ trialId, epoch: 1, epochs: 4, batch, batches: 1000, samplesPerSec: 900, etaSeconds: 30 });

describe('live trials store: live events', () => {
  it('applies an event flood as one batch per frame, keeping every epoch and only the newest progress', async () => {
    engine.studies = [fakeStudy([trial({ id: 5, state: 'RUNNING', values: [], epochsDone: 0 })])];
    const store = useLiveTrialsStore();
    await useOpenStudyStore().open('fake');
    for (let b = 1; b <= 1000; b++) engine.emit('trial.progress', progress(5, b));
    engine.emit('trial.epoch', { trialId: 5, metrics: metrics(1) });
    engine.emit('trial.epoch', { trialId: 5, metrics: metrics(2) });
    expect(store.live[5]?.progress ?? null).toBeNull(); // nothing applied before the frame
    store.flush();
    expect(store.stats.batches).toBe(1);
    expect(store.live[5].epochs.map((m) => m.epoch)).toEqual([1, 2]);
    expect(store.live[5].progress?.batch).toBe(1000);
    expect(store.live[5].state).toBe('RUNNING');
    // a repeated epoch replaces, it does not duplicate
    engine.emit('trial.epoch', { trialId: 5, metrics: { ...metrics(2), valLoss: 0.01 } });
    store.flush();
    expect(store.live[5].epochs.map((m) => m.valLoss)).toEqual([0.11, 0.01]);
  });
});

describe('StudyDashboardPage', () => {
  function runningStudy(): StudyDetail {
    const trials = [
      trial({ id: 1, number: 0, values: [0.05], createdAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:20Z', searchParams: { latentSize: 4, learningRate: 0.01 } }),
      trial({ id: 2, number: 1, values: [0.04], createdAt: '2025-01-01T00:00:20Z', finishedAt: '2025-01-01T00:00:40Z', searchParams: { latentSize: 8, learningRate: 0.001 } }),
      trial({ id: 3, number: 2, state: 'RUNNING', values: [], epochsDone: 0, finishedAt: null, latentSize: 2, searchParams: { latentSize: 2, learningRate: 0.003 } }),
    ];
    return fakeStudy(trials, { budgetTrials: 5, bestValue: 0.04, bestTrialId: 2 });
  }

  it('shows progress against the budget, the running trial growing live, its images and latent codes, and pauses', async () => {
    engine.studies = [runningStudy()];
    const w = mount(StudyDashboardPage, { props: { name: 'fake' }, global: global() });
    await flushPromises();
    const store = useLiveTrialsStore();

    const prog = w.get('[data-testid="study-progress"]');
    expect(prog.attributes('data-done')).toBe('2');
    expect(prog.attributes('data-budget')).toBe('5');
    expect(w.get('[data-testid="study-best"]').text()).toContain('0.04');
    expect(w.get('[data-testid="study-eta"]').attributes('data-eta')).not.toBe('');

    const card = w.get('[data-testid="live-trial-2"]');
    expect(card.get('[data-testid="live-trial-chart"]').attributes('data-points')).toBe('0');
    engine.emit('trial.progress', progress(3, 10));
    engine.emit('trial.epoch', { trialId: 3, metrics: metrics(1) });
    engine.emit('trial.epoch', { trialId: 3, metrics: metrics(2) });
    store.flush();
    await nextTick();
    expect(w.get('[data-testid="live-trial-2"] [data-testid="live-trial-chart"]').attributes('data-points')).toBe('2');
    expect(w.find('[data-testid="live-trial-progress"]').exists()).toBe(true);

    // no images yet: the empty state says what is missing (this window runs the trial: its images come as events, none asked for)
    expect(engine.calls.some((c) => c.method === 'trials.reconstructions')).toBe(false);
    expect(w.get('[data-testid="recon-empty"]').text()).toMatch(/No reconstructions of this trial in this window yet: they appear every epoch/);
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    engine.emit('trial.reconstructions', { trialId: 3, epoch: 2, originals: [png, png, png], reconstructions: [png, png, png] });
    engine.emit('trial.latents', { trialId: 3, latentSize: 2, codes: [[0, 1], [1, 0], [0.5, 0.5]], labels: ['1', '2', null] });
    store.flush();
    await nextTick();
    expect(w.findAll('[data-testid="recon-originals"] img').length).toBe(3);
    expect(w.findAll('[data-testid="recon-reconstructions"] img').length).toBe(3);
    const latent = w.get('[data-testid="latent-scatter"]');
    expect(latent.attributes('data-method')).toBe('direct');
    expect(latent.attributes('data-points')).toBe('3');

    // Pause asks the engine to let the running trial finish, and says so until the study stops.
    await w.get('[data-testid="study-pause"]').trigger('click');
    await flushPromises();
    expect(engine.calls.find((c) => c.method === 'study.cancel')?.input).toEqual({ name: 'fake', when: 'afterRunning' });
    const pauseButton = w.get('[data-testid="study-pause"]');
    expect(pauseButton.text()).toMatch(/Pausing: 1 running trial\(s\) finishing/);
    expect(pauseButton.attributes('disabled')).toBeDefined();
    engine.emit('study.progress', { studyName: 'fake', state: 'cancelled', done: 3, running: 0, budgetTrials: 5, bestValue: 0.04, bestTrialId: 1, message: 'Study paused: the running trials finished.' });
    store.flush();
    await flushPromises();
    expect(useStudyControlStore().pausing).toBeNull();
    w.unmount();
  });

  it('a study another process trains reads "Running elsewhere": no pause note, no Pause here, an ETA, and "Train here too"', async () => {
    const s = runningStudy();
    s.state = 'elsewhere';
    engine.studies = [s];
    const w = mount(StudyDashboardPage, { props: { name: 'fake' }, global: global() });
    await flushPromises();
    expect(w.get('[data-testid="study-dashboard"]').attributes('data-state')).toBe('elsewhere');
    expect(w.find('[data-testid="study-paused-note"]').exists()).toBe(false);
    expect(w.find('[data-testid="study-pause"]').exists()).toBe(false);
    const join = w.get('[data-testid="study-resume"]');
    expect(join.text()).toBe('Train here too');
    expect(join.attributes('title')).toMatch(/another process or on another machine/);
    // The running trial's newest reconstructions, from the database (opened mid-trial: no event brought them).
    expect(engine.calls.filter((c) => c.method === 'trials.reconstructions').map((c) => c.input)).toEqual([{ trialId: 3 }]);
    expect(w.get('[data-testid="recon-gallery"]').attributes('data-epoch')).toBe('3');
    expect(w.findAll('[data-testid="recon-originals"] img').length).toBe(2);
    await join.trigger('click');
    await flushPromises();
    expect(engine.calls.some((c) => c.method === 'study.resume')).toBe(true);
    w.unmount();
  });

  it('offers resume on a stopped study and says how much budget is left', async () => {
    const s = runningStudy();
    s.state = 'idle';
    s.trials = s.trials.map((t) => (t.state === 'RUNNING' ? { ...t, state: 'CANCELLED' } : t));
    engine.studies = [s];
    const w = mount(StudyDashboardPage, { props: { name: 'fake' }, global: global() });
    await flushPromises();
    expect(w.find('[data-testid="study-pause"]').exists()).toBe(false);
    expect(w.get('[data-testid="study-paused-note"]').text()).toContain('2');
    // Issue 14 defect 7: the focused (best, completed) trial's stored reconstructions fill the card after a reload.
    expect(engine.calls.filter((c) => c.method === 'trials.reconstructions').map((c) => c.input)).toEqual([{ trialId: 2 }]);
    expect(w.findAll('[data-testid="recon-originals"] img').length).toBe(2);
    expect(w.find('[data-testid="recon-empty"]').exists()).toBe(false);
    await w.get('[data-testid="study-resume"]').trigger('click');
    await flushPromises();
    expect(engine.calls.some((c) => c.method === 'study.resume')).toBe(true);
    w.unmount();
  });
});

describe('StudyControls', () => {
  it('asks before cancelling, and labels pause honestly', async () => {
    const w = mount(StudyControls, { props: { state: 'running', running: 2, acting: null, pausing: false, canResume: false }, global: global() });
    expect(w.get('[data-testid="study-pause"]').text()).toMatch(/Pause after the running trials/);
    await w.get('[data-testid="study-pause"]').trigger('click');
    expect(w.emitted('pause')?.length).toBe(1);
    await w.get('[data-testid="study-cancel"]').trigger('click');
    expect(w.emitted('cancel')).toBeUndefined();
    expect(w.get('[role="alertdialog"]').text()).toMatch(/2 running trial\(s\) will be cancelled/);
    await w.get('[data-testid="study-cancel-confirm"]').trigger('click');
    expect(w.emitted('cancel')?.length).toBe(1);
  });
});

describe('LatentScatter', () => {
  it('projects larger live codes with PCA here, and explains when the engine cannot project', async () => {
    engine.studies = [fakeStudy([])];
    const codes = Array.from({ length: 50 }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i * (j + 1))));
    const w = mount(LatentScatter, {
      props: { trialId: 9, latentSize: 16, codes: { trialId: 9, latentSize: 16, codes, labels: codes.map((_, i) => String(i % 3)) }, finished: true },
      global: global(),
    });
    await flushPromises();
    expect(w.attributes('data-method')).toBe('pca');
    expect(w.attributes('data-points')).toBe('50');
    await w.get('input[type="radio"][value="3"]').setValue(true);
    expect(w.attributes('data-dims')).toBe('3');
    expect(w.attributes('data-points')).toBe('50');
    await w.get('select').setValue('umap');
    await flushPromises();
    expect(w.get('[data-testid="latent-scatter-empty"]').text()).toContain('no stored latent codes');
  });
});

describe('TrialDetail (issue 14 defect 1)', () => {
  const detailOf = (params: Partial<AutoencoderParams>, values: number[]): TrialDetail => ({
    ...trial({ id: 5, values }),
    params: { ...paramsOf(trial({ id: 5 })), ...params },
    epochs: [],
    confusion: null,
    versions: {},
    artifactDir: null,
  });
  const rowsOf = (w: ReturnType<typeof mount>): Record<string, string> => {
    const dts = w.findAll('[data-testid="detail-params"] dt').map((d) => d.text());
    const dds = w.findAll('[data-testid="detail-params"] dd').map((d) => d.text());
    return Object.fromEntries(dts.map((k, i) => [k, dds[i]]));
  };

  it('shows the settings active for the architecture, each in its format, and the values the study optimised', async () => {
    engine.studies = [fakeStudy([], { objectives: ['val_accuracy'], directions: ['maximize'] })];
    const denoising = detailOf({ architecture: 'denoising', noiseType: 'gaussian', noiseLevel: 0.25, learningRate: 0.00224748378524472 }, [0.87341]);
    const w = mount(TrialDetailView, { props: { trial: denoising }, global: global() });
    await flushPromises();
    const rows = rowsOf(w);
    expect(rows['Learning rate']).toBe('2.25e-3');
    expect(rows['Noise level']).toBe('0.25');
    expect(rows['Noise type']).toBe('Gaussian'); // a value in the UI language (高斯 in Chinese)
    expect(rows).not.toHaveProperty('Filters');
    expect(rows).not.toHaveProperty('Momentum'); // adam, not sgd
    expect(w.get('[data-testid="detail-objective"]').text()).toBe('Accuracy 0.873');
    w.unmount();

    const conv = mount(TrialDetailView, { props: { trial: detailOf({ architecture: 'conv', filters: [16, 32], kernelSize: 3 }, [0.5]) }, global: global() });
    await flushPromises();
    const convRows = rowsOf(conv);
    expect(convRows['Filters']).toBe('16, 32');
    expect(convRows['Kernel size']).toBe('3');
    expect(convRows).not.toHaveProperty('Noise level');
    expect(convRows).not.toHaveProperty('Hidden layers');
    conv.unmount();
  });
});

describe('Simplified Chinese in the study tables and trial detail (issue 14 defect 5)', () => {
  it('names objectives, parameters and a pruned trial\'s reason in Chinese', async () => {
    const zh = { plugins: [pinia, createAppI18n('zh')], stubs: { EChart: EChartStub } };
    const trials = fakeTrials(12, 3);
    engine.studies = [fakeStudy(trials, { objectives: ['val reconstruction (MSE)'] })];
    const ctx = { trials, axes: paramAxes(SPEC, trials), directions: ['minimize' as const], objectives: ['val reconstruction (MSE)'], objectiveIndex: 0, prune: null };
    const table = mount(StudyTrialsTable, { props: { ctx, selected: [] }, global: zh });
    const headers = table.findAll('thead th').map((th) => th.text()).join(' | ');
    expect(headers).toContain('学习率');
    expect(headers).toContain('验证集重建误差（MSE）');
    expect(headers).not.toMatch(/learningRate|latentSize|reconstruction/);
    table.unmount();
    const pruned: TrialDetail = { ...trial({ id: 3, state: 'PRUNED', epochsDone: 2 }), failReason: 'pruned after epoch 2', epochs: [], confusion: null, versions: {}, artifactDir: null };
    const detail = mount(TrialDetailView, { props: { trial: pruned }, global: zh });
    await flushPromises();
    expect(detail.get('[data-testid="detail-pruned"]').text()).toBe('在第 2 轮后被剪枝：它的中间值比剪枝器允许的更差。');
    expect(detail.text()).not.toContain('pruned after epoch');
    detail.unmount();
  });
});

describe('a pruned trial (issue 14 defect 6)', () => {
  it('says it keeps no latent codes or reconstructions, instead of "not yet", and asks the engine for none', async () => {
    engine.studies = [fakeStudy([])];
    const ended = { state: 'PRUNED' as const, number: 4, epochsDone: 2 };
    const w = mount(LatentScatter, { props: { trialId: 9, latentSize: 16, codes: null, finished: true, ended }, global: global() });
    await flushPromises();
    expect(w.get('[data-testid="latent-scatter-empty"]').text()).toBe('Trial #4 stopped after epoch 2 (Pruned): only completed trials keep latent codes.');
    expect(engine.calls.filter((c) => c.method === 'trials.projection')).toEqual([]);
    const g = mount(ReconstructionGallery, { props: { recon: null, trialNumber: 4, state: 'PRUNED', epochsDone: 2 }, global: global() });
    expect(g.get('[data-testid="recon-empty"]').text()).toBe('Trial #4 stopped after epoch 2 (Pruned): only completed trials keep reconstructions.');
    expect(g.text()).not.toMatch(/trial\.\w+ event/);
    w.unmount();
    g.unmount();
  });
});

describe('StudyTrialsTable', () => {
  const trials = fakeTrials(200, 9);
  const ctx = { trials, axes: paramAxes(SPEC, trials), directions: ['minimize' as const], objectives: ['val_loss'], objectiveIndex: 0, prune: null };

  it('paginates, sorts, filters by state and by param, and caps the compare selection at 4', async () => {
    const w = mount(StudyTrialsTable, { props: { ctx, selected: [] }, global: global() });
    const rows = () => w.findAll('tbody tr');
    expect(rows().length).toBe(25);
    expect(w.get('[data-testid="table-range"]').text()).toBe('1–25 of 200');
    expect(rows()[0].attributes('data-testid')).toBe('study-trial-row-199'); // newest first
    await w.get('[data-testid="sort-number"]').trigger('click');
    expect(rows()[0].attributes('data-testid')).toBe('study-trial-row-0');
    await w.get('[data-testid="sort-value-0"]').trigger('click');
    const first = Number(rows()[0].get('td:nth-child(4)').text());
    const second = Number(rows()[1].get('td:nth-child(4)').text());
    expect(first).toBeLessThanOrEqual(second);

    await w.get('[data-testid="table-state-PRUNED"]').trigger('click');
    expect(rows().every((r) => r.attributes('data-state') === 'PRUNED')).toBe(true);
    await w.get('[data-testid="table-state-PRUNED"]').trigger('click');
    await w.get('[data-testid="table-param"]').setValue('activation');
    await w.get('[data-testid="table-param-value"]').setValue('elu');
    const filtered = Number(w.get('[data-testid="study-trials"]').attributes('data-filtered'));
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(200);

    await w.get('[data-testid="table-next"]').trigger('click');
    expect(w.get('[data-testid="table-page"]').text()).toMatch(/Page 2/);

    for (const cb of w.findAll('tbody input[type="checkbox"]').slice(0, 5)) await cb.trigger('change');
    const updates = w.emitted('update:selected') ?? [];
    expect(updates.length).toBe(5);
  });
});

describe('StudyAnalyticsPage', () => {
  it('builds every chart from the study, and compares two trials picked in the table', async () => {
    const trials = fakeTrials(120, 4);
    const best = trials.find((t) => t.state === 'COMPLETE');
    engine.studies = [
      fakeStudy(trials, {
        state: 'finished',
        bestTrialId: best?.id ?? null,
        bestTestMetrics: { test_accuracy: 0.88, test_f1_macro: 0.87 },
        baselines: { pcaDim: 8, raw: { val_accuracy: 0.85 }, pca: { val_accuracy: 0.99 } },
        probeSetting: { param: 'C', value: 0.1, cv: { value: 0.1, grid: [0.01, 0.1, 1], scores: [0.8, 0.85, 0.84], folds: 3 } },
        verdict: {
          trialId: best?.id ?? 0,
          trialNumber: best?.number ?? 0,
          latentSize: 8,
          testImages: 1000,
          accuracy: { value: 0.88, lo: 0.86, hi: 0.9 },
          comparisons: [
            { baseline: 'pca', dim: 8, accuracy: { value: 0.86, lo: 0.84, hi: 0.88 }, difference: { value: 0.021, lo: 0.008, hi: 0.034 }, mcnemar: { onlyTrial: 40, onlyBaseline: 19, pValue: 0.009, method: 'chi2' }, outcome: 'better' },
            { baseline: 'raw', dim: 784, accuracy: { value: 0.875, lo: 0.85, hi: 0.9 }, difference: { value: 0.005, lo: -0.007, hi: 0.017 }, mcnemar: { onlyTrial: 12, onlyBaseline: 7, pValue: 0.36, method: 'exact' }, outcome: 'same' },
          ],
          missing: [],
          level: 0.95,
          alpha: 0.05,
          resamples: 2000,
          seed: 0,
        },
      }),
    ];
    const w = mount(StudyAnalyticsPage, { props: { name: 'fake' }, global: global(), attachTo: document.body });
    await flushPromises();
    for (const id of ['chart-history', 'chart-importance', 'chart-parallel', 'chart-slice', 'chart-intermediate', 'chart-tradeoff']) {
      expect(w.get(`[data-testid="${id}"]`).attributes('data-empty')).toBe('false');
    }
    expect(w.find('[data-testid="chart-pareto"]').exists()).toBe(false); // single objective
    expect(Number(w.get('[data-testid="history-chart"]').attributes('data-series'))).toBe(2);
    expect(Number(w.get('[data-testid="parallel-chart"]').attributes('data-series'))).toBe(2);
    expect(Number(w.get('[data-testid="intermediate-chart"]').attributes('data-points'))).toBeGreaterThan(0);
    // Reconstruction-only objective: the trade-off takes accuracy from the trials' validation metrics.
    expect(w.get('[data-testid="tradeoff-from-metric"]').text()).toMatch(/Accuracy/);
    expect(Number(w.get('[data-testid="tradeoff-chart"]').attributes('data-series'))).toBe(2);
    // The chosen trial against the baselines, and its test metrics.
    const accRow = w.get('[data-testid="test-row-accuracy"]');
    expect(accRow.text()).toContain('0.88');
    expect(accRow.text()).toContain('0.85');
    expect(accRow.find('.baseline-wins').exists()).toBe(true); // PCA at 0.99 beats the autoencoder
    expect(w.find('[data-testid="test-none"]').exists()).toBe(false);
    // The verdict on test, in words.
    expect(w.get('[data-testid="verdict-pca-8"]').text()).toBe("The autoencoder's 8 features beat PCA(8) (0.860 [0.840, 0.880]) on test by +2.1 points [+0.8, +3.4] (McNemar p = 0.009).");
    expect(w.get('[data-testid="verdict-raw-784"]').text()).toMatch(/^The autoencoder's 8 features: no significant difference from raw pixels \(784\)/);
    expect(w.get('[data-testid="probe-setting"]').text()).toMatch(/C = 0.1, chosen by 3-fold cross-validation/);
    // The table's metric column defaults to accuracy.
    expect((w.get('[data-testid="table-metric"]').element as HTMLSelectElement).value).toBe('val_accuracy');
    expect(w.get('[data-testid="chart-importance-help"]').text()).toMatch(/fANOVA[\s\S]*10th to 90th percentile/);

    expect(w.get('[data-testid="compare-open"]').attributes('disabled')).toBeDefined();
    const rows = w.findAll('[data-testid^="study-trial-row-"]');
    await rows[0].get('input[type="checkbox"]').trigger('change');
    await rows[1].get('input[type="checkbox"]').trigger('change');
    await w.get('[data-testid="compare-open"]').trigger('click');
    await flushPromises();
    const compare = w.get('[data-testid="trial-compare"]');
    expect(compare.attributes('data-count')).toBe('2');
    expect(compare.findAll('[data-testid^="compare-col-"]').length).toBe(2);
    expect(compare.find('[data-testid="compare-no-downstream"]').exists()).toBe(false);
    expect(compare.findAll('[data-testid^="compare-metric-val_accuracy-"]').length).toBe(2);
    expect(compare.findAll('.cell--best').length).toBeGreaterThan(0);
    expect(compare.findAll('[data-testid^="compare-confusion-"]').length).toBe(2);
    expect(Number(compare.get('[data-testid="compare-chart"]').attributes('data-points'))).toBeGreaterThan(0);
    w.unmount();
  });

  it('loads the intermediate values of 2,000 trials in two calls, not one per trial', async () => {
    const trials = fakeTrials(2000, 8);
    engine.studies = [fakeStudy(trials, { state: 'finished' })];
    const w = mount(StudyAnalyticsPage, { props: { name: 'fake' }, global: global() });
    await flushPromises();
    const curveCalls = engine.calls.filter((c) => c.method === 'trials.curves');
    expect(curveCalls.length).toBe(2);
    // Only running trials are fetched one by one (their epochs so far; a real study has a few).
    const running = trials.filter((t) => t.state === 'RUNNING');
    expect(engine.calls.filter((c) => c.method === 'trials.get').length).toBe(running.length);
    const expected = trials.reduce((s, t) => s + t.epochsDone, 0);
    expect(Number(w.get('[data-testid="intermediate-chart"]').attributes('data-points'))).toBe(expected);
    w.unmount();
  });

  it('shows the Pareto front for a multi-objective study', async () => {
    const trials = fakeTrials(40, 6).map((t, i) => (t.state === 'COMPLETE' ? { ...t, values: [t.values[0] ?? 0, 0.5 + (i % 7) / 20] } : t));
    engine.studies = [fakeStudy(trials, { objectives: ['val_loss', 'accuracy'], directions: ['minimize', 'maximize'] })];
    const w = mount(StudyAnalyticsPage, { props: { name: 'fake' }, global: global() });
    await flushPromises();
    expect(w.get('[data-testid="chart-pareto"]').attributes('data-empty')).toBe('false');
    expect(w.find('[data-testid="tradeoff-no-downstream"]').exists()).toBe(false);
    w.unmount();
  });
});
