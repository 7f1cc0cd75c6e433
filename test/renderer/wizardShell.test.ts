// @vitest-environment happy-dom
// The shell around the wizard: the header's language switch and theme toggle (remembered), the theme that
// follows prefers-color-scheme until the user picks one, the window title naming the open study, and the
// side navigation's keyboard support.
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../src/renderer/App.vue';
import { readStored, STORAGE_KEYS, writeStored } from '../../src/renderer/lib/storage';
import { MANUAL_STUDY } from '../../src/shared/dto';
import { trial } from './analyticsFixtures';
import { byTestId, clearStorage, click, control, installFakeEngine, mountApp, type FakeEngine } from './wizardHarness';

interface Doc {
  title: string;
  documentElement: { lang: string; dataset: Record<string, string | undefined> };
}
const doc = (): Doc => (globalThis as unknown as { document: Doc }).document;

/** Pretends the system prefers a dark (or light) colour scheme. */
function systemPrefersDark(dark: boolean): void {
  (globalThis as unknown as { window: { matchMedia: (q: string) => unknown } }).window.matchMedia = (q: string) => ({
    matches: dark && q.includes('dark'),
    media: q,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  });
}

let wrapper: VueWrapper | null = null;
let engine: FakeEngine;
beforeAll(() => {
  engine = installFakeEngine();
});
beforeEach(() => {
  clearStorage();
  systemPrefersDark(false);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

describe('header', () => {
  it('switches the language everywhere and remembers it', async () => {
    wrapper = await mountApp(App);
    expect(wrapper.get(byTestId('nav-newStudy')).text()).toContain('New study');
    await wrapper.get(byTestId('locale-select')).setValue('zh');
    await flushPromises();
    expect(wrapper.get(byTestId('nav-newStudy')).text()).toContain('新建研究');
    expect(wrapper.get(byTestId('wizard-step-dataset')).text()).toContain('数据集');
    expect(doc().documentElement.lang).toBe('zh-CN');
    expect(readStored(STORAGE_KEYS.locale)).toBe('zh');
    await wrapper.get(byTestId('locale-select')).setValue('en');
    await flushPromises();
    expect(wrapper.get(byTestId('nav-newStudy')).text()).toContain('New study');
  });

  it('follows the system colour scheme until the user picks a theme, then remembers the choice', async () => {
    systemPrefersDark(true);
    wrapper = await mountApp(App);
    expect(doc().documentElement.dataset.theme).toBe('dark');
    expect(readStored(STORAGE_KEYS.theme)).toBeNull();
    await click(wrapper, byTestId('theme-toggle'));
    expect(doc().documentElement.dataset.theme).toBe('light');
    expect(wrapper.get(byTestId('theme-toggle')).attributes('aria-pressed')).toBe('false');
    expect(readStored(STORAGE_KEYS.theme)).toBe('light');
  });

  it('starts in the remembered theme', async () => {
    writeStored(STORAGE_KEYS.theme, 'dark');
    wrapper = await mountApp(App);
    expect(doc().documentElement.dataset.theme).toBe('dark');
    expect(wrapper.get(byTestId('theme-toggle')).attributes('aria-label')).toBe('Switch to the light theme');
  });
});

describe('navigation and title', () => {
  it('names the app and the section, and moves between sections with the arrow keys', async () => {
    wrapper = await mountApp(App);
    expect(doc().title).toBe('New study — Latent Lab');
    await wrapper.get(byTestId('nav-newStudy')).trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();
    expect(wrapper.find(byTestId('panel-studies')).exists()).toBe(true);
    expect(doc().title).toBe('Studies — Latent Lab');
    expect(wrapper.find(byTestId('studies-empty')).text()).toMatch(/Create a study/);
    await wrapper.get(byTestId('nav-studies')).trigger('keydown', { key: 'End' });
    await flushPromises();
    expect(wrapper.find(byTestId('panel-trials')).exists()).toBe(true);
  });

  it('names the open study in the title and the header after Start', async () => {
    wrapper = await mountApp(App);
    await click(wrapper, byTestId('wizard-step-review'));
    await wrapper.get(byTestId('wizard-name')).setValue('title-study');
    await click(wrapper, byTestId('wizard-start'));
    await flushPromises();
    expect(doc().title).toBe('title-study — Latent Lab');
    expect(wrapper.get(byTestId('header-study')).text()).toContain('title-study');
    expect(control(wrapper, byTestId('locale-select')).value).toBe('en');
  });
});

describe('side navigation while something runs (issue 14 defect 6)', () => {
  it('shows the Model & training page live only for a manual trial, not for a study\'s running trial', async () => {
    const previous = engine.handlers['trials.list'];
    try {
      engine.handlers['trials.list'] = () => [trial({ id: 7, state: 'RUNNING', epochsDone: 1 })]; // a study's trial
      wrapper = await mountApp(App);
      expect(wrapper.get(byTestId('nav-train')).find('.nav__busy').exists()).toBe(false);
      expect(wrapper.get(byTestId('nav-train')).text()).not.toMatch(/Epoch|Starting/);
      wrapper.unmount();

      engine.handlers['trials.list'] = () => [{ ...trial({ id: 8, state: 'RUNNING', epochsDone: 1 }), studyName: MANUAL_STUDY }];
      wrapper = await mountApp(App);
      expect(wrapper.get(byTestId('nav-train')).find('.nav__busy').exists()).toBe(true);
    } finally {
      engine.handlers['trials.list'] = previous;
    }
  });
});
