// optuna-dashboard's contour plot of two parameters: the objective over the plane of param x and param y,
// interpolated on a grid from the trials that set both (inverse-distance weighting in the axes' own scales:
// log for log-scale params, category index for categorical ones), with the trials drawn on top. Pure.
import { paramValue, type ParamAxis } from '../../../shared/analytics/params';
import { objectiveValue } from '../../../shared/analytics/objective';
import type { TrialSummary } from '../../../shared/dto';

export interface ContourPoint {
  trialId: number;
  number: number;
  /** Positions in the axes' plotting scale (log10 for log params, category index for categorical). */
  x: number;
  y: number;
  value: number;
}

export interface ContourGrid {
  /** Grid coordinates in the plotting scale, ascending. */
  xs: number[];
  ys: number[];
  /** values[j][i]: the interpolated objective at (xs[i], ys[j]). */
  values: number[][];
  points: ContourPoint[];
  min: number;
  max: number;
}

/** Where a param value sits on its plotting axis; null when the trial did not set it. */
export function axisPosition(axis: ParamAxis, t: TrialSummary): number | null {
  const v = paramValue(t, axis);
  if (v === null) return null;
  if (axis.kind === 'categorical') {
    const i = axis.choices.indexOf(String(v));
    return i >= 0 ? i : null;
  }
  if (typeof v !== 'number') return null;
  if (axis.log) return v > 0 ? Math.log10(v) : null;
  return v;
}

/** The plotting range of an axis: its spec bounds (log10 for log), category indices, or the data's range. */
function axisRange(axis: ParamAxis, data: readonly number[]): [number, number] {
  if (axis.kind === 'categorical') return [0, Math.max(axis.choices.length - 1, 1)];
  const tr = (v: number): number => (axis.log ? Math.log10(v) : v);
  let lo = axis.low !== null && (!axis.log || axis.low > 0) ? tr(axis.low) : Math.min(...data);
  let hi = axis.high !== null && (!axis.log || axis.high > 0) ? tr(axis.high) : Math.max(...data);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

const linspace = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

/**
 * The contour grid of objective `index` over params x and y, or null with fewer than 3 trials that set both
 * (no surface to draw). `size` grid lines per axis (categorical axes use one line per category).
 */
export function contourGrid(trials: readonly TrialSummary[], xAxis: ParamAxis, yAxis: ParamAxis, index = 0, size = 40): ContourGrid | null {
  const points: ContourPoint[] = [];
  for (const t of trials) {
    const value = objectiveValue(t, index);
    const x = axisPosition(xAxis, t);
    const y = axisPosition(yAxis, t);
    if (value === null || !Number.isFinite(value) || x === null || y === null) continue;
    points.push({ trialId: t.id, number: t.number, x, y, value });
  }
  if (points.length < 3) return null;
  const [x0, x1] = axisRange(xAxis, points.map((p) => p.x));
  const [y0, y1] = axisRange(yAxis, points.map((p) => p.y));
  const xs = xAxis.kind === 'categorical' ? xAxis.choices.map((_, i) => i) : linspace(x0, x1, size);
  const ys = yAxis.kind === 'categorical' ? yAxis.choices.map((_, i) => i) : linspace(y0, y1, size);
  // Distances in units of each axis's span, so a log axis and a linear one weigh alike.
  const sx = x1 - x0;
  const sy = y1 - y0;
  const values = ys.map((gy) =>
    xs.map((gx) => {
      let num = 0;
      let den = 0;
      for (const p of points) {
        const d2 = ((p.x - gx) / sx) ** 2 + ((p.y - gy) / sy) ** 2;
        if (d2 < 1e-12) return p.value;
        const w = 1 / (d2 * d2);
        num += w * p.value;
        den += w;
      }
      return num / den;
    }),
  );
  const all = points.map((p) => p.value);
  return { xs, ys, values, points, min: Math.min(...all), max: Math.max(...all) };
}
