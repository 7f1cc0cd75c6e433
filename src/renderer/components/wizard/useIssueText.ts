// Words a wizard issue (or a load problem) in the current language; parameter names become their labels.
import { useI18n } from 'vue-i18n';
import type { WizardIssue } from './issues';
import type { LoadProblem } from './specLoader';
import { useParamLabel } from '../analytics/chartLabels';

export function useIssueText(): { issueText: (issue: WizardIssue) => string; loadText: (p: LoadProblem) => string; paramLabel: (name: string) => string } {
  const { t, te } = useI18n();
  const paramLabel = useParamLabel();
  const withLabels = (params: Record<string, string | number> | undefined): Record<string, string | number> => {
    const out = { ...params };
    if (typeof out.param === 'string') out.param = paramLabel(out.param);
    return out;
  };
  return {
    issueText: (issue) => t(`wizard.errors.${issue.key}`, withLabels(issue.params)),
    loadText: (p) => (te(`wizard.load.${p.key}`) ? t(`wizard.load.${p.key}`, withLabels(p.params)) : t(`wizard.errors.${p.key}`, withLabels(p.params))),
    paramLabel,
  };
}
