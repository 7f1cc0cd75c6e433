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
  pcaReconstruction: string;
  pcaDownstream: (metric: string) => string;
}

export function buildTradeoffOption(t: Tradeoff, opts: { theme?: ChartStyle; labels: TradeoffLabels }): AnalyticsOption {
  const theme = opts.theme ?? DEFAULT_STYLE;
  const labels = opts.labels;
  const sizes = t.rows.map((r) => String(r.latentSize));
  const downName = t.downstream ? labels.downstream(t.downstream.metric) : null;
  const hasDown = t.downstream !== null && t.rows.some((r) => r.bestDownstream !== null);
  // PCA at the same sizes, dashed, on the same axes: where the autoencoder starts to pay off.
  const pcaReconName = t.rows.some((r) => r.pcaReconstruction !== null) ? labels.pcaReconstruction : null;
  const pcaDownName = hasDown && t.downstream && t.rows.some((r) => r.pcaDownstream !== null) ? labels.pcaDownstream(t.downstream.metric) : null;
  const dashed = (name: string, data: (number | null)[], axis: number, color: string) => ({
    type: 'line' as const,
    name,
    data: data.map((v) => v ?? '-'),
    yAxisIndex: axis,
    symbol: 'emptyCircle',
    symbolSize: 6,
    lineStyle: { width: 1.5, type: 'dashed' as const, color },
    itemStyle: { color },
  });
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
      data: [labels.reconstruction, ...(hasDown && downName ? [downName] : []), ...(pcaReconName ? [pcaReconName] : []), ...(pcaDownName ? [pcaDownName] : [])],
    },
    tooltip: chartTooltip('axis', (p) => {
      const r = t.rows[p.dataIndex ?? -1];
      if (!r) return '';
      return tooltipHtml(`${labels.latentSize} ${r.latentSize}`, [
        { name: labels.reconstruction, value: formatValue(r.bestReconstruction), color: 0 },
        ...(hasDown && downName ? [{ name: downName, value: formatValue(r.bestDownstream), color: 2 }] : []),
        ...(pcaReconName ? [{ name: pcaReconName, value: formatValue(r.pcaReconstruction), color: 0 }] : []),
        ...(pcaDownName ? [{ name: pcaDownName, value: formatValue(r.pcaDownstream), color: 2 }] : []),
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
      ...(pcaReconName ? [dashed(pcaReconName, t.rows.map((r) => r.pcaReconstruction), 0, theme.series[0])] : []),
      ...(pcaDownName ? [dashed(pcaDownName, t.rows.map((r) => r.pcaDownstream), 1, theme.series[2])] : []),
    ],
  };
}
