// 曲线图工具（图表宿主）：平滑、横轴、缩放。
import type en from '../en/curves';

const curves: typeof en = {
  smoothing: '平滑',
  xAxis: '横轴',
  step: '步数',
  wall: '用时',
  wallAxis: '用时（秒）',
  resetZoom: '重置缩放',
  zoomHint: '拖动图表下方的滑块，或在图表上按住 Shift 滚动滚轮来缩放',
};

export default curves;
