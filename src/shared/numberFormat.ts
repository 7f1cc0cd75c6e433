// One number format per kind of quantity (issue 14 defect 1), for every table, tile and chart label in the app
// and for the exported manifest and report. A value alone uses formatNumber; a column of values uses
// columnFormatter, which picks one notation for the whole column (never `7.69e-4` beside `0.006613`).
// Pure and locale-free: decimal point, ASCII digits (the numbers are also copied into notes and specs).

/**
 * - loss: reconstruction losses, MSE/MAE, objective values in loss units (any magnitude, 4 significant digits)
 * - learningRate: learning rates, L1 weights and other log-scale rates (3 significant digits, exponent below 0.01)
 * - score: accuracy, F1, precision, recall, ROC AUC, R² (3 decimals)
 * - param: any other numeric hyperparameter (integers as they are, else 4 significant digits)
 * - count: whole numbers (thousands separated)
 * - seconds: durations
 */
export type QuantityKind = 'loss' | 'learningRate' | 'score' | 'param' | 'count' | 'seconds';

const DASH = '—';

/** Rates and weights searched on a log scale: shown as 2.25e-3 when small. */
const RATE_NAMES = new Set(['learningRate', 'l1', 'klBeta', 'earlyStoppingMinDelta', 'weightDecay']);
const SCORE_NAME = /(accuracy|f1|precision|recall|roc_auc|auc|r2|balanced)/i;
const LOSS_NAME = /(loss|mse|mae|recon|error)/i;

/** The kind of a named quantity: a hyperparameter (`learningRate`), a metric (`val_accuracy`) or an objective. */
export function quantityKind(name: string): QuantityKind {
  if (RATE_NAMES.has(name)) return 'learningRate';
  if (SCORE_NAME.test(name)) return 'score';
  if (LOSS_NAME.test(name)) return 'loss';
  if (/seconds|duration/i.test(name)) return 'seconds';
  return 'param';
}

/** "1.230" -> "1.23", "5.000" -> "5" (a lone value; columns keep their zeros to align). */
function trimFixed(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatSecondsValue(s: number): string {
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} m`;
  return `${m} m ${String(sec).padStart(2, '0')} s`;
}

/** One value of a kind; `—` for a missing value, `NaN` / `Infinity` as they are (a diverged loss is news). */
export function formatNumber(kind: QuantityKind, v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  switch (kind) {
    case 'count':
      return COUNT.format(v);
    case 'seconds':
      return formatSecondsValue(v);
    case 'score':
      return v.toFixed(3);
    case 'learningRate':
      if (a !== 0 && a < 0.01) return v.toExponential(2);
      return trimFixed(v.toPrecision(3));
    case 'param':
      if (Number.isInteger(v)) return String(v);
      if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
      return trimFixed(v.toPrecision(4));
    case 'loss':
      if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
      return trimFixed(v.toPrecision(4));
  }
}

/**
 * One notation for a column of values: exponents for all when any value needs one, else the same number of
 * decimals for all (enough for the smallest value's significant digits). Integers stay integers.
 */
export function columnFormatter(kind: QuantityKind, values: readonly (number | null | undefined)[]): (v: number | null | undefined) => string {
  if (kind === 'count' || kind === 'seconds' || kind === 'score') return (v) => formatNumber(kind, v);
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length > 0 && finite.every((v) => Number.isInteger(v))) return (v) => formatNumber(kind, v);
  const nonZero = finite.map(Math.abs).filter((a) => a > 0);
  if (nonZero.length === 0) return (v) => formatNumber(kind, v);
  const min = Math.min(...nonZero);
  const max = Math.max(...nonZero);
  const digits = kind === 'learningRate' ? 3 : 4;
  const expBelow = kind === 'learningRate' ? 0.01 : 1e-3;
  if (min < expBelow || max >= 1e5) {
    return (v) => (v === null || v === undefined ? DASH : !Number.isFinite(v) ? String(v) : v.toExponential(digits - 1));
  }
  const decimals = Math.min(8, Math.max(0, digits - 1 - Math.floor(Math.log10(min))));
  return (v) => (v === null || v === undefined ? DASH : !Number.isFinite(v) ? String(v) : v.toFixed(decimals));
}
