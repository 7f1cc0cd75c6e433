// @vitest-environment happy-dom
// "Refit for export" on the study dashboard, against a fake engine typed by the contract: the epochs field and
// its validation, study.refit with the chosen trial, the refit followed live (epoch x/y, ETA) and cancelled,
// its verdict beside the chosen trial's, "Export refit" through the normal export flow, and every refusal and
// failure said in words (en and zh-CN).
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { flushPromises } from '@vue/test-utils';
import type { StudyRefit } from '../../src/shared/dto';
import { ApiError } from '../../src/renderer/api';
import RefitCard from '../../src/renderer/components/study/RefitCard.vue';
import { useLiveTrialsStore } from '../../src/renderer/stores/liveTrials';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { finishedStudy, refitHarness, progress, verdict } from './refitFixtures';

/** The card the way the dashboard shows it: fed by the open study's detail, reloaded after each action. */
const Host = defineComponent({
  setup() {
    const open = useOpenStudyStore();
    return () => (open.detail ? h(RefitCard, { detail: open.detail, state: open.detail.state }) : null);
  },
});

const harness = refitHarness(Host);
const mountCard = harness.mount;

describe('RefitCard', () => {
  it('refits the chosen trial with the epochs asked for, follows it live, and can cancel it', async () => {
    const w = await mountCard(finishedStudy());
    const card = w.get('[data-testid="refit-card"]');
    expect(card.text()).toMatch(/validation images picked the best configuration/);
    expect(w.get('[data-testid="refit-chosen"]').text()).toBe('Chosen configuration: trial #1, which trained 4 epochs on the training images.');
    const input = w.get<HTMLInputElement>('input[data-testid="refit-epochs"]');
    expect(input.element.value).toBe('4');

    // Out of range or not a whole number: said, and nothing is asked of the harness.engine.
    for (const bad of ['0', '1001', '2.5', 'ten']) {
      await input.setValue(bad);
      expect(w.get('[data-testid="refit-epochs-error"]').text()).toBe('Enter a whole number of epochs from 1 to 1000.');
      expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();
    }
    await w.get('form').trigger('submit');
    expect(harness.engine.callsOf('study.refit')).toEqual([]);

    await input.setValue('6');
    expect(w.find('[data-testid="refit-epochs-error"]').exists()).toBe(false);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(harness.engine.callsOf('study.refit')).toEqual([{ name: 'fake', trialNumber: 1, epochs: 6 }]);
    // The study was reloaded: the epochs typed stay.
    expect(w.get<HTMLInputElement>('input[data-testid="refit-epochs"]').element.value).toBe('6');

    // Waiting for its trainer: an indeterminate bar, one refit at a time.
    const running = w.get('[data-testid="refit-running"]');
    expect(running.attributes('data-state')).toBe('WAITING');
    expect(w.get('[data-testid="refit-progress"]').text()).toMatch(/Refit of trial #1 \(6 epochs\)\s*loading the images/);
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();

    // Live: epoch x / y and the ETA, from the trial events.
    harness.engine.emit('trial.progress', progress(2, 6));
    useLiveTrialsStore().flush();
    await nextTick();
    expect(w.get('[data-testid="refit-running"]').attributes('data-state')).toBe('RUNNING');
    expect(w.get('[data-testid="refit-progress"]').text()).toMatch(/epoch 2 \/ 6 · about 42\.0 s left/);
    expect(w.get('[data-testid="refit-progress"] [role="progressbar"]').attributes('aria-valuenow')).toBe(String(Math.round((1.5 / 6) * 1000) / 10));

    await w.get('[data-testid="refit-cancel"]').trigger('click');
    await flushPromises();
    expect(harness.engine.callsOf('training.cancel')).toEqual([{ trialId: 50 }]);

    // The engine stores it CANCELLED: the card says so, and nothing can be exported.
    harness.engine.study = { ...harness.engine.study, refits: [{ ...harness.engine.study.refits[0], state: 'CANCELLED' }] };
    harness.engine.emit('trial.state', { trialId: 50, state: 'CANCELLED', reason: null, backend: 'wasm' });
    useLiveTrialsStore().flush();
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.find('[data-testid="refit-running"]').exists()).toBe(false);
    expect(w.get('[data-testid="refit-ended"]').text()).toBe('The newest refit (of trial #1, 6 epochs) was cancelled before it finished. Nothing of it can be exported.');
    expect(w.find('[data-testid="refit-export"]').exists()).toBe(false);
    expect(w.get('[data-testid="refit-row-50"]').attributes('data-state')).toBe('CANCELLED');
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeUndefined();
  });

  it('shows a COMPLETE refit\'s verdict beside the chosen trial\'s, and exports the refit\'s trial', async () => {
    const done: StudyRefit = { trialId: 50, of: 1, epochs: 8, state: 'COMPLETE', failReason: null, verdict: verdict(50, 0, 0.845, 'better') };
    const failed: StudyRefit = { trialId: 49, of: 1, epochs: 8, state: 'FAILED', failReason: 'the trainer process exited (signal SIGKILL)', verdict: null };
    const w = await mountCard(finishedStudy({ refits: [done, failed] }));
    expect(w.get('[data-testid="refit-result"]').attributes('data-trial-id')).toBe('50');
    expect(w.get('[data-testid="refit-chosen-verdict"]').text()).toMatch(/^Verdict on the test split \(200 images.*the chosen trial's 8 features reach 0\.820/);
    expect(w.get('[data-testid="refit-verdict"]').text()).toMatch(/^Verdict on the same test split \(200 images.*the refit's 8 features reach 0\.845/);
    expect(w.get('[data-testid="refit-verdict-pca-8"]').text()).toBe("The autoencoder's 8 features beat PCA(8) (0.780 [0.750, 0.810]) on test by +6.5 points [+0.4, +6.0] (McNemar p = 0.01).");
    expect(w.get('[data-testid="refit-chosen-verdict-raw-64"]').attributes('data-outcome')).toBe('same');
    expect(w.get('[data-testid="refit-change"]').text()).toBe('Test accuracy: 0.845 for the refit against 0.820 for the chosen trial (+2.5 points).');
    // The newest refit is COMPLETE: the older failure is in the list with its reason, not announced.
    expect(w.find('[data-testid="refit-ended"]').exists()).toBe(false);
    expect(w.get('[data-testid="refit-list"]').attributes('data-count')).toBe('2');
    expect(w.get('[data-testid="refit-row-49"]').text()).toContain('the trainer process exited (signal SIGKILL)');
    // Each refit's test accuracy in the list (a failed one has none).
    expect(w.get('[data-testid="refit-row-50-accuracy"]').text()).toBe('0.845 [0.815, 0.875]');
    expect(w.get('[data-testid="refit-row-49-accuracy"]').text()).toBe('');
    // The dashboard's card explains the refit at length; the export card's lead is not here.
    expect(w.find('[data-testid="refit-lead"]').exists()).toBe(false);
    expect(w.get('[data-testid="refit-card"]').attributes('data-placement')).toBe('dashboard');

    await w.get('[data-testid="refit-export"]').trigger('click');
    expect(w.get('[data-testid="export-title"]').text()).toBe('Export the refit of trial #1');
    await w.get('input[data-testid="export-folder"]').setValue('/tmp/refit-bundle');
    await w.get('[data-testid="export-panel"] form').trigger('submit');
    await flushPromises();
    expect(harness.engine.callsOf('export.encoder')).toEqual([{ trialId: 50, folder: '/tmp/refit-bundle', force: false }]);
    expect(w.get('[data-testid="export-result"]').text()).toContain('/tmp/refit-bundle');
  });

  it('says why a refit was refused or failed, and hides the start while the study runs', async () => {
    const w = await mountCard(finishedStudy());
    harness.engine.refitError = new ApiError('busy', 'TRAINER_BUSY', { trialId: 7 });
    await w.get('form').trigger('submit');
    await flushPromises();
    const err = w.get('[data-testid="refit-error"]');
    expect(err.attributes('data-code')).toBe('TRAINER_BUSY');
    expect(err.text()).toMatch(/Trial 7 is still training/);
    expect(w.find('[data-testid="refit-running"]').exists()).toBe(false);

    // A failed refit says so with its reason.
    harness.engine.study = { ...harness.engine.study, refits: [{ trialId: 51, of: 1, epochs: 4, state: 'FAILED', failReason: 'NaN loss at epoch 3', verdict: null }] };
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.get('[data-testid="refit-ended"]').text()).toMatch(/^The newest refit \(of trial #1, 4 epochs\) failed: NaN loss at epoch 3\./);

    // The study runs again: its choice may change, so no new refit; earlier ones stay listed.
    harness.engine.study = { ...harness.engine.study, state: 'running' };
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.find('[data-testid="refit-study-running"]').exists()).toBe(true);
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();
    expect(w.find('[data-testid="refit-list"]').exists()).toBe(true);
  });

  it('is not shown before a trial completes, nor while the study runs with no refit yet', async () => {
    const w = await mountCard(finishedStudy({ bestTrialId: null, verdict: null }));
    expect(w.find('[data-testid="refit-card"]').exists()).toBe(false);
    harness.engine.study = finishedStudy({ state: 'running' });
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.find('[data-testid="refit-card"]').exists()).toBe(false);
  });

  it('speaks Chinese', async () => {
    const done: StudyRefit = { trialId: 50, of: 1, epochs: 8, state: 'COMPLETE', failReason: null, verdict: verdict(50, 0, 0.845, 'better') };
    const w = await mountCard(finishedStudy({ refits: [done] }), 'zh');
    const text = w.get('[data-testid="refit-card"]').text();
    expect(text).toMatch(/重新训练后导出/);
    expect(text).toMatch(/训练集 \+ 验证集/);
    expect(w.get('[data-testid="refit-verdict"]').text()).toMatch(/重新训练后的 8 维特征准确率为 0\.845/);
    // No English word left but the allowed abbreviations.
    expect(text.match(/[A-Za-z]{2,}/g)?.filter((x) => !['PCA', 'McNemar'].includes(x)) ?? []).toEqual([]);
  });
});
