// TensorBoard's curve smoothing: an exponential moving average with debiasing, so the first points are not
// pulled towards zero. Pure; the chart host applies it to every line series of a curve chart.

/** A y value as the charts hold it: a number, or ECharts' gap marker '-' (a NaN or infinite loss). */
export type CurveY = number | '-';

/**
 * Debiased EMA of `values` with `weight` in [0, 1) (0: unchanged). A gap stays a gap and restarts the
 * average, as does `restart[i]` (the first point of another trial's curve inside a grouped series).
 */
export function emaSmooth(values: readonly CurveY[], weight: number, restart?: readonly boolean[]): CurveY[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return [...values];
  const out: CurveY[] = [];
  let last = 0;
  let count = 0;
  values.forEach((v, i) => {
    if (restart?.[i]) {
      last = 0;
      count = 0;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      out.push('-');
      last = 0;
      count = 0;
      return;
    }
    last = last * w + (1 - w) * v;
    count += 1;
    out.push(last / (1 - w ** count));
  });
  return out;
}

/**
 * Cumulative wall-clock seconds at the end of each epoch (epochs sorted by number), from each epoch's
 * duration: the "relative" wall-time axis of TensorBoard.
 */
export function wallSeconds(epochs: readonly { epoch: number; seconds: number }[]): Map<number, number> {
  const out = new Map<number, number>();
  let t = 0;
  for (const e of [...epochs].sort((a, b) => a.epoch - b.epoch)) {
    t += Number.isFinite(e.seconds) && e.seconds > 0 ? e.seconds : 0;
    out.set(e.epoch, t);
  }
  return out;
}
