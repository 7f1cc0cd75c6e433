// Only the ECharts parts the app uses, so the bundle stays small.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  ScatterChart,
  BarChart,
  HeatmapChart,
  ParallelChart,
  GridComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  TooltipComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);

export { echarts };
export type { ECharts } from 'echarts/core';
