// One search-space row -> one ParamSpec of the shared search-space format, with local checks whose messages
// (keys under wizard.errors) name the field and the fix; the engine checks the same spec through study.validate.
import type { JsonValue } from '../../../shared/json';
import { stepCount, stepDivides, stepValue } from '../../../shared/study/distributions';
import type { ParamSpec } from '../../../shared/study/searchSpace';
import { parseIntList, parseNumber, splitList, splitLists, type NumberRule, type WizardIssue } from './issues';
import type { ParamDef, ParamRow } from './spaceDefaults';

export interface RowResult {
  spec: ParamSpec | null;
  issues: WizardIssue[];
}

function numberRule(def: ParamDef): NumberRule {
  return { int: def.kind === 'int' || def.kind === 'intList', min: def.min, max: def.max, exclusiveMin: def.exclusiveMin };
}

function listValue(def: ParamDef, text: string, field: string, issues: WizardIssue[]): number[] | null {
  const parsed = parseIntList(text, numberRule(def));
  if (!parsed.ok) {
    issues.push({ step: 'space', field, key: parsed.key, params: { ...parsed.params, param: def.name } });
    return null;
  }
  if (parsed.value.length === 0) {
    issues.push({ step: 'space', field, key: 'listEmpty', params: { param: def.name } });
    return null;
  }
  if (def.maxLength !== undefined && parsed.value.length > def.maxLength) {
    issues.push({ step: 'space', field, key: 'listTooLong', params: { param: def.name, max: def.maxLength } });
    return null;
  }
  return parsed.value;
}

function scalar(def: ParamDef, text: string, field: string, issues: WizardIssue[]): JsonValue | undefined {
  if (def.kind === 'enum') {
    if (def.options?.includes(text)) return text;
    issues.push({ step: 'space', field, key: 'pickOne', params: { param: def.name } });
    return undefined;
  }
  if (def.kind === 'bool') return text === 'true';
  if (def.kind === 'intList') return listValue(def, text, field, issues) ?? undefined;
  const n = parseNumber(text, numberRule(def));
  if (!n.ok) {
    issues.push({ step: 'space', field, key: n.key, params: { ...n.params, param: def.name } });
    return undefined;
  }
  return n.value;
}

function choicesOf(def: ParamDef, row: ParamRow, field: string, issues: WizardIssue[]): JsonValue[] | null {
  const before = issues.length;
  let values: JsonValue[];
  if (def.kind === 'enum') values = (def.options ?? []).filter((o) => row.picked.includes(o));
  else if (def.kind === 'bool') values = ['false', 'true'].filter((o) => row.picked.includes(o)).map((o) => o === 'true');
  else if (def.kind === 'intList') values = splitLists(row.choices).map((p) => listValue(def, p, field, issues) ?? []);
  else values = splitList(row.choices).map((p) => scalar(def, p, field, issues) ?? 0);
  if (issues.length > before) return null;
  if (values.length === 0) {
    issues.push({ step: 'space', field, key: def.kind === 'enum' || def.kind === 'bool' ? 'pickAtLeastOne' : 'choicesEmpty', params: { param: def.name } });
    return null;
  }
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v);
    if (seen.has(key)) {
      issues.push({ step: 'space', field, key: 'duplicateChoice', params: { param: def.name, value: Array.isArray(v) ? v.join(', ') : String(v) } });
      return null;
    }
    seen.add(key);
  }
  return values;
}

function rangeOf(def: ParamDef, row: ParamRow, base: string, issues: WizardIssue[]): ParamSpec | null {
  const rule = numberRule(def);
  const low = parseNumber(row.low, rule);
  const high = parseNumber(row.high, rule);
  if (!low.ok) issues.push({ step: 'space', field: `${base}.low`, key: low.key, params: { ...low.params, param: def.name } });
  if (!high.ok) issues.push({ step: 'space', field: `${base}.high`, key: high.key, params: { ...high.params, param: def.name } });
  let step: number | undefined;
  if (row.step.trim() !== '') {
    const s = parseNumber(row.step, { int: def.kind === 'int', min: 0, exclusiveMin: true });
    if (!s.ok) issues.push({ step: 'space', field: `${base}.step`, key: s.key, params: { ...s.params, param: def.name } });
    else step = s.value;
  }
  if (!low.ok || !high.ok) return null;
  const before = issues.length;
  if (low.value > high.value) {
    issues.push({ step: 'space', field: `${base}.range`, key: 'lowAboveHigh', params: { param: def.name, low: low.value, high: high.value } });
  }
  if (row.log && low.value <= 0) {
    issues.push({ step: 'space', field: `${base}.low`, key: 'logNeedsPositive', params: { param: def.name, low: low.value } });
  }
  if (step !== undefined && row.log && !(def.kind === 'int' && step === 1)) {
    issues.push({ step: 'space', field: `${base}.step`, key: 'stepWithLog', params: { param: def.name } });
  } else if (step !== undefined && low.value <= high.value && !stepDivides(low.value, high.value, step)) {
    issues.push({
      step: 'space',
      field: `${base}.step`,
      key: 'stepDoesNotDivide',
      params: { param: def.name, step, low: low.value, high: high.value, suggestion: stepValue(low.value, step, stepCount(low.value, high.value, step) - 1) },
    });
  }
  if (issues.length > before) return null;
  const type = def.kind === 'int' ? 'int' : 'float';
  return step === undefined ? { name: def.name, type, low: low.value, high: high.value, log: row.log } : { name: def.name, type, low: low.value, high: high.value, log: row.log, step };
}

/** The ParamSpec of one row (without its condition), or null with the issues that stop it. */
export function rowSpec(def: ParamDef, row: ParamRow): RowResult {
  const issues: WizardIssue[] = [];
  const base = `rows.${def.name}`;
  let spec: ParamSpec | null = null;
  if (row.mode === 'fixed') {
    const v = scalar(def, row.fixed, `${base}.fixed`, issues);
    if (v !== undefined) spec = { name: def.name, type: 'fixed', value: v };
  } else if (row.mode === 'choices') {
    const field = def.kind === 'enum' || def.kind === 'bool' ? `${base}.picked` : `${base}.choices`;
    const choices = choicesOf(def, row, field, issues);
    if (choices) spec = { name: def.name, type: 'categorical', choices };
  } else if (def.kind === 'int' || def.kind === 'float') {
    spec = rangeOf(def, row, base, issues);
  } else {
    issues.push({ step: 'space', field: `${base}.mode`, key: 'noRange', params: { param: def.name } });
  }
  return { spec, issues };
}
