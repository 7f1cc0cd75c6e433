// Ridge regression in closed form: (Xc^T Xc + alpha I) w = Xc^T yc on centred data, so the intercept is not
// penalised (as sklearn's Ridge with fit_intercept), solved by Cholesky.
import { cholesky, choleskySolve, scatter } from '../../math/linalg';
import { columnStats, standardize, type ColumnStats, type Matrix } from '../matrix';
import { RidgeSpec } from '../../../shared/study/probes';
import type { FittedRegressor, RegressorProbe } from './types';
import type { z } from 'zod';

export interface RidgeModel extends FittedRegressor {
  /** Coefficients in the (possibly standardised) feature space, and the intercept. */
  coef: Float64Array;
  intercept: number;
  stats: ColumnStats | null;
}

export function fitRidge(x: Matrix, y: Float64Array, input: Partial<z.input<typeof RidgeSpec>> = {}): RidgeModel {
  const cfg = RidgeSpec.parse({ ...input, kind: 'ridge' });
  if (y.length !== x.rows) throw new Error(`fitRidge: ${x.rows} rows but ${y.length} targets`);
  if (x.rows === 0) throw new Error('fitRidge: no training samples');
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new Error(`fitRidge: target ${i} is not a finite number (${y[i]})`);
  const stats = cfg.standardize ? columnStats(x) : null;
  const xs = stats ? standardize(x, stats) : x;
  const { rows: n, cols: d, data } = xs;
  const xMean = new Float64Array(d);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    for (let j = 0; j < d; j++) xMean[j] += data[i * d + j];
  }
  yMean /= n;
  for (let j = 0; j < d; j++) xMean[j] /= n;
  const xc = new Float64Array(n * d);
  const rhs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const yc = y[i] - yMean;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] - xMean[j];
      xc[i * d + j] = v;
      rhs[j] += v * yc;
    }
  }
  const gram = scatter(xc, n, d);
  for (let j = 0; j < d; j++) gram[j * d + j] += cfg.alpha;
  if (!cholesky(gram, d)) {
    throw new Error('fitRidge: the features are collinear, so X^T X + alpha I is not positive definite; use a positive alpha');
  }
  const coef = choleskySolve(gram, d, rhs);
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= xMean[j] * coef[j];
  return {
    coef,
    intercept,
    stats,
    predict: (q) => {
      if (q.cols !== d) throw new Error(`ridge: model expects ${d} features, got ${q.cols}`);
      const qs = stats ? standardize(q, stats) : q;
      const out = new Float64Array(q.rows);
      for (let i = 0; i < q.rows; i++) {
        let s = intercept;
        for (let j = 0; j < d; j++) s += qs.data[i * d + j] * coef[j];
        out[i] = s;
      }
      return out;
    },
  };
}

export function ridgeProbe(input: Partial<z.input<typeof RidgeSpec>> = {}): RegressorProbe {
  return { fit: (x, y) => fitRidge(x, y, input) };
}
