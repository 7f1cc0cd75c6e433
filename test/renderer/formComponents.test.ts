// @vitest-environment happy-dom
// The shared form pieces: the folder field with Browse (dataset form, wizard, export) and the model form's
// data-driven field list, in both languages.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { AppError } from '../../src/shared/errors';
import { i18n, setI18nLocale, type AppLocale } from '../../src/renderer/i18n';
import FolderField from '../../src/renderer/components/common/FolderField.vue';
import ExportPanel from '../../src/renderer/components/trials/ExportPanel.vue';
import ModelForm from '../../src/renderer/components/training/ModelForm.vue';
import { useAppStore } from '../../src/renderer/stores/app';
import { byTestId, clearStorage, installFakeEngine, type FakeEngine } from './wizardHarness';

let engine: FakeEngine;
let wrapper: VueWrapper | null = null;

beforeAll(() => {
  engine = installFakeEngine();
});
beforeEach(() => {
  clearStorage();
  setActivePinia(createPinia());
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

/** The engine says whether it can open a native folder dialog (only the desktop app can). */
async function loadAppInfo(canPickFolder: boolean): Promise<void> {
  const base = engine.handlers['app.info'];
  engine.handlers['app.info'] = async (input) => ({ ...((await base?.(input)) as Awaited<ReturnType<NonNullable<typeof base>>> & object), canPickFolder });
  await useAppStore().load();
  engine.handlers['app.info'] = base;
}

async function mountWith(component: Parameters<typeof mount>[0], locale: AppLocale = 'en', props: Record<string, unknown> = {}): Promise<VueWrapper> {
  setI18nLocale(locale);
  const w = mount(component, { props, global: { plugins: [i18n] } });
  await flushPromises();
  return w;
}

/** FolderField bound to a parent's ref, recording what it emits. */
function folderHost(initial = '') {
  const path = ref(initial);
  const picked: string[] = [];
  const errors: string[] = [];
  const fieldError = ref<string | null>(null);
  const Host = defineComponent({
    setup: () => () =>
      h(FolderField, {
        modelValue: path.value,
        'onUpdate:modelValue': (v: string) => (path.value = v),
        label: 'Folder',
        testid: 'folder',
        browseTestid: 'folder-browse',
        error: fieldError.value,
        onPicked: (p: string) => picked.push(p),
        onError: (e: { message: string }) => errors.push(e.message),
      }),
  });
  return { Host, path, picked, errors, fieldError };
}

describe('FolderField', () => {
  it('writes what is typed to v-model and shows no Browse where no folder dialog exists', async () => {
    await loadAppInfo(false);
    const host = folderHost();
    wrapper = await mountWith(host.Host);
    await wrapper.get(byTestId('folder')).setValue('/data/leaves');
    expect(host.path.value).toBe('/data/leaves');
    expect(wrapper.find(byTestId('folder-browse')).exists()).toBe(false);
  });

  it('Browse writes the picked folder and reports it; a cancelled dialog changes nothing', async () => {
    await loadAppInfo(true);
    const host = folderHost('/old');
    wrapper = await mountWith(host.Host);
    engine.handlers['dialog.pickFolder'] = () => ({ path: '/picked/folder' });
    await wrapper.get(byTestId('folder-browse')).trigger('click');
    await flushPromises();
    expect(host.path.value).toBe('/picked/folder');
    expect(host.picked).toEqual(['/picked/folder']);
    expect((wrapper.get(byTestId('folder')).element as unknown as { value: string }).value).toBe('/picked/folder');

    engine.handlers['dialog.pickFolder'] = () => ({ path: null });
    await wrapper.get(byTestId('folder-browse')).trigger('click');
    await flushPromises();
    expect(host.path.value).toBe('/picked/folder');
    expect(host.picked).toHaveLength(1);
  });

  it('reports a dialog that failed to open, and shows the field error under the input', async () => {
    await loadAppInfo(true);
    const host = folderHost('/keep');
    host.fieldError.value = 'Choose a folder.';
    wrapper = await mountWith(host.Host);
    expect(wrapper.get(byTestId('folder-error')).text()).toBe('Choose a folder.');
    expect(wrapper.get(byTestId('folder')).attributes('aria-invalid')).toBe('true');
    engine.handlers['dialog.pickFolder'] = () => {
      throw new AppError('IPC_FAILED', { details: 'No window to attach the dialog to.' });
    };
    await wrapper.get(byTestId('folder-browse')).trigger('click');
    await flushPromises();
    expect(host.errors).toEqual(['The call to the Latent Lab main process failed: No window to attach the dialog to.']);
    expect(host.path.value).toBe('/keep');
    engine.handlers['dialog.pickFolder'] = undefined;
  });
});

describe('ExportPanel folder', () => {
  it('asks for a folder, then Browse fills it in and clears the request', async () => {
    await loadAppInfo(true);
    wrapper = await mountWith(ExportPanel, 'en', { trialId: 3 });
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get(byTestId('export-folder-error')).text()).toMatch(/folder/i);
    expect(engine.callsOf('export.encoder')).toHaveLength(0);

    engine.handlers['dialog.pickFolder'] = () => ({ path: '/exports/run-3' });
    await wrapper.get(byTestId('export-browse')).trigger('click');
    await flushPromises();
    expect((wrapper.get(byTestId('export-folder')).element as HTMLInputElement).value).toBe('/exports/run-3');
    expect(wrapper.find(byTestId('export-folder-error')).exists()).toBe(false);
    // the Run button sits in the folder row
    expect(wrapper.get('.folder-field').find(byTestId('export-run')).exists()).toBe(true);
    engine.handlers['dialog.pickFolder'] = undefined;
  });

  it('shows a dialog failure as the export error', async () => {
    await loadAppInfo(true);
    wrapper = await mountWith(ExportPanel, 'en', { trialId: 3 });
    engine.handlers['dialog.pickFolder'] = () => {
      throw new AppError('IPC_FAILED', { details: 'The folder dialog is busy.' });
    };
    await wrapper.get(byTestId('export-browse')).trigger('click');
    await flushPromises();
    expect(wrapper.get(byTestId('export-error')).text()).toContain('The folder dialog is busy.');
    engine.handlers['dialog.pickFolder'] = undefined;
  });
});

describe('Two export panels on one page (a trial\'s and its refit\'s)', () => {
  it('keep their own folder, error and result; a written export\'s folder starts the next panel', async () => {
    await loadAppInfo(false);
    engine.handlers['export.encoder'] = (input) => {
      const r = input as { trialId: number; folder: string };
      if (r.trialId === 7) throw new AppError('WRITE_DENIED', { path: r.folder });
      return { folder: r.folder, files: ['model.json', 'manifest.json'] };
    };
    // Two mounts under one Pinia: as two panels of one page, they share every store.
    const trial = await mountWith(ExportPanel, 'en', { trialId: 3 });
    const refit = await mountWith(ExportPanel, 'en', { trialId: 7 });
    await trial.get(byTestId('export-folder')).setValue('/exports/trial');
    expect((refit.get(byTestId('export-folder')).element as HTMLInputElement).value).toBe('');
    await refit.get(byTestId('export-folder')).setValue('/readonly/refit');
    await refit.get('form').trigger('submit');
    await flushPromises();
    expect(refit.get(byTestId('export-error')).text()).toContain('Cannot write /readonly/refit: permission denied');
    expect(trial.find(byTestId('export-error')).exists()).toBe(false);
    await trial.get('form').trigger('submit');
    await flushPromises();
    expect(trial.get(byTestId('export-result')).text()).toContain('/exports/trial');
    expect(refit.find(byTestId('export-result')).exists()).toBe(false);
    expect(refit.get(byTestId('export-error')).text()).toContain('permission denied');
    expect((refit.get(byTestId('export-folder')).element as HTMLInputElement).value).toBe('/readonly/refit');
    expect(engine.callsOf('export.encoder')).toEqual([
      { trialId: 7, folder: '/readonly/refit', force: false },
      { trialId: 3, folder: '/exports/trial', force: false },
    ]);
    trial.unmount();
    refit.unmount();
    // A panel opened later starts at the folder last written to, not the one that failed.
    wrapper = await mountWith(ExportPanel, 'en', { trialId: 9 });
    expect((wrapper.get(byTestId('export-folder')).element as HTMLInputElement).value).toBe('/exports/trial');
    engine.handlers['export.encoder'] = undefined;
  });
});

describe('ModelForm', () => {
  // A dense autoencoder with Adam and no early stopping: the fields those read, in order.
  const FIELDS = [
    'architecture',
    'latentSize',
    'hiddenUnits',
    'activation',
    'outputActivation',
    'batchNorm',
    'dropout',
    'codeDropout',
    'weightDecay',
    'optimizer',
    'learningRate',
    'loss',
    'batchSize',
    'epochs',
    'earlyStoppingPatience',
    'valFraction',
    'seed',
  ];
  const shownFields = (w: VueWrapper): string[] => w.findAll('[data-testid^="param-"]').map((e) => e.attributes('data-testid') as string).filter((id) => !id.endsWith('-error') && id !== 'param-input-shape').map((id) => id.slice('param-'.length));

  it('lists every parameter the chosen model reads once, each with its label, help and the schema limits of a number field', async () => {
    wrapper = await mountWith(ModelForm);
    expect(shownFields(wrapper)).toEqual(FIELDS);
    expect(wrapper.findAll('.field')).toHaveLength(FIELDS.length);
    expect(wrapper.findAll('.field__help')).toHaveLength(FIELDS.length);
    for (const help of wrapper.findAll('.field__help')) expect(help.text()).not.toMatch(/^(training|space|wizard)\./);
    const latent = wrapper.get(byTestId('param-latentSize'));
    expect([latent.attributes('type'), latent.attributes('min'), latent.attributes('max'), latent.attributes('step')]).toEqual(['number', '1', '1024', '1']);
    expect(wrapper.get(byTestId('param-learningRate')).attributes('step')).toBe('any');
    expect(wrapper.get(byTestId('param-hiddenUnits')).attributes('placeholder')).toBe('256, 64');
    expect(wrapper.findAll(`${byTestId('param-optimizer')} option`).map((o) => o.text())).toEqual(['Adam', 'RMSprop', 'Adagrad', 'SGD']);
    expect(wrapper.findAll(`${byTestId('param-architecture')} option`).map((o) => o.text())).toEqual(['Dense', 'Convolutional', 'Denoising', 'Sparse', 'Variational (VAE)']);
    expect(wrapper.get(byTestId('param-input-shape')).text()).toMatch(/28×28/);
    expect(wrapper.text()).toContain('Learning rate');
    expect(wrapper.get('#model-form-title').text()).toBe('Dense autoencoder');
  });

  it('shows the fields of the chosen architecture and optimizer, and starts that model', async () => {
    wrapper = await mountWith(ModelForm);
    const { useDatasetStore } = await import('../../src/renderer/stores/dataset');
    useDatasetStore().summary = { path: '/images/shoes', imageCount: 40, labeled: true, classes: [], width: 24, height: 24, channels: 3, preview: [], failures: [], fromCache: false, loadMs: 1 };
    await wrapper.get(byTestId('param-architecture')).setValue('conv');
    await flushPromises();
    expect(wrapper.get('#model-form-title').text()).toBe('Convolutional autoencoder');
    const conv = shownFields(wrapper);
    expect(conv).not.toContain('hiddenUnits');
    for (const f of ['filters', 'kernelSize', 'convNoise']) expect(conv).toContain(f);
    for (const f of ['noiseType', 'noiseLevel', 'l1', 'klBeta', 'momentum', 'nesterov', 'earlyStoppingMinDelta', 'restoreBestWeights']) expect(conv).not.toContain(f);
    // The architecture's help is what the wizard's card says of it.
    expect(wrapper.get(byTestId('param-architecture')).element.closest('.field')?.querySelector('.field__help')?.textContent).toMatch(/Strided convolutions/);
    // A value typed for a field the model does not read does not block it (hidden, left to the contract).
    await wrapper.get(byTestId('param-architecture')).setValue('sparse');
    await flushPromises();
    await wrapper.get(byTestId('param-l1')).setValue('x');
    await flushPromises();
    expect(wrapper.get(byTestId('param-l1-error')).text()).not.toBe('');
    await wrapper.get(byTestId('param-architecture')).setValue('conv');
    await flushPromises();
    expect(wrapper.find(byTestId('param-l1')).exists()).toBe(false);

    await wrapper.get(byTestId('param-filters')).setValue('8, x');
    await flushPromises();
    expect(wrapper.get(byTestId('param-filters-error')).text()).toContain('x');
    await wrapper.get(byTestId('param-filters')).setValue('8, 16');
    await wrapper.get(byTestId('param-batchNorm')).setValue(true);
    await wrapper.get(byTestId('param-convNoise')).setValue('0.1');
    await wrapper.get(byTestId('param-optimizer')).setValue('sgd');
    await flushPromises();
    for (const f of ['momentum', 'nesterov']) expect(shownFields(wrapper)).toContain(f);
    await wrapper.get(byTestId('param-nesterov')).setValue(true);
    await wrapper.get(byTestId('param-earlyStoppingPatience')).setValue('3');
    await flushPromises();
    for (const f of ['earlyStoppingMinDelta', 'restoreBestWeights']) expect(shownFields(wrapper)).toContain(f);
    // Binary cross-entropy with a linear output is refused at the field, before a trainer starts (the help
    // says so; the wizard's help, where the choice is only offered with a sigmoid output, would not fit here).
    expect(wrapper.get(byTestId('param-loss')).element.closest('.field')?.querySelector('.field__help')?.textContent).toMatch(/use it only with the sigmoid output/);
    await wrapper.get(byTestId('param-outputActivation')).setValue('linear');
    await wrapper.get(byTestId('param-loss')).setValue('bce');
    await flushPromises();
    expect(wrapper.get(byTestId('param-loss-error')).text()).toMatch(/sigmoid/);
    expect(wrapper.get(byTestId('training-start')).attributes('disabled')).toBeDefined();
    await wrapper.get(byTestId('param-outputActivation')).setValue('sigmoid');
    await flushPromises();
    expect(wrapper.find('.field__error').exists()).toBe(false);

    engine.handlers['training.start'] = async () => ({ trialId: 5 });
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const [request] = engine.callsOf('training.start') as Array<{ datasetPath: string; params: Record<string, unknown> }>;
    expect(request.datasetPath).toBe('/images/shoes');
    expect(request.params).toMatchObject({
      architecture: 'conv',
      filters: [8, 16],
      kernelSize: 3,
      batchNorm: true,
      convNoise: 0.1,
      optimizer: 'sgd',
      nesterov: true,
      earlyStoppingPatience: 3,
      loss: 'bce',
      imageSize: 24,
      channels: 3,
    });
    // The sparse weight typed earlier is not the trial's: the contract's default stands for a field conv never reads.
    expect(request.params.l1).toBe(1e-4);
    engine.handlers['training.start'] = undefined;
  });

  it('shows a field error under the field and blocks the start', async () => {
    wrapper = await mountWith(ModelForm);
    expect(wrapper.find(byTestId('param-latentSize-error')).exists()).toBe(false);
    await wrapper.get(byTestId('param-latentSize')).setValue('0');
    await flushPromises();
    expect(wrapper.get(byTestId('param-latentSize-error')).text()).not.toBe('');
    await wrapper.get(byTestId('param-hiddenUnits')).setValue('64, x');
    await flushPromises();
    expect(wrapper.get(byTestId('param-hiddenUnits-error')).text()).toContain('x');
    expect(wrapper.get(byTestId('training-start')).attributes('disabled')).toBeDefined();
  });

  it('speaks Chinese (zh-CN)', async () => {
    wrapper = await mountWith(ModelForm, 'zh');
    const labels = wrapper.findAll('.field__label').map((l) => l.text());
    expect(labels).toHaveLength(FIELDS.length);
    expect(wrapper.get('#model-form-title').text()).toBe('全连接自编码器');
    for (const l of labels) expect(l).toMatch(/[\u4e00-\u9fff]/);
    setI18nLocale('en');
  });
});
