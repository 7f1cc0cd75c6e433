// @vitest-environment happy-dom
// The latent explorer mounted against a fake engine: it loads the map, offers the colourings the trial stored,
// shows a hovered point's images, a clicked point's neighbours, and explains an older trial without images.
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, type PropType } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { LatentLabApi, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { ExplorerPointsData } from '../../src/shared/explorerSchemas';
import { setApi } from '../../src/renderer/api';
import { createAppI18n } from '../../src/renderer/i18n';
import { DEFAULT_STYLE, type ChartOption, type ChartStyle } from '../../src/renderer/components/charts/chartStyle';
import LatentExplorer from '../../src/renderer/components/explorer/LatentExplorer.vue';

const EChartStub = defineComponent({
  name: 'EChart',
  props: { build: { type: Function as PropType<(s: ChartStyle) => ChartOption>, required: true }, testid: { type: String, default: undefined } },
  emits: ['itemHover', 'itemClick'],
  setup(props, { slots }) {
    return () => {
      const option = props.build(DEFAULT_STYLE) as { series?: Array<{ name?: string }> };
      return h('div', { 'data-testid': props.testid, 'data-series': (option.series ?? []).map((s) => s.name).join('|') }, slots.default?.());
    };
  },
});

const POINTS: ExplorerPointsData = {
  trialId: 7,
  method: 'pca',
  latentSize: 4,
  points: [[0, 0], [1, 1], [2, 2], [3, 3]],
  labels: ['a', 'b', 'a', 'b'],
  errors: [0.1, 0.2, 0.3, 0.4],
  predicted: ['a', 'a', 'a', 'b'],
  files: ['a/0.png', 'b/1.png', 'a/2.png', 'b/3.png'],
};

let calls: Array<{ method: string; input: unknown }>;
let points: ExplorerPointsData;

function fakeApi(): LatentLabApi {
  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      calls.push({ method, input });
      const i = input as { indices?: number[]; index?: number };
      const answer: Partial<Record<MethodName, unknown>> = {
        'explorer.points': points,
        'explorer.images': { trialId: 7, images: (i.indices ?? []).map((index) => ({ index, file: points.files?.[index] ?? '', original: 'data:image/png;base64,AA==', reconstruction: 'data:image/png;base64,AA==', error: 0.1 })) },
        'explorer.neighbours': { trialId: 7, index: i.index, neighbours: [{ index: 2, distance: 0.5 }, { index: 3, distance: 1.5 }] },
      };
      return answer[method] as MethodOutput<M>;
    },
    on: () => () => {},
  };
}

beforeEach(() => {
  calls = [];
  points = POINTS;
  setApi(fakeApi());
  setActivePinia(createPinia());
});

const mountExplorer = () => mount(LatentExplorer, { props: { trialId: 7 }, global: { plugins: [createAppI18n('en')], stubs: { EChart: EChartStub } } });

describe('LatentExplorer', () => {
  it('loads the map, colours by label, error band or probe outcome', async () => {
    const w = mountExplorer();
    await flushPromises();
    expect(w.get('[data-testid="latent-explorer"]').attributes('data-points')).toBe('4');
    expect(calls[0]).toEqual({ method: 'explorer.points', input: { trialId: 7, method: 'pca' } });
    expect(w.get('[data-testid="explorer-chart"]').attributes('data-series')).toBe('a|b');
    await w.get('[data-testid="explorer-colour-outcome"]').trigger('click');
    expect(w.get('[data-testid="explorer-chart"]').attributes('data-series')).toBe('Probe correct|Probe wrong');
    await w.get('[data-testid="explorer-colour-error"]').trigger('click');
    expect((w.get('[data-testid="explorer-chart"]').attributes('data-series') ?? '').split('|')).toHaveLength(4);
  });

  it('shows a hovered point with its images, and a clicked point with its neighbours ringed', async () => {
    const w = mountExplorer();
    await flushPromises();
    const chart = w.findComponent({ name: 'EChart' });
    chart.vm.$emit('itemHover', { seriesIndex: 0, dataIndex: 1, value: [2, 2, 2], data: null });
    await flushPromises();
    expect(w.get('[data-testid="explorer-hover"]').findAll('img')).toHaveLength(2);
    expect(w.get('[data-testid="explorer-hover"]').text()).toContain('a/2.png'.split('/')[1]);
    chart.vm.$emit('itemClick', { seriesIndex: 1, dataIndex: 0, value: [1, 1, 1], data: null });
    await flushPromises();
    expect(calls.some((c) => c.method === 'explorer.neighbours' && (c.input as { index: number }).index === 1)).toBe(true);
    const nb = w.get('[data-testid="explorer-neighbours"]');
    expect(nb.findAll('figure')).toHaveLength(2);
    expect(nb.text()).toContain('distance 0.5');
    expect(w.get('[data-testid="explorer-chart"]').attributes('data-series')).toBe('a|b|__selected');
  });

  it('explains a trial stored before the explorer data and offers only the label colouring', async () => {
    points = { ...POINTS, errors: null, predicted: null, files: null };
    const w = mountExplorer();
    await flushPromises();
    expect(w.find('[data-testid="explorer-no-images"]').exists()).toBe(true);
    expect(w.get('[data-testid="explorer-colour-error"]').attributes('disabled')).toBeDefined();
    expect(w.get('[data-testid="explorer-colour-outcome"]').attributes('disabled')).toBeDefined();
  });
});
