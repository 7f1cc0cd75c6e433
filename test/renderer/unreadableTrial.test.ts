// @vitest-environment happy-dom
// A trial whose configuration this version cannot read (params null, paramsProblem saying why) is shown as such
// everywhere the app reads a trial's configuration: the trial detail says so and offers no "Train again", list
// cells say "unreadable" with the reason, comparisons and the latent-size trade-off leave it out instead of
// showing the default dense configuration the list used to put in its place, and the refit card refuses it.
// Readable trials are shown as before.
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { MANUAL_STUDY, type TrialDetail } from '../../src/shared/dto';
import { ApiError, setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import TrialDetailView from '../../src/renderer/components/trials/TrialDetail.vue';
import TrialTable from '../../src/renderer/components/trials/TrialTable.vue';
import RefitCard from '../../src/renderer/components/study/RefitCard.vue';
import { latentSizeTradeoff, paramDiff } from '../../src/renderer/lib/analytics/tradeoff';
import { toRow } from '../../src/renderer/lib/analytics/trialRows';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { useTrainingStore } from '../../src/renderer/stores/training';
import { useUiStore } from '../../src/renderer/stores/ui';
import { FakeEvents } from './fakeEvents';
import { paramsOf, trial } from './analyticsFixtures';
import { EChartStub } from './echartStub';
import { finishedStudy, refitHarness } from './refitFixtures';

const PROBLEM = 'architecture: "transformer" is not allowed; expected one of "dense", "conv", "denoising", "sparse", "variational"';

class FakeEngine extends FakeEvents implements LatentLabApi {
  calls: string[] = [];
  async invoke<M extends MethodName>(method: M, _input: MethodInput<M>): Promise<MethodOutput<M>> {
    this.calls.push(method);
    throw new ApiError(`not faked: ${method}`, 'NOT_FAKED');
  }
}

let engine: FakeEngine;
beforeEach(() => {
  engine = new FakeEngine();
  setApi(engine);
  setActivePinia(createPinia());
});

const detailOf = (over: Partial<TrialDetail>): TrialDetail => ({
  ...trial({ id: 7, number: 6, epochsDone: 3 }),
  studyName: MANUAL_STUDY,
  datasetPath: '/data/shoes',
  epochs: [],
  confusion: null,
  versions: { app: '9.0.0' },
  artifactDir: null,
  ...over,
});
const unreadableDetail = (): TrialDetail => detailOf({ params: null, paramsProblem: PROBLEM });
const mountDetail = (t: TrialDetail, locale: 'en' | 'zh' = 'en') =>
  mount(TrialDetailView, { props: { trial: t }, global: { plugins: [createAppI18n(locale)], stubs: { EChart: EChartStub } } });

describe('trial detail of a trial this version cannot read', () => {
  it('says why, keeps its metrics, lists no parameters and disables Train again with the reason', async () => {
    const w = mountDetail(unreadableDetail());
    await flushPromises();
    expect(w.get('[data-testid="detail-unreadable"]').text()).toContain(
      `This trial's configuration was written by another version of Latent Lab and cannot be read here: ${PROBLEM}. Its metrics are kept; Train again is unavailable.`,
    );
    // No configuration is shown in its place, and its planned epochs are unknown, not a default's.
    expect(w.find('[data-testid="detail-params"]').exists()).toBe(false);
    expect(w.get('[data-testid="detail-params-unreadable"]').attributes('title')).toContain(PROBLEM);
    expect(w.text()).toContain('3/—');
    const again = w.get('[data-testid="detail-train-again"]');
    expect(again.attributes('disabled')).toBeDefined();
    expect(again.attributes('title')).toBe(`Train again is unavailable: this trial's configuration cannot be read here (${PROBLEM}).`);
    // Clicking it loads nothing into the form and opens no images.
    const formBefore = { ...useTrainingStore().form };
    await again.trigger('click');
    await flushPromises();
    expect(useTrainingStore().form).toEqual(formBefore);
    expect(useUiStore().section).not.toBe('train');
    expect(engine.calls.filter((m) => m.startsWith('dataset.'))).toEqual([]);
    w.unmount();
  });

  it('says it in Chinese too', async () => {
    const w = mountDetail(unreadableDetail(), 'zh');
    await flushPromises();
    expect(w.get('[data-testid="detail-unreadable"]').text()).toContain(`该试验的配置由另一个版本的 Latent Lab 写入，此版本无法读取：${PROBLEM}。`);
    expect(w.get('[data-testid="detail-train-again"]').attributes('title')).toContain('无法再次训练');
    w.unmount();
  });

  it('shows a readable trial as before: its parameters and an enabled Train again', async () => {
    const w = mountDetail(detailOf({}));
    await flushPromises();
    expect(w.find('[data-testid="detail-unreadable"]').exists()).toBe(false);
    expect(w.get('[data-testid="detail-params"]').text()).toContain('Latent size');
    expect(w.get('[data-testid="detail-train-again"]').attributes('disabled')).toBeUndefined();
    w.unmount();
  });
});

describe('lists and comparisons', () => {
  const readable = trial({ id: 1, number: 0, latentSize: 8 });
  const unreadable = trial({ id: 2, number: 1, epochsDone: 4, paramsProblem: PROBLEM });

  it('the trials table says "unreadable" with the reason instead of a dense architecture', () => {
    const w = mount(TrialTable, { props: { trials: [readable, unreadable], selectedId: null }, global: { plugins: [createAppI18n('en')] } });
    const arch = w.get('[data-testid="trial-arch-2"]');
    expect(arch.text()).toBe('unreadable');
    expect(arch.attributes('title')).toBe(`This trial's configuration was written by another version of Latent Lab and cannot be read here: ${PROBLEM}`);
    const cells = w.get('[data-testid="trial-row-2"]').findAll('td').map((c) => c.text());
    expect(cells).toContain('4/—');
    expect(cells).toContain('—'); // latent size unknown
    expect(w.get('[data-testid="trial-arch-1"]').text()).toBe('Dense');
    expect(w.get('[data-testid="trial-row-1"]').findAll('td').map((c) => c.text())).toContain('8');
  });

  it("a study's trial rows carry the problem and no planned epochs", () => {
    expect(toRow(unreadable, [])).toMatchObject({ epochsPlanned: null, paramsProblem: PROBLEM });
    expect(toRow(readable, [])).toMatchObject({ epochsPlanned: 4, paramsProblem: null });
  });

  it('the parameter comparison shows dashes for it and compares only the readable trials', () => {
    const other = { ...readable, id: 3, number: 2 };
    const rows = paramDiff([readable, unreadable, other]);
    const latent = rows.find((r) => r.name === 'latentSize');
    expect(latent).toEqual({ name: 'latentSize', values: ['8', '—', '8'], differs: false });
    expect(paramDiff([unreadable])).toEqual([]);
    const bigger = { ...other, params: { ...paramsOf(other), latentSize: 32 } };
    expect(paramDiff([readable, unreadable, bigger]).find((r) => r.name === 'latentSize')?.differs).toBe(true);
  });

  it('the latent-size trade-off leaves it out rather than plotting it at a default size', () => {
    const best = trial({ id: 4, number: 3, latentSize: 8, values: [0.01] });
    const hidden = trial({ id: 5, number: 4, values: [0.001], paramsProblem: PROBLEM });
    const { rows } = latentSizeTradeoff([best, hidden], { objectives: ['val_recon_mse'], directions: ['minimize'] });
    expect(rows.map((r) => [r.latentSize, r.trials, r.bestReconstructionTrialId])).toEqual([[8, 1, 4]]);
  });
});

describe('refit of a chosen trial this version cannot read', () => {
  const Host = defineComponent({
    setup() {
      const open = useOpenStudyStore();
      return () => (open.detail ? h(RefitCard, { detail: open.detail, state: open.detail.state }) : null);
    },
  });
  const harness = refitHarness(Host);

  it('is refused with the reason; nothing is asked of the engine', async () => {
    const study = finishedStudy();
    study.trials = study.trials.map((t) => (t.id === 2 ? { ...t, params: null, paramsProblem: PROBLEM } : t));
    const w = await harness.mount(study);
    expect(w.get('[data-testid="refit-unreadable"]').text()).toContain(PROBLEM);
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(harness.engine.callsOf('study.refit')).toEqual([]);
    w.unmount();
  });
});
