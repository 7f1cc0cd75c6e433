// The chart component's stand-in for component tests (happy-dom has no canvas for ECharts): it runs the card's
// option builder and renders what the chart would get, so tests see the builders ran and with what.
import { defineComponent, h, type PropType } from 'vue';
import { DEFAULT_STYLE, type ChartOption, type ChartStyle } from '../../src/renderer/components/charts/chartStyle';
import { DEFAULT_CURVE_VIEW, type CurveView } from '../../src/renderer/components/charts/curveView';

/** data-series: the option's series count; data-y-name: its (single) y axis's name; data-points, aria-label as given. */
export const EChartStub = defineComponent({
  name: 'EChart',
  props: {
    build: { type: Function as PropType<(s: ChartStyle, v: CurveView) => ChartOption>, required: true },
    testid: { type: String, default: undefined },
    points: { type: Number, default: null },
    label: { type: String, default: '' },
    height: { type: [Number, String], default: 280 },
    mode: { type: String, default: 'replace' },
  },
  setup(props, { slots }) {
    return () => {
      const option = props.build(DEFAULT_STYLE, DEFAULT_CURVE_VIEW) as { series?: unknown[]; yAxis?: { name?: unknown } };
      const yName = typeof option.yAxis?.name === 'string' ? option.yAxis.name : undefined;
      return h(
        'div',
        { 'data-testid': props.testid, 'data-series': option.series?.length ?? 0, 'data-points': props.points, 'data-y-name': yName, 'aria-label': props.label },
        slots.default?.(),
      );
    };
  },
});
