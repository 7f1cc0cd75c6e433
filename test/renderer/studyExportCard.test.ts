// @vitest-environment happy-dom
// The analytics page's "Export and share" card and the refit (issue 15): a user about to export a trial the
// validation images chose learns there that a refit exists or can be made, starts one there, sees the study's
// refits with their verdict on test, and exports the refit; the trial chosen in the card stays the focused one.
// The card is the dashboard's RefitCard (placement 'export'), against the same contract-typed fake engine.
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { flushPromises } from '@vue/test-utils';
import type { StudyRefit } from '../../src/shared/dto';
import StudyExportCard from '../../src/renderer/components/export/StudyExportCard.vue';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { finishedStudy, refitHarness, verdict } from './refitFixtures';

/** The card the way the analytics page shows it: the open study's detail and the trial focused on the page. */
const focused = ref<number | null>(null);
const Host = defineComponent({
  setup() {
    const open = useOpenStudyStore();
    return () => (open.detail ? h(StudyExportCard, { detail: open.detail, focusedId: focused.value }) : null);
  },
});

const harness = refitHarness(Host);
const mountCard = harness.mount;

const done: StudyRefit = { trialId: 50, of: 1, epochs: 6, state: 'COMPLETE', failReason: null, verdict: verdict(50, 0, 0.845, 'better') };

beforeEach(() => {
  focused.value = null;
});

describe('StudyExportCard and the refit', () => {
  it('says a refit can be made, starts one there, then offers the refit to export; the trial chosen in the card stays', async () => {
    const w = await mountCard(finishedStudy());
    // The user focused trial #0 elsewhere on the page: the card's own export follows it.
    focused.value = 1;
    await flushPromises();
    const select = w.get<HTMLSelectElement>('select[data-testid="export-trial"]');
    expect(select.element.value).toBe('1');

    const card = w.get('[data-testid="study-export"] [data-testid="refit-card"]');
    expect(card.attributes('data-placement')).toBe('export');
    const lead = w.get('[data-testid="refit-lead"]');
    expect(lead.attributes('data-kind')).toBe('chosen');
    expect(lead.text()).toBe(
      'Trial #1 was chosen by the validation images and learned from the training images only. Before exporting it, you can refit it: the same configuration trained again on the training + validation images, then judged once on the test images. Start the refit here, then export it.',
    );
    // The long explanation is one click away, not in the way of the export.
    expect(w.get('[data-testid="refit-why"]').text()).toMatch(/validation images picked the best configuration/);
    expect(w.get('[data-testid="refit-why"]').attributes('open')).toBeUndefined();

    await w.get('input[data-testid="refit-epochs"]').setValue('6');
    await w.get('[data-testid="refit-card"] form').trigger('submit');
    await flushPromises();
    expect(harness.engine.callsOf('study.refit')).toEqual([{ name: 'fake', trialNumber: 1, epochs: 6 }]);
    expect(w.get('[data-testid="refit-running"]').attributes('data-state')).toBe('WAITING');
    expect(w.get('[data-testid="refit-row-50"]').attributes('data-state')).toBe('WAITING');
    // The study's reload after the start left the card's choice alone.
    expect(w.get<HTMLSelectElement>('select[data-testid="export-trial"]').element.value).toBe('1');

    // The engine stores it COMPLETE with its verdict: the lead now says to export the refit.
    harness.engine.study = { ...harness.engine.study, refits: [done] };
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.find('[data-testid="refit-running"]').exists()).toBe(false);
    expect(w.get('[data-testid="refit-lead"]').attributes('data-kind')).toBe('refit');
    expect(w.get('[data-testid="refit-lead"]').text()).toBe(
      'This study has a refit to export: the configuration of trial #1 trained again on the training + validation images (6 epochs), then judged once on the test images. Export it here rather than a trial the validation images chose; its verdict is below.',
    );
    expect(w.get('[data-testid="refit-verdict"]').text()).toMatch(/the refit's 8 features reach 0\.845 \[0\.815, 0\.875\]/);
    expect(w.get('[data-testid="refit-row-50-accuracy"]').text()).toBe('0.845 [0.815, 0.875]');

    // Export refit: a second export panel, for the refit's trial; the card's own panel still exports trial #0.
    await w.get('[data-testid="refit-export"]').trigger('click');
    expect(w.findAll('[data-testid="export-title"]').map((x) => x.text())).toEqual(['Export the refit of trial #1', 'Export trial #0']);
    const ids = w.findAll('[data-testid="export-panel"]').map((x) => x.attributes('aria-labelledby'));
    expect(new Set(ids).size).toBe(2);
    await w.get('[data-testid="refit-card"] input[data-testid="export-folder"]').setValue('/tmp/refit-bundle');
    await w.get('[data-testid="refit-card"] [data-testid="export-panel"] form').trigger('submit');
    await flushPromises();
    expect(harness.engine.callsOf('export.encoder')).toEqual([{ trialId: 50, folder: '/tmp/refit-bundle', force: false }]);
    expect(w.get('[data-testid="refit-card"] [data-testid="export-result"]').text()).toContain('/tmp/refit-bundle');
    expect(w.get<HTMLSelectElement>('select[data-testid="export-trial"]').element.value).toBe('1');
  });

  it('says so while the study runs (no start until it stops), and says nothing of a refit before a trial is chosen', async () => {
    const w = await mountCard(finishedStudy({ state: 'running' }));
    expect(w.get('[data-testid="refit-lead"]').attributes('data-kind')).toBe('chosen');
    expect(w.find('[data-testid="refit-study-running"]').exists()).toBe(true);
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();

    harness.engine.study = finishedStudy({ state: 'running', bestTrialId: null, verdict: null });
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.find('[data-testid="study-export"]').exists()).toBe(true);
    expect(w.find('[data-testid="refit-card"]').exists()).toBe(false);
  });

  it('speaks Chinese', async () => {
    const w = await mountCard(finishedStudy({ refits: [done] }), 'zh');
    const lead = w.get('[data-testid="refit-lead"]').text();
    expect(lead).toMatch(/^本研究已有可导出的重新训练模型：试验 #1 的配置在训练集 \+ 验证集上重新训练了 6 个轮次/);
    expect(lead).toMatch(/测试集/);
    const text = w.get('[data-testid="refit-card"]').text();
    expect(text.match(/[A-Za-z]{2,}/g)?.filter((x) => !['PCA', 'McNemar'].includes(x)) ?? []).toEqual([]);
  });
});
