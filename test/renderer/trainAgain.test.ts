// @vitest-environment happy-dom
// "Train again…" in a trial's detail: Model & training opens with every setting of that trial (any
// architecture) and with its images, so an analyst can change one setting or train longer without retyping.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { activeParams } from '../../src/shared/activeParams';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { DEFAULT_PARAMS, MANUAL_STUDY, type DatasetSummary, type TrialDetail } from '../../src/shared/dto';
import { ApiError, setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import TrialDetailView from '../../src/renderer/components/trials/TrialDetail.vue';
import { useDatasetStore } from '../../src/renderer/stores/dataset';
import { useTrainingStore } from '../../src/renderer/stores/training';
import { useUiStore } from '../../src/renderer/stores/ui';
import { FakeEvents } from './fakeEvents';
import { paramsOf, trial } from './analyticsFixtures';
import { EChartStub } from './echartStub';

const summaryOf = (path: string, width: number, channels: 1 | 3): DatasetSummary => ({
  path,
  imageCount: 40,
  labeled: true,
  classes: [],
  width,
  height: width,
  channels,
  preview: [],
  failures: [],
  fromCache: true,
  loadMs: 1,
});

class FakeEngine extends FakeEvents implements LatentLabApi {
  calls: { method: string; input: unknown }[] = [];
  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    this.calls.push({ method, input });
    if (method === 'dataset.useSample') return { path: '/home/ana/.local/share/latent-lab/samples/mnist' } as MethodOutput<M>;
    if (method === 'dataset.open') {
      const o = input as MethodInput<'dataset.open'>;
      return summaryOf(o.path, o.imageSize, o.channels) as MethodOutput<M>;
    }
    throw new ApiError(`not faked: ${method}`, 'NOT_FAKED');
  }
}

let engine: FakeEngine;
beforeEach(() => {
  engine = new FakeEngine();
  setApi(engine);
  setActivePinia(createPinia());
});

const convTrial: TrialDetail = {
  ...trial({ id: 9 }),
  studyName: MANUAL_STUDY,
  datasetPath: '/data/shoes',
  params: { ...DEFAULT_PARAMS, architecture: 'conv', filters: [8, 16], kernelSize: 5, batchNorm: true, convNoise: 0.2, codeDropout: 0.1, latentSize: 24, epochs: 12, optimizer: 'sgd', nesterov: true, momentum: 0.8, imageSize: 20, channels: 3 },
  epochs: [],
  confusion: null,
  versions: {},
  artifactDir: null,
};

describe('Train again from a trial', () => {
  it("fills the form with the trial's settings, opens its images and goes to Model & training", async () => {
    const w = mount(TrialDetailView, { props: { trial: convTrial }, global: { plugins: [createAppI18n('en')], stubs: { EChart: EChartStub } } });
    await flushPromises();
    await w.get('[data-testid="detail-train-again"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.method === 'dataset.open').map((c) => c.input)).toEqual([{ path: '/data/shoes', imageSize: 20, channels: 3 }]);
    expect(useUiStore().section).toBe('train');
    const training = useTrainingStore();
    expect(training.form).toMatchObject({ architecture: 'conv', filters: '8, 16', kernelSize: '5', batchNorm: true, optimizer: 'sgd', nesterov: true, momentum: '0.8' });
    // What would be trained is the trial's configuration, every setting it reads.
    expect(training.validation.errors).toEqual({});
    expect(activeParams(training.validation.params ?? DEFAULT_PARAMS)).toEqual(activeParams(paramsOf(convTrial)));
    w.unmount();
  });

  it("opens the bundled sample for a study's trial on it (stored as sample:mnist, not a folder)", async () => {
    const onSample: TrialDetail = { ...convTrial, studyName: 'digits', datasetPath: 'sample:mnist', params: { ...paramsOf(convTrial), imageSize: 14, channels: 1 } };
    const w = mount(TrialDetailView, { props: { trial: onSample }, global: { plugins: [createAppI18n('en')], stubs: { EChart: EChartStub } } });
    await flushPromises();
    await w.get('[data-testid="detail-train-again"]').trigger('click');
    await flushPromises();
    expect(engine.calls.map((c) => c.method).filter((m) => m.startsWith('dataset.'))).toEqual(['dataset.useSample', 'dataset.open']);
    expect(engine.calls.find((c) => c.method === 'dataset.open')?.input).toEqual({ path: '/home/ana/.local/share/latent-lab/samples/mnist', imageSize: 14, channels: 1 });
    expect(useTrainingStore().validation.params?.imageSize).toBe(14);
    w.unmount();
  });

  it('keeps the dataset that is open when it is the trial\'s already', async () => {
    useDatasetStore().summary = summaryOf('/data/shoes', 20, 3);
    const w = mount(TrialDetailView, { props: { trial: convTrial }, global: { plugins: [createAppI18n('en')], stubs: { EChart: EChartStub } } });
    await flushPromises();
    await w.get('[data-testid="detail-train-again"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.method === 'dataset.open')).toEqual([]);
    expect(useTrainingStore().validation.params?.architecture).toBe('conv');
    w.unmount();
  });
});
