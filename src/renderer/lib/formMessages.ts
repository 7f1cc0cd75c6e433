// The form error words of lib/paramsForm.ts in the current language. Call inside a computed: it reads the
// locale, so the messages follow a language switch.
import { i18n } from '../i18n';
import type { FormIssue, FormMessages } from './paramsForm';

function num(v: unknown): string {
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
}

/** Words a schema issue: bounds and whole numbers in the user's language, anything else in zod's words. */
export function issueText(issue: FormIssue): string {
  const t = i18n.global.t;
  if (issue.code === 'too_small' && issue.origin === 'number' && num(issue.minimum)) return t('common.form.min', { min: num(issue.minimum) });
  if (issue.code === 'too_big' && issue.origin === 'number' && num(issue.maximum)) return t('common.form.max', { max: num(issue.maximum) });
  if (issue.code === 'invalid_type' && issue.expected === 'int') return t('common.form.wholeNumber');
  return issue.message;
}

export function formMessages(): FormMessages {
  const t = i18n.global.t;
  return {
    required: t('common.form.required'),
    bceNeedsSigmoid: t('common.form.bceNeedsSigmoid'),
    latentTooLarge: (max) => t('common.form.latentTooLarge', { max }),
    enterNumber: t('common.form.enterNumber'),
    layer: (n, message) => t('common.form.layer', { n, message }),
    notWholeNumber: (part) => t('common.form.notWholeNumber', { part }),
    issue: issueText,
  };
}
