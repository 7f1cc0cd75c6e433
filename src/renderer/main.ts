import './zodConfig'; // must stay the first import: configures zod before any schema is created
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setApi } from './api';
import './styles/theme.css';
import './styles/base.css';

async function boot(): Promise<void> {
  // `vite` dev server only: `?fake` runs the UI against an in-memory engine (dropped from production builds).
  if (import.meta.env.DEV && new URLSearchParams(window.location.search).has('fake')) {
    const { createFakeApi } = await import('./api/fakeApi');
    setApi(createFakeApi());
  }
  createApp(App).use(createPinia()).mount('#app');
}

void boot();
