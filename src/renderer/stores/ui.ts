// App-wide UI state: language, colour theme, which section is shown and which study is open.
// Other screens read `theme` (e.g. components/charts/EChart.vue re-reads the chart colours) and `locale`,
// and call `openStudy(name)` to show a study.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { currentLocale, isAppLocale, LOCALE_TAGS, pickLocale, setI18nLocale, type AppLocale } from '../i18n';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';

export type Theme = 'light' | 'dark';
export type ThemePreference = 'system' | Theme;
export type Section = 'newStudy' | 'studies' | 'dataset' | 'train' | 'trials';
export type StudyView = 'dashboard' | 'analytics';

export const SECTIONS: readonly Section[] = ['newStudy', 'studies', 'dataset', 'train', 'trials'];

export function isSection(v: unknown): v is Section {
  return typeof v === 'string' && (SECTIONS as readonly string[]).includes(v);
}

interface MediaQueryLike {
  matches: boolean;
  addEventListener?(type: 'change', cb: (e: { matches: boolean }) => void): void;
}

/**
 * The few browser globals this store touches, typed here so the module also type-checks without the DOM lib
 * (the Node-side typecheck reaches it through component tests); every one may be missing (tests, SSR).
 */
interface BrowserGlobals {
  matchMedia?: (query: string) => MediaQueryLike;
  navigator?: { language?: string; languages?: readonly string[] };
  document?: {
    documentElement: { lang: string; dataset: Record<string, string | undefined>; style: { colorScheme: string } };
    querySelector(selector: string): { setAttribute(name: string, value: string): void } | null;
  };
}
const browser = globalThis as unknown as BrowserGlobals;

function darkQuery(): MediaQueryLike | null {
  try {
    return typeof browser.matchMedia === 'function' ? browser.matchMedia('(prefers-color-scheme: dark)') : null;
  } catch {
    return null;
  }
}

function systemLanguages(): readonly string[] {
  const nav = browser.navigator;
  if (!nav) return [];
  return nav.languages?.length ? nav.languages : nav.language ? [nav.language] : [];
}

/** Applies a theme to the document: the CSS variables switch on :root[data-theme], form controls on color-scheme. */
export function applyTheme(theme: Theme): void {
  const doc = browser.document;
  if (!doc) return;
  doc.documentElement.dataset.theme = theme;
  doc.documentElement.style.colorScheme = theme;
  doc.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme);
}

export const useUiStore = defineStore('ui', () => {
  // ---- language ----
  const locale = ref<AppLocale>(pickLocale(readStored(STORAGE_KEYS.locale), systemLanguages()));
  function setLocale(l: AppLocale): void {
    locale.value = l;
    writeStored(STORAGE_KEYS.locale, l);
  }
  watch(
    locale,
    (l) => {
      if (currentLocale() !== l) setI18nLocale(l);
      if (browser.document) browser.document.documentElement.lang = LOCALE_TAGS[l];
    },
    { immediate: true, flush: 'sync' },
  );

  // ---- theme ----
  const storedTheme = readStored(STORAGE_KEYS.theme);
  const themePreference = ref<ThemePreference>(storedTheme === 'light' || storedTheme === 'dark' ? storedTheme : 'system');
  const query = darkQuery();
  const systemDark = ref(query?.matches ?? false);
  query?.addEventListener?.('change', (e) => {
    systemDark.value = e.matches;
  });
  /** The theme in effect: the user's choice, else the system's (prefers-color-scheme). */
  const theme = computed<Theme>(() => (themePreference.value === 'system' ? (systemDark.value ? 'dark' : 'light') : themePreference.value));
  // sync: the CSS variables must have switched before anything reacting to `theme` reads them
  watch(theme, applyTheme, { immediate: true, flush: 'sync' });

  function setThemePreference(p: ThemePreference): void {
    themePreference.value = p;
    writeStored(STORAGE_KEYS.theme, p === 'system' ? null : p);
  }
  function toggleTheme(): void {
    setThemePreference(theme.value === 'dark' ? 'light' : 'dark');
  }

  // ---- navigation ----
  const section = ref<Section>('newStudy');
  /** The study shown under Studies (and in the window title), or null for the list. */
  const studyName = ref<string | null>(null);
  const studyView = ref<StudyView>('dashboard');

  function go(s: Section): void {
    section.value = s;
  }
  function openStudy(name: string | null, view: StudyView = 'dashboard'): void {
    studyName.value = name;
    studyView.value = view;
    section.value = 'studies';
  }

  return {
    locale,
    setLocale,
    theme,
    themePreference,
    setThemePreference,
    toggleTheme,
    section,
    studyName,
    studyView,
    go,
    openStudy,
  };
});

/** For code that only has a string (e.g. a <select> value). */
export function asLocale(v: unknown): AppLocale | null {
  return isAppLocale(v) ? v : null;
}

/** The window/document title: the app, and the study or section in front. */
export function windowTitle(appName: string, context: string | null): string {
  return context ? `${context} — ${appName}` : appName;
}
