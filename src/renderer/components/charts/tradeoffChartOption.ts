// The latent-size trade-off: per latent size, the best reconstruction error (left axis) and, when the study
// measures one, the best downstream score (right axis).
import type { Tradeoff } from '../../lib/analytics/tradeoff';
import {
  axisLabelStyle,
  axisLineStyle,
  axisNameStyle,
  baseOption,
  DEFAULT_STYLE,
  formatValue,
  splitLineStyle,
  tooltipFormatter,
  tooltipHtml,
  TOOLTIP_BASE,
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
      type: 'value',
      name: labels.reconstruction,
      nameTextStyle: { ...axisNameStyle(theme), align: 'left', color: theme.series[0] },
      scale: true,
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => formatValue(v) },
      splitLine: splitLineStyle(theme),
    },
  ];
  if (hasDown) {
    yAxis.push({
      type: 'value',
      name: downName ?? '',
      nameTextStyle: { ...axisNameStyle(theme), align: 'right', color: theme.series[2] },
      scale: true,
      position: 'right',
      axisLabel: { ...axisLabelStyle(theme), formatter: (v: number) => formatValue(v) },
      splitLine: { show: false },
    });
  }
  return {
    ...baseOption(theme),
    grid: { left: 12, right: 12, top: 40, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
    legend: {
      top: 2,
      left: 'center',
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 12 },
      data: [labels.reconstruction, ...(hasDown && downName ? [downName] : [])],
    },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'axis',
      formatter: tooltipFormatter((p) => {
        const r = t.rows[p.dataIndex ?? -1];
        if (!r) return '';
        return tooltipHtml(`${labels.latentSize} ${r.latentSize}`, [
          { name: labels.reconstruction, value: formatValue(r.bestReconstruction), color: 0 },
          ...(hasDown && downName ? [{ name: downName, value: formatValue(r.bestDownstream), color: 2 }] : []),
          { name: labels.trials, value: String(r.trials) },
        ]);
      }),
    },
    xAxis: {
      type: 'category',
      data: sizes,
      name: labels.latentSize,
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: axisNameStyle(theme),
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
