// Shared by the wizard component tests: a fake engine behind the Electron preload interface (the renderer's
// api module picks it up from window.latentLab) and a mount helper with Pinia and the app's i18n instance.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { Component } from 'vue';
import type { EventName, MethodInput, MethodName, MethodOutput, PreloadApi } from '../../src/shared/contract';
import type { DatasetSummary } from '../../src/shared/dto';
import { AppError } from '../../src/shared/errors';
import { i18n, setI18nLocale, type AppLocale } from '../../src/renderer/i18n';
import { STORAGE_KEYS, writeStored } from '../../src/renderer/lib/storage';

type Handler<M extends MethodName> = (input: MethodInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
type Handlers = { [M in MethodName]?: Handler<M> };

export interface FakeEngine {
  calls: Array<{ method: MethodName; input: unknown }>;
  handlers: Handlers;
  callsOf(method: MethodName): unknown[];
}

export const SAMPLE_SUMMARY: DatasetSummary = {
  path: '/data/sample-mnist',
  imageCount: 10000,
  labeled: true,
  classes: Array.from({ length: 10 }, (_, i) => ({ name: String(i), count: 1000 })),
  width: 28,
  height: 28,
  channels: 1,
  preview: [{ file: '3/a.png', label: '3', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }],
  failures: [{ file: 'notes.txt', reason: 'not an image: unsupported extension .txt', code: 'UNSUPPORTED_EXTENSION', params: { ext: 'txt' } }],
  fromCache: true,
  loadMs: 42,
};

function defaultHandlers(): Handlers {
  return {
    'app.info': () => ({
      appVersion: '0.1.0',
      mode: 'browser',
      dataDir: '/data',
      dbPath: '/data/db.sqlite',
      backend: 'wasm',
      backendNote: '',
      backendNotes: [],
      tfjsVersion: '4.22.0',
      platform: 'linux',
      canPickFolder: false,
    }),
    'dataset.useSample': () => ({ path: SAMPLE_SUMMARY.path }),
    'dataset.open': (input) => ({ ...SAMPLE_SUMMARY, path: input.path, width: input.imageSize, height: input.imageSize, channels: input.channels }),
    'study.validate': () => ({ ok: true, errors: [], gridSize: null }),
    'study.start': (input) => ({ name: String((input.spec as { name?: unknown }).name) }),
    'studies.list': () => [],
    'trials.list': () => [],
  };
}

/** Installs a fake engine as window.latentLab (before the first getApi() call of the test file). */
export function installFakeEngine(): FakeEngine {
  const engine: FakeEngine = {
    calls: [],
    handlers: defaultHandlers(),
    callsOf: (method) => engine.calls.filter((c) => c.method === method).map((c) => c.input),
  };
  const api: PreloadApi = {
    invoke: async (method, input) => {
      engine.calls.push({ method, input });
      const handler = engine.handlers[method] as ((i: typeof input) => unknown) | undefined;
      if (!handler) return { ok: false, error: { code: 'NOT_IMPLEMENTED', params: { method }, message: `fake engine: ${method}` } };
      try {
        return { ok: true, value: (await handler(input)) as MethodOutput<typeof method> };
      } catch (err) {
        // As dispatch does: an AppError keeps its code and parameters, anything else is an internal error.
        if (err instanceof AppError) return { ok: false, error: { code: err.code, params: err.params, message: err.message } };
        return { ok: false, error: { code: 'INTERNAL', params: { logFile: 'fake-engine.log' }, message: String(err) } };
      }
    },
    on: (_event: EventName) => () => undefined,
  };
  (globalThis as unknown as { window: { latentLab?: PreloadApi } }).window.latentLab = api;
  return engine;
}

/** Mounts a component with a fresh Pinia and the app's i18n in the given language (remembered, as a user's choice). */
export async function mountApp(component: Component, locale: AppLocale = 'en'): Promise<VueWrapper> {
  const pinia = createPinia();
  setActivePinia(pinia);
  writeStored(STORAGE_KEYS.locale, locale);
  setI18nLocale(locale);
  const wrapper = mount(component, { global: { plugins: [pinia, i18n] } });
  await flushPromises();
  return wrapper;
}

export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sets a text input's value and lets Vue react. */
export async function type(wrapper: VueWrapper, testid: string, value: string): Promise<void> {
  await wrapper.get(`[data-testid="${testid}"]`).setValue(value);
  await flushPromises();
}

export async function click(wrapper: VueWrapper, selector: string): Promise<void> {
  await wrapper.get(selector).trigger('click');
  await flushPromises();
}

export const byTestId = (id: string): string => `[data-testid="${id}"]`;

/** The DOM state of a form control, without needing the DOM lib in the Node-side typecheck. */
interface ControlState {
  checked: boolean;
  disabled: boolean;
  value: string;
}
export function control(wrapper: VueWrapper, selector: string): ControlState {
  return wrapper.get(selector).element as unknown as ControlState;
}

/** Forgets everything the app remembered (language, theme, draft) between tests. */
export function clearStorage(): void {
  (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear();
}
