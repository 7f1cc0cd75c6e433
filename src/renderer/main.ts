import './zodConfig'; // must stay the first import: configures zod before any schema is created
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setApi } from './api';
import { i18n } from './i18n';
import { createAppRouter } from './router';
import { useUiStore } from './stores/ui';
import './styles/theme.css';
import './styles/base.css';

async function boot(): Promise<void> {
  // `vite` dev server only: `?fake` runs the UI against an in-memory engine (dropped from production builds).
  if (import.meta.env.DEV && new URLSearchParams(window.location.search).has('fake')) {
    const { createFakeApi } = await import('./api/fakeApi');
    setApi(createFakeApi());
  }
  const pinia = createPinia();
  // The router before the first store: the ui store reads where the user is from it.
  const app = createApp(App).use(pinia).use(i18n).use(createAppRouter());
  useUiStore(pinia); // applies the remembered language and theme before the first paint
  app.mount('#app');
}

void boot();
