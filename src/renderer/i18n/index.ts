// The app's one vue-i18n instance (composition mode). Messages are namespaced modules under messages/<locale>/,
// merged here as { common: ..., wizard: ..., analytics: ... }, so `t('wizard.steps.dataset')`.
// vue-i18n 11 compiles messages to an AST and evaluates that (no `new Function`), so the strict CSP holds;
// the feature flags are defined in vite.web.config.ts and electron.vite.config.ts.
import { createI18n } from 'vue-i18n';
import enAnalytics from './messages/en/analytics';
import enCommon from './messages/en/common';
import enConnect from './messages/en/connect';
import enCurves from './messages/en/curves';
import enExplorer from './messages/en/explorer';
import enViews from './messages/en/views';
import enDataset from './messages/en/dataset';
import enErrors from './messages/en/errors';
import enExports from './messages/en/exports';
import enNav from './messages/en/nav';
import enNotes from './messages/en/notes';
import enSpace from './messages/en/space';
import enStudies from './messages/en/studies';
import enTraining from './messages/en/training';
import enTrials from './messages/en/trials';
import enWizard from './messages/en/wizard';
import zhAnalytics from './messages/zh/analytics';
import zhCommon from './messages/zh/common';
import zhConnect from './messages/zh/connect';
import zhCurves from './messages/zh/curves';
import zhExplorer from './messages/zh/explorer';
import zhViews from './messages/zh/views';
import zhDataset from './messages/zh/dataset';
import zhErrors from './messages/zh/errors';
import zhExports from './messages/zh/exports';
import zhNav from './messages/zh/nav';
import zhNotes from './messages/zh/notes';
import zhSpace from './messages/zh/space';
import zhStudies from './messages/zh/studies';
import zhTraining from './messages/zh/training';
import zhTrials from './messages/zh/trials';
import zhWizard from './messages/zh/wizard';

export const en = {
  common: enCommon,
  nav: enNav,
  dataset: enDataset,
  training: enTraining,
  trials: enTrials,
  studies: enStudies,
  wizard: enWizard,
  space: enSpace,
  analytics: enAnalytics,
  exports: enExports,
  errors: enErrors,
  notes: enNotes,
  curves: enCurves,
  explorer: enExplorer,
  views: enViews,
  connect: enConnect,
};

/** The shape every locale must have (the zh modules are typed against the en ones). */
export type MessageSchema = typeof en;

export const zh: MessageSchema = {
  common: zhCommon,
  nav: zhNav,
  dataset: zhDataset,
  training: zhTraining,
  trials: zhTrials,
  studies: zhStudies,
  wizard: zhWizard,
  space: zhSpace,
  analytics: zhAnalytics,
  exports: zhExports,
  errors: zhErrors,
  notes: zhNotes,
  curves: zhCurves,
  explorer: zhExplorer,
  views: zhViews,
  connect: zhConnect,
};

export const LOCALES = ['en', 'zh'] as const;
export type AppLocale = (typeof LOCALES)[number];

/** Native names, shown in the language switch whatever the current language is. */
export const LOCALE_NAMES: Record<AppLocale, string> = { en: 'English', zh: '简体中文' };

/** BCP 47 tags for <html lang> and Intl formatting. */
export const LOCALE_TAGS: Record<AppLocale, string> = { en: 'en', zh: 'zh-CN' };

export function isAppLocale(v: unknown): v is AppLocale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The stored choice, else the system language (Chinese variants -> zh), else English. */
export function pickLocale(stored: string | null, systemLanguages: readonly string[]): AppLocale {
  if (isAppLocale(stored)) return stored;
  for (const lang of systemLanguages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

export function createAppI18n(locale: AppLocale = 'en') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, zh },
    // Strings come from our own modules only; no HTML in messages (rich text uses <i18n-t> slots).
    warnHtmlMessage: false,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;

/** The instance the app installs; stores translate through `i18n.global.t`. */
export const i18n = createAppI18n();

export function setI18nLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
}

export function currentLocale(): AppLocale {
  const l = i18n.global.locale.value;
  return isAppLocale(l) ? l : 'en';
}
