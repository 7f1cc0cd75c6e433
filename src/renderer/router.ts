// Addresses of the app's views (issue 14 "Links"): hash routes, so they work under Electron's app:// and the
// browser bridge alike, back/forward move between views, a reload keeps the view and a link can be pasted.
//
// The route is the source of truth for where the user is; the ui store (stores/ui.ts) reads it and its go /
// openStudy / openTrial push new routes. Pages render from the store, not from <RouterView>, so component tests
// that mount a page without a router still work (the store then uses a memory-history router of its own).
//
// Adding a view of one study (e.g. an explorer): add its id to STUDY_VIEWS, a loader to STUDY_VIEW_PAGES in
// components/layout/StudiesSection.vue, and `studies.view.<id>` in both languages. Its address is
// #/studies/<name>/<id>; the dashboard's is #/studies/<name>.
import { createRouter, createWebHashHistory, type RouteLocationRaw, type Router, type RouterHistory } from 'vue-router';

/** The side navigation's sections, in order. */
export const SECTIONS = ['newStudy', 'studies', 'dataset', 'train', 'trials'] as const;
export type Section = (typeof SECTIONS)[number];

/** The views of one study, in tab order; the first is the study's default view. */
export const STUDY_VIEWS = ['dashboard', 'analytics', 'explorer'] as const;
export type StudyView = (typeof STUDY_VIEWS)[number];

export function isSection(v: unknown): v is Section {
  return typeof v === 'string' && (SECTIONS as readonly string[]).includes(v);
}
export function isStudyView(v: unknown): v is StudyView {
  return typeof v === 'string' && (STUDY_VIEWS as readonly string[]).includes(v);
}

/** Where the user is, as the app understands it (parsed from the route). */
export interface AppLocation {
  section: Section;
  /** The open study (section 'studies'), or null for the list. */
  studyName: string | null;
  studyView: StudyView;
  /** The trial shown in the Trials section (a trial id), or null. */
  trialId: number | null;
  /** The address matched no view: it is shown, with a way out (never silently replaced). */
  notFound: string | null;
  /** Studies side by side (#/compare-studies?study=a&study=b), under the Studies section. */
  comparing: boolean;
}

const SECTION_PATHS: Record<Section, string> = {
  newStudy: '/new',
  studies: '/studies',
  dataset: '/dataset',
  train: '/train',
  trials: '/trials',
};

// Pages render from the ui store (see above), so a route's component is never shown: an empty one.
const NoView = { render: () => null };

export const routes = [
  { path: '/', redirect: SECTION_PATHS.newStudy },
  { path: SECTION_PATHS.newStudy, name: 'newStudy', component: NoView },
  { path: SECTION_PATHS.studies, name: 'studies', component: NoView },
  { path: '/compare-studies', name: 'compareStudies', component: NoView },
  { path: `${SECTION_PATHS.studies}/:name`, name: 'study', component: NoView },
  { path: `${SECTION_PATHS.studies}/:name/:view`, name: 'studyView', component: NoView },
  { path: SECTION_PATHS.dataset, name: 'dataset', component: NoView },
  { path: SECTION_PATHS.train, name: 'train', component: NoView },
  { path: SECTION_PATHS.trials, name: 'trials', component: NoView },
  { path: `${SECTION_PATHS.trials}/:trialId(\\d+)`, name: 'trial', component: NoView },
  { path: '/:rest(.*)*', name: 'notFound', component: NoView },
];

/** The route of a section (its list or form, no study or trial open). */
export function sectionRoute(section: Section): RouteLocationRaw {
  return { name: section };
}

/** The route of a study's view; `query` carries view state such as the focused or compared trials. */
export function studyRoute(name: string, view: StudyView = 'dashboard', query: Record<string, string> = {}): RouteLocationRaw {
  return view === 'dashboard' ? { name: 'study', params: { name }, query } : { name: 'studyView', params: { name, view }, query };
}

/** At most this many studies are compared at once (more lines than a reader can tell apart). */
export const MAX_COMPARED = 4;

/** Study names from the address (`?study=a&study=b`): strings only, duplicates and empties dropped, at most MAX_COMPARED. */
export function comparedNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && v.length > 0))].slice(0, MAX_COMPARED);
}

/** The route of studies side by side (names in the query, in order). */
export function compareStudiesRoute(names: readonly string[]): RouteLocationRaw {
  return { name: 'compareStudies', query: names.length ? { study: [...names] } : {} };
}

export function trialRoute(trialId: number): RouteLocationRaw {
  return { name: 'trial', params: { trialId: String(trialId) } };
}

interface RouteLike {
  name?: unknown;
  params: Record<string, string | string[] | undefined>;
  fullPath: string;
  matched: readonly unknown[];
}

function param(route: RouteLike, key: string): string | null {
  const v = route.params[key];
  return typeof v === 'string' ? v : null;
}

/** Parses a route into the app's location. An unknown study view or path is `notFound`, not a default. */
export function locationOf(route: RouteLike): AppLocation {
  const base: AppLocation = { section: 'newStudy', studyName: null, studyView: 'dashboard', trialId: null, notFound: null, comparing: false };
  // Before the first navigation has finished (START_LOCATION) nothing matched yet: the default section.
  if (route.matched.length === 0) return base;
  const name = route.name;
  if (name === 'study' || name === 'studyView') {
    const view = name === 'study' ? 'dashboard' : param(route, 'view');
    if (!isStudyView(view)) return { ...base, section: 'studies', notFound: route.fullPath };
    return { ...base, section: 'studies', studyName: param(route, 'name'), studyView: view };
  }
  if (name === 'compareStudies') return { ...base, section: 'studies', comparing: true };
  if (name === 'trial') return { ...base, section: 'trials', trialId: Number(param(route, 'trialId')) };
  if (isSection(name)) return { ...base, section: name };
  return { ...base, notFound: route.fullPath };
}

/** The app's router; hash history in the app, memory history in tests. */
export function createAppRouter(history: RouterHistory = createWebHashHistory()): Router {
  return createRouter({ history, routes });
}

export type { Router };
