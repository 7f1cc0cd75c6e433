// The latent-size trade-off: per latent size, the best reconstruction error (left axis) and, when the study
// measures one, the best downstream score (right axis).
import type { Tradeoff } from '../../lib/analytics/tradeoff';
import {
  axisLabelStyle,
  axisLineStyle,
  axisNameStyle,
  axisTitle,
  baseOption,
  chartTooltip,
  DEFAULT_STYLE,
  formatValue,
  legendBase,
  plotGrid,
  tooltipHtml,
  valueYAxis,
  type AnalyticsOption,
  type ChartStyle,
} from './chartStyle';

export interface TradeoffLabels {
  latentSize: string;
  reconstruction: string;
  downstream: (metric: string) => string;
  trials: string;
}

export const DEFAULT_TRADEOFF_LABELS: TradeoffLabels = {
  latentSize: 'Latent size',
  reconstruction: 'Best reconstruction error',
  downstream: (m) => `Best ${m}`,
  trials: 'Trials',
};

export function buildTradeoffOption(t: Tradeoff, opts: { theme?: ChartStyle; labels?: TradeoffLabels } = {}): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels ?? DEFAULT_TRADEOFF_LABELS;
  const sizes = t.rows.map((r) => String(r.latentSize));
  const downName = t.downstream ? labels.downstream(t.downstream.metric) : null;
  const hasDown = t.downstream !== null && t.rows.some((r) => r.bestDownstream !== null);
  const yAxis: AnalyticsOption['yAxis'] = [
    {
      ...valueYAxis(theme, labels.reconstruction),
      nameTextStyle: { ...axisNameStyle(theme), align: 'left', color: theme.series[0] },
    },
  ];
  if (hasDown) {
    yAxis.push({
      ...valueYAxis(theme, downName ?? ''),
      nameTextStyle: { ...axisNameStyle(theme), align: 'right', color: theme.series[2] },
      position: 'right',
      splitLine: { show: false },
    });
  }
  return {
    ...baseOption(theme),
    grid: plotGrid({ left: 12, right: 12, top: 40, bottom: 8 }),
    legend: {
      ...legendBase(theme),
      left: 'center',
      itemWidth: 14,
      itemHeight: 8,
      data: [labels.reconstruction, ...(hasDown && downName ? [downName] : [])],
    },
    tooltip: chartTooltip('axis', (p) => {
      const r = t.rows[p.dataIndex ?? -1];
      if (!r) return '';
      return tooltipHtml(`${labels.latentSize} ${r.latentSize}`, [
        { name: labels.reconstruction, value: formatValue(r.bestReconstruction), color: 0 },
        ...(hasDown && downName ? [{ name: downName, value: formatValue(r.bestDownstream), color: 2 }] : []),
        { name: labels.trials, value: String(r.trials) },
      ]);
    }),
    xAxis: {
      type: 'category',
      data: sizes,
      ...axisTitle(theme, labels.latentSize),
      axisLine: axisLineStyle(theme),
      axisLabel: axisLabelStyle(theme),
    },
    yAxis,
    series: [
      {
        type: 'line',
        name: labels.reconstruction,
        data: t.rows.map((r) => r.bestReconstruction ?? '-'),
        yAxisIndex: 0,
        symbol: 'circle',
        symbolSize: 8,
        lineStyle: { width: 2, color: theme.series[0] },
        itemStyle: { color: theme.series[0] },
      },
      ...(hasDown && downName
        ? [
            {
              type: 'line' as const,
              name: downName,
              data: t.rows.map((r) => r.bestDownstream ?? '-'),
              yAxisIndex: 1,
              symbol: 'diamond',
              symbolSize: 9,
              lineStyle: { width: 2, color: theme.series[2] },
              itemStyle: { color: theme.series[2] },
            },
          ]
        : []),
    ],
  };
}
