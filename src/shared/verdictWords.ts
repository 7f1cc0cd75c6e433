// The verdict's numbers as its sentences show them (accuracy differences in signed percentage points, p-values
// as people read them). No zod here: the renderer's lazily loaded pages import this (see verdict.ts).
import type { BaselineComparison, TestVerdict } from './verdict';

/** A signed figure with a real minus sign: +2.1, \u22120.4. */
export const signed = (v: number, digits = 1): string => `${v >= 0 ? '+' : '\u2212'}${Math.abs(v).toFixed(digits)}`;

/** An accuracy with its interval, as every verdict shows it: 0.838 [0.815, 0.861]. */
export const estimateText = (e: { value: number; lo: number; hi: number }): string => `${e.value.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;

/** A p-value as people read it: two significant digits, "< 0.001" below that. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** What a sentence needs, formatted: accuracy differences in percentage points. */
export function verdictParams(v: Pick<TestVerdict, 'latentSize'>, c: BaselineComparison): Record<string, string | number> {
  return {
    k: v.latentSize,
    dim: c.dim,
    points: signed(100 * c.difference.value),
    lo: signed(100 * c.difference.lo),
    hi: signed(100 * c.difference.hi),
    p: formatP(c.mcnemar.pValue),
  };
}
