// A problem found in the wizard's input: which step and field it belongs to, and a message key (under
// wizard.errors) with its parameters, translated where it is shown.
import type { StepId } from './draft';

export interface WizardIssue {
  step: StepId;
  /** e.g. 'dataset.folder', 'rows.latentSize.low', 'strategy.trials', 'strategy.manual.0.latentSize' */
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

export type NumberParse = { ok: true; value: number } | { ok: false; key: string; params?: Record<string, string | number> };

export interface NumberRule {
  int?: boolean;
  min?: number;
  max?: number;
  /** min is exclusive (> min) */
  exclusiveMin?: boolean;
}

/** Parses one typed number and checks it against a rule; errors are message keys. */
export function parseNumber(text: string, rule: NumberRule = {}): NumberParse {
  const t = text.trim();
  if (t === '') return { ok: false, key: 'required' };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, key: 'notANumber', params: { text: t } };
  if (rule.int && !Number.isInteger(n)) return { ok: false, key: 'notInteger', params: { text: t } };
  if (rule.min !== undefined) {
    if (rule.exclusiveMin ? n <= rule.min : n < rule.min) {
      return { ok: false, key: rule.exclusiveMin ? 'aboveMin' : 'belowMin', params: { value: n, min: rule.min } };
    }
  }
  if (rule.max !== undefined && n > rule.max) return { ok: false, key: 'aboveMax', params: { value: n, max: rule.max } };
  return { ok: true, value: n };
}

/** Splits "8, 16 32" (commas, spaces or semicolons) into its parts. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).filter((p) => p !== '');
}

/** Splits list choices "16, 32; 32, 64" into one text per list. */
export function splitLists(text: string): string[] {
  return text
    .split(/[;\n|]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Parses a list of integers "256, 64" (each checked against the rule); an empty text is an empty list. */
export function parseIntList(text: string, rule: NumberRule): { ok: true; value: number[] } | { ok: false; key: string; params?: Record<string, string | number> } {
  const value: number[] = [];
  for (const part of splitList(text)) {
    const n = parseNumber(part, { ...rule, int: true });
    if (!n.ok) return n;
    value.push(n.value);
  }
  return { ok: true, value };
}
