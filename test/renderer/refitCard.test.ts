// @vitest-environment happy-dom
// "Refit for export" on the study dashboard, against a fake engine typed by the contract: the epochs field and
// its validation, study.refit with the chosen trial, the refit followed live (epoch x/y, ETA) and cancelled,
// its verdict beside the chosen trial's, "Export refit" through the normal export flow, and every refusal and
// failure said in words (en and zh-CN).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { StudyDetail, StudyRefit, TrialProgress } from '../../src/shared/dto';
import type { TestVerdict } from '../../src/shared/verdict';
import { ApiError, setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import RefitCard from '../../src/renderer/components/study/RefitCard.vue';
import { useLiveTrialsStore } from '../../src/renderer/stores/liveTrials';
import { useOpenStudyStore } from '../../src/renderer/stores/openStudy';
import { FakeEvents } from './fakeEvents';
import { fakeStudy, trial } from './analyticsFixtures';

function verdict(trialId: number, trialNumber: number, acc: number, outcome: 'better' | 'same'): TestVerdict {
  return {
    trialId,
    trialNumber,
    latentSize: 8,
    testImages: 200,
    accuracy: { value: acc, lo: acc - 0.03, hi: acc + 0.03 },
    comparisons: [
      { baseline: 'raw', dim: 64, accuracy: { value: 0.8, lo: 0.77, hi: 0.83 }, difference: { value: acc - 0.8, lo: acc - 0.83, hi: acc - 0.77 }, mcnemar: { onlyTrial: 9, onlyBaseline: 5, pValue: 0.42, method: 'exact' }, outcome: 'same' },
      { baseline: 'pca', dim: 8, accuracy: { value: 0.78, lo: 0.75, hi: 0.81 }, difference: { value: acc - 0.78, lo: 0.004, hi: 0.06 }, mcnemar: { onlyTrial: 14, onlyBaseline: 3, pValue: 0.01, method: 'exact' }, outcome },
    ],
    missing: [],
    level: 0.95,
    alpha: 0.05,
    resamples: 1000,
    seed: 0,
  };
}

class FakeEngine extends FakeEvents implements LatentLabApi {
  calls: { method: string; input: unknown }[] = [];
  study: StudyDetail;
  refitError: ApiError | null = null;
  cancelled = true;

  constructor(study: StudyDetail) {
    super();
    this.study = study;
  }

  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    this.calls.push({ method, input });
    return this.handle(method, input as Record<string, unknown>) as MethodOutput<M>;
  }

  private handle(method: MethodName, input: Record<string, unknown>): unknown {
    switch (method) {
      case 'studies.get':
        return structuredClone(this.study); // fresh objects on every read, like the engine's
      case 'study.refit': {
        if (this.refitError) throw this.refitError;
        const refit: StudyRefit = { trialId: 50, of: Number(input.trialNumber), epochs: Number(input.epochs), state: 'WAITING', failReason: null, verdict: null };
        this.study = { ...this.study, refits: [refit, ...this.study.refits] };
        return { trialId: 50 };
      }
      case 'training.cancel':
        return { cancelled: this.cancelled };
      case 'export.encoder':
        return { folder: String(input.folder), files: ['manifest.json', 'encoder.onnx'] };
      default:
        throw new ApiError(`not faked: ${method}`, 'NOT_FAKED');
    }
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }
}

/** A finished study whose chosen trial #1 (id 2) trained 4 epochs and has its verdict on test. */
function finishedStudy(over: Partial<StudyDetail> = {}): StudyDetail {
  const trials = [trial({ id: 1, number: 0, values: [0.05] }), trial({ id: 2, number: 1, values: [0.04], epochsDone: 4 })];
  return fakeStudy(trials, { state: 'finished', bestValue: 0.04, bestTrialId: 2, verdict: verdict(2, 1, 0.82, 'better'), ...over });
}

/** The card the way the dashboard shows it: fed by the open study's detail, reloaded after each action. */
const Host = defineComponent({
  setup() {
    const open = useOpenStudyStore();
    return () => (open.detail ? h(RefitCard, { detail: open.detail, state: open.detail.state }) : null);
  },
});

let engine: FakeEngine;
let pinia: Pinia;

async function mountCard(study: StudyDetail, locale: 'en' | 'zh' = 'en') {
  engine = new FakeEngine(study);
  setApi(engine);
  const w = mount(Host, { global: { plugins: [pinia, createAppI18n(locale)] }, attachTo: document.body });
  await useOpenStudyStore().open('fake');
  await flushPromises();
  return w;
}

const progress = (epoch: number, epochs: number): TrialProgress => ({ trialId: 50, epoch, epochs, batch: 5, batches: 10, samplesPerSec: 500, etaSeconds: 42 });

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('RefitCard', () => {
  it('refits the chosen trial with the epochs asked for, follows it live, and can cancel it', async () => {
    const w = await mountCard(finishedStudy());
    const card = w.get('[data-testid="refit-card"]');
    expect(card.text()).toMatch(/validation images picked the best configuration/);
    expect(w.get('[data-testid="refit-chosen"]').text()).toBe('Chosen configuration: trial #1, which trained 4 epochs on the training images.');
    const input = w.get<HTMLInputElement>('input[data-testid="refit-epochs"]');
    expect(input.element.value).toBe('4');

    // Out of range or not a whole number: said, and nothing is asked of the engine.
    for (const bad of ['0', '1001', '2.5', 'ten']) {
      await input.setValue(bad);
      expect(w.get('[data-testid="refit-epochs-error"]').text()).toBe('Enter a whole number of epochs from 1 to 1000.');
      expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();
    }
    await w.get('form').trigger('submit');
    expect(engine.callsOf('study.refit')).toEqual([]);

    await input.setValue('6');
    expect(w.find('[data-testid="refit-epochs-error"]').exists()).toBe(false);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(engine.callsOf('study.refit')).toEqual([{ name: 'fake', trialNumber: 1, epochs: 6 }]);
    // The study was reloaded: the epochs typed stay.
    expect(w.get<HTMLInputElement>('input[data-testid="refit-epochs"]').element.value).toBe('6');

    // Waiting for its trainer: an indeterminate bar, one refit at a time.
    const running = w.get('[data-testid="refit-running"]');
    expect(running.attributes('data-state')).toBe('WAITING');
    expect(w.get('[data-testid="refit-progress"]').text()).toMatch(/Refit of trial #1 \(6 epochs\)\s*loading the images/);
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();

    // Live: epoch x / y and the ETA, from the trial events.
    engine.emit('trial.progress', progress(2, 6));
    useLiveTrialsStore().flush();
    await nextTick();
    expect(w.get('[data-testid="refit-running"]').attributes('data-state')).toBe('RUNNING');
    expect(w.get('[data-testid="refit-progress"]').text()).toMatch(/epoch 2 \/ 6 · about 42\.0 s left/);
    expect(w.get('[data-testid="refit-progress"] [role="progressbar"]').attributes('aria-valuenow')).toBe(String(Math.round((1.5 / 6) * 1000) / 10));

    await w.get('[data-testid="refit-cancel"]').trigger('click');
    await flushPromises();
    expect(engine.callsOf('training.cancel')).toEqual([{ trialId: 50 }]);

    // The engine stores it CANCELLED: the card says so, and nothing can be exported.
    engine.study = { ...engine.study, refits: [{ ...engine.study.refits[0], state: 'CANCELLED' }] };
    engine.emit('trial.state', { trialId: 50, state: 'CANCELLED', reason: null, backend: 'wasm' });
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

    await w.get('[data-testid="refit-export"]').trigger('click');
    expect(w.get('[data-testid="export-title"]').text()).toBe('Export the refit of trial #1');
    await w.get('input[data-testid="export-folder"]').setValue('/tmp/refit-bundle');
    await w.get('[data-testid="export-panel"] form').trigger('submit');
    await flushPromises();
    expect(engine.callsOf('export.encoder')).toEqual([{ trialId: 50, folder: '/tmp/refit-bundle', force: false }]);
    expect(w.get('[data-testid="export-result"]').text()).toContain('/tmp/refit-bundle');
  });

  it('says why a refit was refused or failed, and hides the start while the study runs', async () => {
    const w = await mountCard(finishedStudy());
    engine.refitError = new ApiError('busy', 'TRAINER_BUSY', { trialId: 7 });
    await w.get('form').trigger('submit');
    await flushPromises();
    const err = w.get('[data-testid="refit-error"]');
    expect(err.attributes('data-code')).toBe('TRAINER_BUSY');
    expect(err.text()).toMatch(/Trial 7 is still training/);
    expect(w.find('[data-testid="refit-running"]').exists()).toBe(false);

    // A failed refit says so with its reason.
    engine.study = { ...engine.study, refits: [{ trialId: 51, of: 1, epochs: 4, state: 'FAILED', failReason: 'NaN loss at epoch 3', verdict: null }] };
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.get('[data-testid="refit-ended"]').text()).toMatch(/^The newest refit \(of trial #1, 4 epochs\) failed: NaN loss at epoch 3\./);

    // The study runs again: its choice may change, so no new refit; earlier ones stay listed.
    engine.study = { ...engine.study, state: 'running' };
    await useOpenStudyStore().load();
    await flushPromises();
    expect(w.find('[data-testid="refit-study-running"]').exists()).toBe(true);
    expect(w.get('[data-testid="refit-start"]').attributes('disabled')).toBeDefined();
    expect(w.find('[data-testid="refit-list"]').exists()).toBe(true);
  });

  it('is not shown before a trial completes, nor while the study runs with no refit yet', async () => {
    const w = await mountCard(finishedStudy({ bestTrialId: null, verdict: null }));
    expect(w.find('[data-testid="refit-card"]').exists()).toBe(false);
    engine.study = finishedStudy({ state: 'running' });
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
