// 潜在空间浏览器。
import type en from '../en/explorer';

const explorer: typeof en = {
  title: '潜在空间浏览器',
  trial: '试验',
  trialOption: '试验 #{n} · {value}',
  noTrials: '还没有已完成的试验：浏览器显示已完成试验保存的编码。',
  method: '投影',
  methods: { pca: 'PCA', umap: 'UMAP', tsne: 't-SNE', direct: '直接' },
  colourBy: '着色依据',
  colour: { label: '标签', error: '重建误差', outcome: '探针正确 / 错误' },
  notStored: '此试验未保存（在此版本之前训练）',
  outcome: { correct: '探针正确', wrong: '探针错误', unknown: '无标签' },
  errorBand: 'MSE {lo} – {hi}',
  unlabeled: '无标签',
  lasso: '套索',
  lassoDrawing: '圈出要查看的点…',
  lassoCount: '套索内 {n} 个点',
  clear: '清除',
  firstN: '仅显示前 {n} 个。',
  count: '{n} 个编码，每个 {k} 维',
  projecting: '正在投影…',
  failed: '无法显示编码',
  olderTrial: '此试验在保存浏览器所需的图像和误差之前训练：只能按标签着色。',
  aria: '{n} 个编码的潜在空间图',
  point: '数据点',
  hoverHint: '将鼠标悬停在点上查看图像及其重建；点击查看最近邻。',
  neighbours: '与 #{n} 最近的编码',
  original: '原图',
  reconstruction: '重建',
  distance: '距离 {d}',
  error: 'MSE {e}',
  predicted: '探针：{p}',
};

export default explorer;
