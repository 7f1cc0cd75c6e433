// @vitest-environment happy-dom
// Each step of the new-study wizard renders, validates inline and feeds the spec; Start hands the spec to the
// engine and opens the study. The engine is a fake behind the preload interface (see wizardHarness.ts).
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import NewStudyPage from '../../src/renderer/pages/NewStudyPage.vue';
import MainPage from '../../src/renderer/pages/MainPage.vue';
import { AppError } from '../../src/shared/errors';
import { paramsOf, trial } from './analyticsFixtures';
import { byTestId, clearStorage, click, control, installFakeEngine, mountApp, SAMPLE_SUMMARY, type, wait, type FakeEngine } from './wizardHarness';

let engine: FakeEngine;
let wrapper: VueWrapper | null = null;

beforeAll(() => {
  engine = installFakeEngine();
});
beforeEach(() => {
  clearStorage();
  engine.calls.length = 0;
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function openWizard(): Promise<VueWrapper> {
  wrapper = await mountApp(NewStudyPage);
  return wrapper;
}

async function goToStep(w: VueWrapper, id: string): Promise<void> {
  await click(w, byTestId(`wizard-step-${id}`));
  expect(w.get(byTestId('wizard')).attributes('data-step')).toBe(id);
}

function text(w: VueWrapper, testid: string): string {
  return w.get(byTestId(testid)).text();
}

describe('dataset step', () => {
  it('starts on the sample dataset and opens its real folder for the preview', async () => {
    const w = await openWizard();
    expect(w.get(byTestId('wizard')).attributes('data-step')).toBe('dataset');
    expect(control(w, byTestId('wizard-source-sample')).checked).toBe(true);
    await click(w, byTestId('wizard-preview'));
    expect(engine.callsOf('dataset.useSample')).toHaveLength(1);
    expect(engine.callsOf('dataset.open')).toEqual([{ path: '/data/sample-mnist', imageSize: 28, channels: 1 }]);
    expect(text(w, 'wizard-image-count')).toBe('10,000');
    expect(w.findAll(byTestId('dataset-class-row'))).toHaveLength(10);
    expect(w.find(byTestId('dataset-failures')).exists()).toBe(true);
    expect(w.find(byTestId('dataset-preview')).exists()).toBe(true);
  });

  it('asks for a folder once the user tries to go on, and validates the fractions', async () => {
    const w = await openWizard();
    await w.get(byTestId('wizard-source-folder')).setValue(true);
    await flushPromises();
    expect(w.find(byTestId('wizard-folder')).exists()).toBe(true);
    expect(w.find(byTestId('wizard-folder-error')).exists()).toBe(false);
    await click(w, byTestId('wizard-next'));
    expect(w.get(byTestId('wizard')).attributes('data-step')).toBe('dataset');
    expect(text(w, 'wizard-folder-error')).toMatch(/Choose an image folder/);
    expect(text(w, 'wizard-blocked')).toMatch(/Fix the problem/);

    await type(w, 'wizard-folder', '/images/scans');
    await type(w, 'wizard-val-fraction', '0.7');
    expect(text(w, 'wizard-val-fraction-error')).toMatch(/above the maximum 0.5/);
    await type(w, 'wizard-val-fraction', '0.2');
    expect(w.find(byTestId('wizard-folder-error')).exists()).toBe(false);
    await click(w, byTestId('wizard-next'));
    expect(w.get(byTestId('wizard')).attributes('data-step')).toBe('architecture');
  });

  it('writes a regression-target CSV into the spec and enables the regression metrics', async () => {
    const w = await openWizard();
    await goToStep(w, 'objective');
    await w.get(`${byTestId('wizard-objective-downstream')} input`).setValue(true);
    await flushPromises();
    expect(control(w, byTestId('wizard-metric-val_r2')).disabled).toBe(true);
    expect(text(w, 'wizard-metric-val_r2')).toMatch(/needs a targets CSV/);
    await goToStep(w, 'dataset');
    await type(w, 'wizard-targets', '/images/targets.csv');
    expect(text(w, 'wizard-targets-note')).toMatch(/dataset.targetsCsv/);
    await goToStep(w, 'objective');
    expect(control(w, byTestId('wizard-metric-val_r2')).disabled).toBe(false);
    await goToStep(w, 'review');
    expect(JSON.parse(control(w, byTestId('wizard-spec-json')).value)).toMatchObject({ dataset: { targetsCsv: '/images/targets.csv' } });
  });
});

describe('architecture and search-space steps', () => {
  it('needs at least one architecture', async () => {
    const w = await openWizard();
    await goToStep(w, 'architecture');
    await w.get(`${byTestId('wizard-arch-dense')} input`).setValue(false);
    await flushPromises();
    expect(text(w, 'wizard-arch-error')).toMatch(/at least one architecture/);
    expect(w.get(byTestId('wizard-step-architecture')).attributes('data-problems')).toBe('1');
  });

  it('offers the feature-learner template, which keeps the name and dataset and sets the rest (issue 15)', async () => {
    const w = await openWizard();
    await goToStep(w, 'review');
    const name = control(w, byTestId('wizard-name')).value;
    await goToStep(w, 'architecture');
    expect(w.find(byTestId('feature-template-applied')).exists()).toBe(false);
    await click(w, byTestId('feature-template-apply'));
    expect(w.find(byTestId('feature-template-applied')).exists()).toBe(true);
    await goToStep(w, 'review');
    const spec = JSON.parse(control(w, byTestId('wizard-spec-json')).value) as {
      name: string;
      dataset: { path: string; testFraction: number };
      searchSpace: { params: { name: string; type: string }[] };
      objectives: { name: string }[];
      pruner: { type: string };
    };
    expect(spec.name).toBe(name);
    expect(spec.dataset).toMatchObject({ path: 'sample:mnist', testFraction: 0.125 });
    expect(spec.objectives.map((o) => o.name)).toEqual(['val_accuracy']);
    expect(spec.pruner.type).toBe('hyperband');
    const searched = spec.searchSpace.params.filter((p) => p.type !== 'fixed').map((p) => p.name);
    expect(searched).toEqual(expect.arrayContaining(['filters', 'convNoise', 'codeDropout', 'latentSize', 'learningRate']));
    await goToStep(w, 'space');
    expect(w.find(byTestId('row-convNoise')).exists()).toBe(true);
    expect(w.find(byTestId('row-codeDropout')).exists()).toBe(true);
  });

  it('shows conditional rows only for their architecture', async () => {
    const w = await openWizard();
    await goToStep(w, 'space');
    expect(w.find(byTestId('row-latentSize')).exists()).toBe(true);
    expect(w.find(byTestId('row-noiseLevel')).exists()).toBe(false);
    expect(w.find(byTestId('row-l1')).exists()).toBe(false);
    expect(w.find(byTestId('row-filters')).exists()).toBe(false);
    expect(w.find(byTestId('row-momentum')).exists()).toBe(false);

    await goToStep(w, 'architecture');
    await w.get(`${byTestId('wizard-arch-denoising')} input`).setValue(true);
    await goToStep(w, 'space');
    expect(w.find(byTestId('row-noiseLevel')).exists()).toBe(true);
    expect(text(w, 'row-noiseLevel-condition')).toBe('only for Denoising');
    expect(w.find(byTestId('row-l1')).exists()).toBe(false);

    await goToStep(w, 'architecture');
    await w.get(`${byTestId('wizard-arch-conv')} input`).setValue(true);
    await w.get(`${byTestId('wizard-arch-sparse')} input`).setValue(true);
    await w.get(`${byTestId('wizard-arch-variational')} input`).setValue(true);
    await goToStep(w, 'space');
    for (const row of ['l1', 'klBeta', 'filters', 'kernelSize']) expect(w.find(byTestId(`row-${row}`)).exists(), row).toBe(true);

    // momentum belongs to SGD
    await w.get(byTestId('row-optimizer-mode-choices')).setValue(true);
    await flushPromises();
    const sgd = w.get(byTestId('row-optimizer-picked')).findAll('label').find((l) => l.text() === 'SGD');
    await sgd?.get('input').setValue(true);
    await flushPromises();
    expect(text(w, 'row-momentum-condition')).toBe('only with SGD');
  });

  it('shows a range error inline and lets the engine check the space once it is fixed', async () => {
    const w = await openWizard();
    await goToStep(w, 'space');
    await w.get(byTestId('row-latentSize-mode-range')).setValue(true);
    await flushPromises();
    await type(w, 'row-latentSize-low', '32');
    await type(w, 'row-latentSize-high', '8');
    expect(text(w, 'row-latentSize-error')).toBe('Low (32) is greater than high (8); swap them.');
    expect(w.get(byTestId('row-latentSize-low')).attributes('aria-invalid')).toBe('true');
    expect(w.get(byTestId('wizard-engine-check')).text()).toMatch(/Fix the problems marked above/);

    await type(w, 'row-latentSize-low', '4');
    await type(w, 'row-latentSize-step', '3');
    expect(text(w, 'row-latentSize-error')).toMatch(/A step cannot be combined with a log scale/);
    await w.get(byTestId('row-latentSize-log')).setValue(false);
    await flushPromises();
    expect(text(w, 'row-latentSize-error')).toMatch(/Step 3 does not divide 4 to 8; change high to 7/);
    await type(w, 'row-latentSize-step', '');
    expect(w.find(byTestId('row-latentSize-error')).exists()).toBe(false);
    await wait(500);
    await flushPromises();
    expect(engine.callsOf('study.validate').length).toBeGreaterThan(0);
    expect(text(w, 'wizard-engine-ok')).toMatch(/The engine accepts this search space/);

    engine.handlers['study.validate'] = () => ({ ok: false, errors: ['"latentSize": something the engine dislikes'], gridSize: null });
    await type(w, 'row-latentSize-high', '16');
    await wait(500);
    await flushPromises();
    expect(text(w, 'wizard-engine-errors')).toMatch(/something the engine dislikes/);
    engine.handlers['study.validate'] = () => ({ ok: true, errors: [], gridSize: null });
  });
});

describe('objective and strategy steps', () => {
  it('starts the pruner as Hyperband for a downstream objective, median for reconstruction, and keeps one the user set (issue 15)', async () => {
    const w = await openWizard();
    const pruner = async (): Promise<string> => {
      await goToStep(w, 'review');
      return (JSON.parse(control(w, byTestId('wizard-spec-json')).value) as { pruner: { type: string } }).pruner.type;
    };
    expect(await pruner()).toBe('median');
    await goToStep(w, 'objective');
    await w.get(`${byTestId('wizard-objective-downstream')} input`).setValue(true);
    await flushPromises();
    expect(await pruner()).toBe('hyperband');
    await goToStep(w, 'objective');
    await w.get(`${byTestId('wizard-objective-reconstruction')} input`).setValue(true);
    await flushPromises();
    expect(await pruner()).toBe('median');
    await goToStep(w, 'strategy');
    await w.get(`${byTestId('wizard-pruner-nop')} input`).setValue(true);
    await goToStep(w, 'objective');
    await w.get(`${byTestId('wizard-objective-downstream')} input`).setValue(true);
    await flushPromises();
    expect(await pruner()).toBe('nop');
  });

  it('offers every objective kind and the probe, and writes them into the spec', async () => {
    const w = await openWizard();
    await goToStep(w, 'objective');
    expect(control(w, `${byTestId('wizard-objective-reconstruction')} input`).checked).toBe(true);
    for (const kind of ['downstream', 'weighted', 'multi']) expect(control(w, `${byTestId(`wizard-objective-${kind}`)} input`).disabled).toBe(false);
    expect(control(w, byTestId('wizard-probe')).disabled).toBe(false);

    await w.get(`${byTestId('wizard-objective-weighted')} input`).setValue(true);
    await flushPromises();
    expect(text(w, 'wizard-weighted-help')).toMatch(/mean image.*1 - score/);
    await type(w, 'wizard-recon-weight', '0.2');
    await type(w, 'wizard-downstream-weight', '0.8');
    await w.get(byTestId('wizard-metric')).setValue('val_f1_macro');
    await w.get(byTestId('wizard-probe')).setValue('knn');
    await flushPromises();
    await type(w, 'wizard-probe-k', '0');
    expect(text(w, 'wizard-probe-k-error')).toMatch(/minimum 1/);
    await type(w, 'wizard-probe-k', '7');
    await w.get(byTestId('wizard-probe-metric')).setValue('cosine');
    await flushPromises();

    await w.get(`${byTestId('wizard-objective-multi')} input`).setValue(true);
    await flushPromises();
    await w.get(byTestId('wizard-multi-val_roc_auc')).setValue(true);
    await w.get(byTestId('wizard-primary')).setValue('val_roc_auc');
    await flushPromises();
    expect(text(w, 'wizard-directions')).toMatch(/val_recon · minimise.*val_accuracy · maximise.*val_roc_auc · maximise/);
    await goToStep(w, 'review');
    const spec = JSON.parse(control(w, byTestId('wizard-spec-json')).value) as Record<string, unknown>;
    expect(spec).toMatchObject({
      objectives: [{ name: 'val_recon', loss: 'mse' }, { name: 'val_accuracy' }, { name: 'val_roc_auc' }],
      primaryObjective: 2,
      probe: { kind: 'knn', k: 7, metric: 'cosine' },
    });
    expect(text(w, 'wizard-summary-objectives')).toMatch(/ROC-AUC \(primary\)/);
    expect(text(w, 'wizard-summary-probe')).toMatch(/k = 7/);
  });

  it('disables the label-based metrics with a note when the opened dataset is unlabeled', async () => {
    const previous = engine.handlers['dataset.open'];
    engine.handlers['dataset.open'] = (input) => ({ ...SAMPLE_SUMMARY, path: input.path, labeled: false, classes: [] });
    try {
      const w = await openWizard();
      await click(w, byTestId('wizard-preview'));
      await goToStep(w, 'objective');
      await w.get(`${byTestId('wizard-objective-downstream')} input`).setValue(true);
      await flushPromises();
      expect(control(w, byTestId('wizard-metric-val_accuracy')).disabled).toBe(true);
      expect(text(w, 'wizard-metric-val_accuracy')).toMatch(/needs labels/);
      expect(text(w, 'wizard-objective-notes')).toMatch(/no class sub-folders/);
      // the default metric (accuracy) is refused on this step until another is picked
      expect(text(w, 'wizard-metric-error')).toMatch(/needs class labels/);
      await w.get(`${byTestId('wizard-objective-multi')} input`).setValue(true);
      await flushPromises();
      expect(control(w, byTestId('wizard-multi-val_f1_macro')).disabled).toBe(true);
    } finally {
      engine.handlers['dataset.open'] = previous;
    }
  });

  it('shows the grid size as factors, and why a continuous range cannot be a grid', async () => {
    const w = await openWizard();
    await goToStep(w, 'strategy');
    await w.get(`${byTestId('wizard-sampler-grid')} input`).setValue(true);
    await flushPromises();
    expect(text(w, 'wizard-grid-size')).toMatch(/cannot enumerate continuous ranges: give Learning rate a step/);
    expect(w.get(byTestId('wizard-step-space')).attributes('data-problems')).toBe('1');

    await goToStep(w, 'space');
    await w.get(byTestId('row-learningRate-mode-choices')).setValue(true);
    await flushPromises();
    await type(w, 'row-learningRate-choices', '0.01, 0.001');
    await goToStep(w, 'strategy');
    // the default draft compares two encoders: 2 x 3 x 2
    expect(text(w, 'wizard-grid-total')).toBe('12 trials');
    expect(text(w, 'wizard-grid-size')).toMatch(/2 × 3 × 2 = 12 \(Hidden layers × Latent size × Learning rate\)/);
    await goToStep(w, 'architecture');
    await click(w, byTestId('wizard-stack-remove-1'));
    await goToStep(w, 'strategy');
    expect(text(w, 'wizard-grid-size')).toMatch(/3 × 2 = 6 \(Latent size × Learning rate\)/);
    expect(w.get(byTestId('wizard-grid-size')).attributes('data-total')).toBe('6');
  });

  it('warns when TPE\'s random startup trials use up the trial budget, and suggests a fix (issue 14 item 3)', async () => {
    const w = await openWizard();
    await goToStep(w, 'strategy');
    expect(w.find(byTestId('wizard-startup-warning')).exists()).toBe(false); // 10 random trials of 20
    await type(w, 'wizard-trials', '10');
    expect(text(w, 'wizard-startup-warning')).toBe(
      'TPE samples its first 10 trials at random, and the budget is 10 trials: the model never runs, so this is a random search. Raise the budget to 20 or more, or lower the random trials to 3.',
    );
    await type(w, 'wizard-startup', '3');
    expect(w.find(byTestId('wizard-startup-warning')).exists()).toBe(false);
  });

  // Issue 14 defect 2: estimated from a dense trial, a conv study looked 6x faster than it ran.
  it('estimates the time per trial from comparable finished trials only, as a range, or says it has none', async () => {
    const dense = trial({ id: 1, epochsDone: 2 });
    const conv = (id: number) => {
      const t = trial({ id, epochsDone: 2 });
      return { ...t, params: { ...paramsOf(t), architecture: 'conv' as const, imageSize: 28, channels: 1 as const } };
    };
    const withBackend = [dense, conv(2), conv(3)].map((t) => ({ ...t, backend: 'wasm', params: { ...paramsOf(t), imageSize: 28, channels: 1 as const } }));
    const epoch = (samplesPerSec: number) => ({ epoch: 1, trainLoss: 0.1, valLoss: 0.1, seconds: 1, samplesPerSec });
    engine.handlers['trials.list'] = () => withBackend;
    engine.handlers['trials.curves'] = ({ trialIds }) =>
      trialIds.map((id) => ({ trialId: id, epochs: [epoch(id === 1 ? 20000 : id === 2 ? 1000 : 800)] }));
    try {
      const w = await openWizard();
      await goToStep(w, 'strategy');
      // The draft plans dense trials: measured from the dense one.
      expect(w.get(byTestId('wizard-estimate')).attributes('data-kind')).toBe('measured');
      expect(text(w, 'wizard-estimate')).toMatch(/From the training speed of 1 finished trial/);
      // A conv-only plan: the two conv trials, a range; the fast dense trial does not count.
      await goToStep(w, 'architecture');
      await w.get(`${byTestId('wizard-arch-conv')} input`).setValue(true);
      await w.get(`${byTestId('wizard-arch-dense')} input`).setValue(false);
      await flushPromises();
      await goToStep(w, 'strategy');
      await flushPromises();
      expect(text(w, 'wizard-estimate')).toMatch(/From the training speed of 2 finished trials/);
      expect(text(w, 'wizard-estimate')).toMatch(/ – /);
      const low = Number(w.get(byTestId('wizard-estimate')).attributes('data-low'));
      const high = Number(w.get(byTestId('wizard-estimate')).attributes('data-high'));
      expect(high).toBeGreaterThan(low);
      expect(engine.callsOf('trials.curves').at(-1)).toEqual({ trialIds: [3, 2] });
    } finally {
      engine.handlers['trials.list'] = () => [];
      delete engine.handlers['trials.curves'];
    }
  });

  it('estimates the duration and validates the budget', async () => {
    const w = await openWizard();
    await goToStep(w, 'strategy');
    // Nothing has run on this machine: no guess that could be 6x off, a way to get a measurement.
    expect(w.get(byTestId('wizard-estimate')).attributes('data-kind')).toBe('none');
    expect(text(w, 'wizard-estimate')).toMatch(/No estimate yet: no Dense trial .* Run one trial/);
    // ... or a short speed measurement in a trainer process (estimate.calibrate), which gives a range.
    const calibrate = engine.handlers['estimate.calibrate'];
    engine.handlers['estimate.calibrate'] = ({ architectures }) => ({ backend: 'wasm', samplesPerSec: architectures.map(() => 5000) });
    try {
      await click(w, byTestId('wizard-calibrate'));
      await flushPromises();
      expect(engine.callsOf('estimate.calibrate')).toEqual([{ architectures: ['dense'], imageSize: 28, channels: 1 }]);
      expect(w.get(byTestId('wizard-estimate')).attributes('data-kind')).toBe('measured');
      expect(text(w, 'wizard-estimate')).toMatch(/short speed measurement/);
      expect(w.find(byTestId('wizard-calibrate')).exists()).toBe(false);
    } finally {
      engine.handlers['estimate.calibrate'] = calibrate;
    }
    await w.get(byTestId('wizard-use-trials')).setValue(false);
    await flushPromises();
    expect(text(w, 'wizard-error-strategy.budget')).toMatch(/Give a budget/);
    await w.get(byTestId('wizard-use-time')).setValue(true);
    await type(w, 'wizard-minutes', '10');
    expect(w.find(byTestId('wizard-error-strategy.budget')).exists()).toBe(false);
    expect(text(w, 'wizard-estimate')).toMatch(/up to the time budget: 10 min/);
  });

  it('edits hand-picked configurations for a manual search', async () => {
    const w = await openWizard();
    await goToStep(w, 'strategy');
    await w.get(`${byTestId('wizard-sampler-manual')} input`).setValue(true);
    await flushPromises();
    await click(w, byTestId('wizard-manual-add'));
    await click(w, byTestId('wizard-manual-add'));
    expect(w.findAll('[data-testid^="wizard-manual-"][data-testid$="0"], [data-testid="wizard-manual-1"]').length).toBeGreaterThan(0);
    await goToStep(w, 'review');
    const spec = JSON.parse(control(w, byTestId('wizard-spec-json')).value) as { enqueue: unknown[]; budget: unknown };
    expect(spec.enqueue).toHaveLength(2);
    expect(spec.budget).toEqual({ trials: 2 });
  });
});

describe('review step', () => {
  it('shows the JSON spec and loads a pasted one', async () => {
    const w = await openWizard();
    await goToStep(w, 'review');
    const json = control(w, byTestId('wizard-spec-json')).value;
    const spec = JSON.parse(json) as { name: string; dataset: { path: string } };
    expect(spec.dataset.path).toBe('sample:mnist');
    expect(spec.name).toMatch(/^study-\d{8}-\d{4}$/);

    await type(w, 'wizard-load-text', JSON.stringify({ ...spec, name: 'pasted-study', seed: 11 }));
    await click(w, byTestId('wizard-load'));
    expect(w.find(byTestId('wizard-loaded')).exists()).toBe(true);
    expect(control(w, byTestId('wizard-name')).value).toBe('pasted-study');
    expect(control(w, byTestId('wizard-spec-json')).value).toMatch(/"seed": 11/);

    await type(w, 'wizard-load-text', '{ not json');
    await click(w, byTestId('wizard-load'));
    expect(text(w, 'wizard-load-errors')).toMatch(/not valid JSON/);
  });

  it('shows the engine messages for a loaded spec: a misspelt key, an unknown parameter', async () => {
    const w = await openWizard();
    await goToStep(w, 'review');
    const spec = JSON.parse(control(w, byTestId('wizard-spec-json')).value) as Record<string, unknown> & { searchSpace: { params: unknown[] } };
    const typo = { ...spec, prunner: { type: 'nop' }, searchSpace: { params: [...spec.searchSpace.params, { name: 'learningRat', type: 'fixed', value: 0.01 }] } };
    await type(w, 'wizard-load-text', JSON.stringify(typo));
    await click(w, byTestId('wizard-load'));
    expect(text(w, 'wizard-load-errors')).toMatch(/spec: unknown key "prunner"; did you mean "pruner"\?/);
    const { prunner: _dropped, ...noTypo } = typo;
    await type(w, 'wizard-load-text', JSON.stringify(noTypo));
    await click(w, byTestId('wizard-load'));
    expect(text(w, 'wizard-load-errors')).toMatch(/"learningRat": unknown parameter; did you mean "learningRate"\?/);
  });

  it('lists every problem with a way back to its step, and blocks Start', async () => {
    const w = await openWizard();
    await type(w, 'wizard-image-size', '2');
    await goToStep(w, 'review');
    await type(w, 'wizard-name', '');
    expect(text(w, 'wizard-problems')).toMatch(/2 is below the minimum 4/);
    expect(text(w, 'wizard-problems')).toMatch(/Give the study a name/);
    expect(control(w, byTestId('wizard-start')).disabled).toBe(true);
  });

  it('starts the study through the engine and opens it under Studies', async () => {
    wrapper = await mountApp(MainPage);
    const w = wrapper;
    expect(w.find(byTestId('panel-newStudy')).exists()).toBe(true);
    await goToStep(w, 'review');
    await type(w, 'wizard-name', 'my-first-study');
    await wait(500);
    await flushPromises();
    expect(text(w, 'wizard-ready')).toMatch(/ready to start/);
    await click(w, byTestId('wizard-start'));
    await flushPromises();
    const started = engine.callsOf('study.start') as Array<{ spec: { name: string } }>;
    expect(started).toHaveLength(1);
    expect(started[0].spec.name).toBe('my-first-study');
    expect(w.find(byTestId('panel-studies')).exists()).toBe(true);
    expect(text(w, 'study-title')).toBe('my-first-study');
  });

  it('shows the engine’s refusal where Start was pressed', async () => {
    engine.handlers['study.start'] = () => {
      throw new AppError('STUDY_EXISTS', { name: 'taken' });
    };
    const w = await openWizard();
    await goToStep(w, 'review');
    await type(w, 'wizard-name', 'taken');
    await click(w, byTestId('wizard-start'));
    await flushPromises();
    expect(text(w, 'wizard-start-error')).toMatch(/already exists/);
    engine.handlers['study.start'] = (input) => ({ name: String((input.spec as { name?: unknown }).name) });
  });
});

describe('language', () => {
  it('renders the wizard in Chinese', async () => {
    wrapper = await mountApp(NewStudyPage, 'zh');
    expect(wrapper.get(byTestId('wizard-step-dataset')).text()).toContain('数据集');
    expect(wrapper.text()).toContain('使用哪些图像？');
    await goToStep(wrapper, 'space');
    await wrapper.get(byTestId('row-latentSize-mode-range')).setValue(true);
    await flushPromises();
    await type(wrapper, 'row-latentSize-low', '32');
    await type(wrapper, 'row-latentSize-high', '8');
    expect(text(wrapper, 'row-latentSize-error')).toBe('下限（32）大于上限（8）；请交换它们。');
  });
});
