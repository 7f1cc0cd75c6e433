// The curve charts' tools (chart host): smoothing, x axis, zoom.
const curves = {
  smoothing: 'Smoothing',
  xAxis: 'X axis',
  step: 'Step',
  wall: 'Wall time',
  wallAxis: 'Wall time (s)',
  resetZoom: 'Reset zoom',
  zoomHint: 'Drag the slider under the chart, or Shift + wheel over it, to zoom',
};

export default curves;
