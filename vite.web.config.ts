// Builds the renderer (src/renderer) into out/renderer. The same bundle is loaded by the Electron window
// (file://, hence base './') and served by the HTTP bridge in browser mode.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

/**
 * The dev server injects component styles as <style> elements and talks to its HMR websocket; the strict
 * CSP in index.html would block both. Relax it for `vite serve` only; builds keep the strict policy.
 */
function devCsp(): Plugin {
  return {
    name: 'latent-lab-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*");
    },
  };
}

/**
 * vue-i18n feature flags (its esm-bundler build reads them as globals). Composition API only; messages are
 * compiled to an AST at run time and evaluated without `new Function`, so the strict CSP (no eval) holds.
 */
export const vueI18nDefines = {
  __VUE_I18N_FULL_INSTALL__: 'true',
  __VUE_I18N_LEGACY_API__: 'false',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
};

export default defineConfig({
  root,
  base: './',
  plugins: [vue(), devCsp()],
  define: vueI18nDefines,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // ECharts + zod + Vue: one ~1 MB bundle is fine for a local desktop app.
    chunkSizeWarningLimit: 1500,
    // Modules run in source order whatever chunk they land in: main.ts configures zod (zodConfig.ts) before
    // any schema is built, even when the chunking puts zod and the shared schemas in a chunk of their own.
    rolldownOptions: { output: { strictExecutionOrder: true } },
  },
  server: { host: '127.0.0.1', port: 5174, strictPort: false },
});
