// The installers' contents, checked without downloading Electron: the app is built (electron-vite, into a
// private folder), listed the way electron-builder.yml packs it, and every problem a packaged app would
// have is reported. Each check is also shown to fail on a configuration or build that breaks it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContents, listPackage, matchesAny, productionPackages, readFromDisk, type Listing } from '../../packaging/contents';
import { APP_ENTRIES, loadBuilderConfig, REQUIRED_FUSES, type BuilderConfig } from '../../packaging/config';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = path.join(root, '.tmp', `packaging-${process.pid}`);
const outDir = path.join(tmp, 'out');

let config: BuilderConfig;
let prodPackages: string[];
let listing: Listing;

const check = (l: Listing): string[] => checkContents({ listing: l, entries: APP_ENTRIES, read: readFromDisk(root, outDir) });

beforeAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'electron-vite'), ['build', '--outDir', outDir, '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  config = await loadBuilderConfig(root);
  prodPackages = productionPackages(root);
  listing = listPackage(config, { root, outDir, productionPackages: prodPackages });
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('packaging: what the installers contain', () => {
  it('packs the build and the production dependencies with no problem', () => {
    expect(check(listing)).toEqual([]);
    for (const entry of APP_ENTRIES) expect(listing.files.map((f) => f.path)).toContain(entry.path);
    // The native modules are there, on disk outside the archive.
    const natives = listing.files.filter((f) => f.path.endsWith('.node'));
    expect(natives.map((f) => f.path)).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(natives.some((f) => f.path.startsWith('node_modules/@img/sharp-'))).toBe(true);
    expect(natives.every((f) => f.unpacked)).toBe(true);
    // The trainer's WebAssembly backend, and nothing the renderer bundle already holds.
    expect(listing.files.filter((f) => f.path.startsWith('node_modules/@tensorflow/tfjs-backend-wasm/dist/') && f.path.endsWith('.wasm')).length).toBeGreaterThan(0);
    for (const bundled of ['vue', 'echarts', 'pinia', 'vue-i18n', 'tsx', 'electron', 'vite']) expect(listing.packages).not.toContain(`node_modules/${bundled}`);
  });

  it('keeps tfjs-node, when it is installed, wholly outside app.asar (its .node file and libtensorflow)', () => {
    for (const file of [
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/libtensorflow.so.2',
      'node_modules/@tensorflow/tfjs-node/deps/lib/tensorflow.dll',
      'node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.2.dylib',
    ]) {
      expect(matchesAny(config.asarUnpack, file)).toBe(true);
    }
  });

  it('fails when a native file would be packed inside app.asar', () => {
    const problems = check(listPackage({ ...config, asarUnpack: [] }, { root, outDir, productionPackages: prodPackages }));
    expect(problems).toContain(
      'native file packed inside app.asar, where it cannot be loaded: node_modules/better-sqlite3/build/Release/better_sqlite3.node (add it to asarUnpack)',
    );
    expect(problems.some((p) => p.includes('node_modules/@img/sharp-libvips-'))).toBe(true);
  });

  it('fails when a dev-only file or package would be packed', () => {
    const withSources = listPackage({ ...config, files: [...config.files, 'src/**/*'] }, { root, outDir, productionPackages: prodPackages });
    expect(check(withSources)).toContain('dev-only file packed: src/main/index.ts (the app is out/ and package.json)');
    fs.writeFileSync(path.join(outDir, 'main', 'index.js.map'), '{}');
    try {
      const l = listPackage({ ...config, files: config.files.filter((p) => p !== '!out/**/*.map') }, { root, outDir, productionPackages: prodPackages });
      expect(check(l)).toContain('source map packed: out/main/index.js.map');
    } finally {
      fs.rmSync(path.join(outDir, 'main', 'index.js.map'));
    }
    // A devDependency that ends up in the package (as if it were a dependency), and one nothing loads.
    const withVite = { ...listing, packages: [...listing.packages, 'node_modules/vite'] };
    expect(check(withVite)).toContain('devDependency packed: vite');
    const withTsx = listPackage({ ...config, files: config.files.filter((p) => !p.includes('tsx')) }, { root, outDir, productionPackages: prodPackages });
    expect(check(withTsx).some((p) => p.startsWith('packed but never loaded by the app: node_modules/tsx'))).toBe(true);
  });

  it('fails when an entry point or an import of the build does not resolve in the package', () => {
    const noPreload = { ...listing, files: listing.files.filter((f) => f.path !== 'out/preload/index.cjs') };
    expect(check(noPreload)).toContain('preload entry point missing: out/preload/index.cjs');
    const noTrainer = { ...listing, files: listing.files.filter((f) => f.path !== 'out/main/trainer.js') };
    expect(check(noTrainer)).toContain('trainer entry point missing: out/main/trainer.js');
    const noSqlite = {
      files: listing.files.filter((f) => !f.path.startsWith('node_modules/better-sqlite3/')),
      packages: listing.packages.filter((p) => p !== 'node_modules/better-sqlite3'),
    };
    expect(check(noSqlite).some((p) => /^out\/main\/.+ imports better-sqlite3, which is not packed$/.test(p))).toBe(true);
    const noChunks = { ...listing, files: listing.files.filter((f) => !f.path.startsWith('out/renderer/assets/')) };
    expect(check(noChunks).some((p) => p.startsWith('out/renderer/index.html refers to'))).toBe(true);
  });

  it('sets the Electron fuses (no run-as-node, NODE_OPTIONS or --inspect; encrypted cookies; asar only, checked)', () => {
    expect(config.electronFuses).toEqual(REQUIRED_FUSES);
  });

  it('builds for Linux, macOS and Windows with an icon and the study-spec file association', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.targets).toEqual({ linux: ['AppImage', 'deb'], mac: ['dmg'], win: ['nsis'] });
    for (const icon of config.icons) {
      const file = path.join(root, icon);
      expect(fs.existsSync(file), icon).toBe(true);
    }
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'latentlab' })]);
  });
});
