// App-wide UI state: language, colour theme, and where the user is (read from the router: router.ts).
// Other screens read `theme` (e.g. components/charts/EChart.vue re-reads the chart colours) and `locale`,
// and call `go(section)`, `openStudy(name, view)` or `openTrial(id)` to move, which pushes a route.
import { defineStore } from 'pinia';
import { computed, hasInjectionContext, inject, ref, watch } from 'vue';
import { createMemoryHistory, routerKey, type LocationQueryRaw } from 'vue-router';
import { currentLocale, isAppLocale, LOCALE_TAGS, pickLocale, setI18nLocale, type AppLocale } from '../i18n';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';
import { comparedNames, compareStudiesRoute, createAppRouter, locationOf, sectionRoute, studyRoute, trialRoute, type Router, type Section, type StudyView } from '../router';

export { isSection, SECTIONS, type Section, type StudyView } from '../router';

export type Theme = 'light' | 'dark';
export type ThemePreference = 'system' | Theme;

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
  const darkMedia = darkQuery();
  const systemDark = ref(darkMedia?.matches ?? false);
  darkMedia?.addEventListener?.('change', (e) => {
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

  // ---- navigation (the route is the truth) ----
  // The app installs its hash router (main.ts); a component test that mounts a page without one gets a
  // memory-history router here, so the same code paths run.
  const router: Router = (hasInjectionContext() ? inject(routerKey, null) : null) ?? createAppRouter(createMemoryHistory());
  const location = computed(() => locationOf(router.currentRoute.value));
  const section = computed<Section>(() => location.value.section);
  /** The study shown under Studies (and in the window title), or null for the list. */
  const studyName = computed<string | null>(() => (location.value.section === 'studies' ? location.value.studyName : null));
  const studyView = computed<StudyView>(() => location.value.studyView);
  /** The trial shown in the Trials section, or null. */
  const trialId = computed<number | null>(() => location.value.trialId);
  /** The address typed or pasted that matches no view, or null. */
  const notFound = computed<string | null>(() => location.value.notFound);
  /** Studies side by side are shown (#/compare-studies), and which (the address's `study` values, in order). */
  const comparing = computed(() => location.value.comparing);
  const comparedStudies = computed<string[]>(() => (comparing.value ? comparedNames(router.currentRoute.value.query.study) : []));
  /** The current route's path (without the query): a change is a new view. */
  const path = computed(() => router.currentRoute.value.path);
  /** The current route's query (view state such as `?trial=12&compare=3,5`), strings only. */
  const query = computed<Record<string, string>>(() => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(router.currentRoute.value.query)) if (typeof v === 'string') out[k] = v;
    return out;
  });

  /**
   * The study the user last opened (the header's chip, the side navigation's hint), kept while other sections
   * are shown; cleared by going back to the list.
   */
  const currentStudy = ref<string | null>(null);
  watch(studyName, (n) => {
    if (n) currentStudy.value = n;
  }, { immediate: true });

  /** Shows a section; Studies returns to the study last opened, if any. */
  function go(s: Section): Promise<unknown> {
    if (s === 'studies' && currentStudy.value) return router.push(studyRoute(currentStudy.value));
    return router.push(sectionRoute(s));
  }
  /** Shows a study's view, or with `null` the list of studies. */
  function openStudy(name: string | null, view: StudyView = 'dashboard', q: Record<string, string> = {}): Promise<unknown> {
    if (name === null) currentStudy.value = null;
    return router.push(name === null ? sectionRoute('studies') : studyRoute(name, view, q));
  }
  /** Shows studies side by side; a changed pick replaces the address (one history entry per comparison). */
  function compareStudies(names: readonly string[], options: { replace?: boolean } = {}): Promise<unknown> {
    const to = compareStudiesRoute(comparedNames([...names]));
    return options.replace ? router.replace(to) : router.push(to);
  }
  function openTrial(id: number | null): Promise<unknown> {
    return router.push(id === null ? sectionRoute('trials') : trialRoute(id));
  }
  /**
   * Changes view state in the address without a new history entry (a focused trial, a comparison), so a reload
   * or a pasted link shows it; `null` removes a key.
   */
  function setQuery(patch: Record<string, string | null>, options: { push?: boolean } = {}): Promise<unknown> {
    const next: LocationQueryRaw = { ...router.currentRoute.value.query };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    return options.push ? router.push({ query: next }) : router.replace({ query: next });
  }
  /** The address of a view, for links (`#/studies/x` in the app). */
  function href(to: Parameters<Router['resolve']>[0]): string {
    return router.resolve(to).href;
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
    currentStudy,
    trialId,
    notFound,
    path,
    query,
    go,
    openStudy,
    openTrial,
    comparing,
    comparedStudies,
    compareStudies,
    setQuery,
    href,
  };
});

/** Trial ids from an address's query value (`3,5,9`); anything else in it is dropped. */
export function parseTrialIds(value: string | undefined): number[] {
  if (!value) return [];
  return [...new Set(value.split(',').filter((p) => /^\d+$/.test(p)).map(Number))];
}

/** For code that only has a string (e.g. a <select> value). */
export function asLocale(v: unknown): AppLocale | null {
  return isAppLocale(v) ? v : null;
}

/** The window/document title: the app, and the study or section in front. */
export function windowTitle(appName: string, context: string | null): string {
  return context ? `${context} — ${appName}` : appName;
}
