// @vitest-environment happy-dom
// The dashboard's "Export best trial" while trials still finish (another machine's worker, or this window's
// own): a refresh that names a new best arrives while the export runs. The panel stays on the trial the user
// opened it for, its result shows when the export answers, and only its title drops the "best". Before, the
// panel moved to the new best and hid the answered export's result (e2e/shared.e2e.test.ts waited 120 s).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { ExportResult, StudyDetail } from '../../src/shared/dto';
import { ApiError, setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import StudyDashboardPage from '../../src/renderer/pages/StudyDashboardPage.vue';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { FakeEvents } from './fakeEvents';
import { fakeStudy, trial } from './analyticsFixtures';
import { EChartStub } from './echartStub';

/** studies.get answers the current study; export.encoder answers only when the test says so. */
class SlowExportEngine extends FakeEvents implements LatentLabApi {
  study: StudyDetail | null = null;
  exports: Array<{ trialId: number; answer: (r: ExportResult) => void }> = [];

  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const i = input as Record<string, unknown>;
    if (method === 'studies.get' && this.study) return this.study as MethodOutput<M>;
    if (method === 'export.encoder') {
      return new Promise<ExportResult>((resolve) => this.exports.push({ trialId: i.trialId as number, answer: resolve })) as Promise<MethodOutput<M>>;
    }
    throw new ApiError(`not faked: ${method}`, 'NOT_FAKED');
  }
}

let engine: SlowExportEngine;
let pinia: Pinia;
const i18n = createAppI18n('en');

beforeEach(() => {
  engine = new SlowExportEngine();
  setApi(engine);
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  document.body.innerHTML = '';
});

const finished = (id: number, number: number, value: number) => trial({ id, number, values: [value], createdAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:20Z' });

describe('StudyDashboardPage: Export best trial', () => {
  it('keeps the trial it was opened for when a new best arrives mid-export, and shows that export\'s files', async () => {
    const running = trial({ id: 3, number: 2, state: 'RUNNING', values: [], epochsDone: 0, finishedAt: null });
    engine.study = fakeStudy([finished(1, 0, 0.05), finished(2, 1, 0.04), running], { budgetTrials: 3, bestValue: 0.04, bestTrialId: 2 });
    const w = mount(StudyDashboardPage, { props: { name: 'fake' }, global: { plugins: [pinia, i18n], stubs: { EChart: EChartStub } } });
    await flushPromises();

    await w.get('[data-testid="export-best"]').trigger('click');
    expect(w.get('[data-testid="export-title"]').text()).toBe('Export best trial #1');
    await w.get('input[data-testid="export-folder"]').setValue('/tmp/best');
    await w.get('[data-testid="export-panel"] form').trigger('submit');
    await flushPromises();
    expect(engine.exports.map((e) => e.trialId)).toEqual([2]);

    // Meanwhile the last trial finished as the new best; the page refreshes the study.
    engine.study = fakeStudy([finished(1, 0, 0.05), finished(2, 1, 0.04), { ...running, state: 'COMPLETE', values: [0.01] }], { budgetTrials: 3, bestValue: 0.01, bestTrialId: 3 });
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.get('[data-testid="study-progress"]').attributes('data-done')).toBe('3');

    engine.exports[0].answer({ folder: '/tmp/best', files: ['/tmp/best/manifest.json', '/tmp/best/features.csv'] });
    await flushPromises();
    expect(w.find('[data-testid="export-error"]').exists()).toBe(false);
    expect(w.find('[data-testid="export-files"]').exists()).toBe(true);
    expect(w.get('[data-testid="export-files"]').text()).toContain('features.csv');
    // Still trial #1's panel, no longer called the best; the summary names the new best.
    expect(w.get('[data-testid="export-title"]').text()).toBe('Export trial #1');
    expect(w.get('[data-testid="study-best"]').attributes('data-best')).toBe('0.01');

    // Closed and opened again: the panel of the best trial now.
    await w.get('[data-testid="export-best"]').trigger('click');
    expect(w.find('[data-testid="export-best-card"]').exists()).toBe(false);
    expect(w.get('[data-testid="export-best"]').text()).toBe('Export best trial #2');
    await w.get('[data-testid="export-best"]').trigger('click');
    expect(w.get('[data-testid="export-title"]').text()).toBe('Export best trial #2');
    w.unmount();
  });
});
