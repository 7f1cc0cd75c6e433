// electron-vite build of the desktop app:
//   main     src/main/index.ts -> out/main/index.js, src/core/trainer/entry.ts -> out/main/trainer.js (ESM)
//   preload  src/preload/index.ts -> out/preload/index.cjs (one self-contained CommonJS file: a sandboxed
//            preload can require nothing but a few electron modules)
//   renderer src/renderer -> out/renderer
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
const at = (...p: string[]): string => resolve(root, ...p);

// Native or heavy packages stay real imports resolved from node_modules at run time. `dependencies` are
// externalized by electron-vite already; this also covers optional/transitive ones (@tensorflow/tfjs-node,
// @tensorflow/tfjs-core) so they can never be bundled by accident.
const nativeExternals = ['better-sqlite3', 'sharp', /^sharp\//, /^@tensorflow\//];

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: at('src/main/index.ts'),
          trainer: at('src/core/trainer/entry.ts'),
        },
        external: nativeExternals,
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // Bundle everything (zod, src/shared) into the single file; only `electron` stays a require().
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: at('src/renderer'),
    plugins: [vue()],
    // vue-i18n feature flags: composition API only, no eval (same as vite.web.config.ts)
    define: {
      __VUE_I18N_FULL_INSTALL__: 'true',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
      __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
    },
    build: {
      outDir: at('out/renderer'),
      emptyOutDir: true,
      // Source execution order across chunks (same as vite.web.config.ts): zod is configured before any schema.
      rolldownOptions: { output: { strictExecutionOrder: true } },
    },
  },
});
