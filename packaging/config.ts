// electron-builder.yml as electron-builder itself reads it: its own loader and its own schema validation
// (no download involved), reduced to what the packaging check looks at.
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { PackConfig, Entry } from './contents';

/** The packaged entry points; src/main/index.ts finds preload and trainer next to itself in out/. */
export const APP_ENTRIES: Entry[] = [
  { name: 'main', path: 'out/main/index.js' },
  { name: 'preload', path: 'out/preload/index.cjs' },
  { name: 'trainer', path: 'out/main/trainer.js' },
  { name: 'renderer', path: 'out/renderer/index.html' },
];

/**
 * The Electron fuses every installer must have: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect (each
 * would let anything that can start the app run arbitrary code as the user), cookies encrypted, the app
 * loaded only from its asar archive and that archive's integrity checked.
 */
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

export interface BuilderConfig extends PackConfig {
  appId: string;
  electronFuses: Record<string, boolean>;
  targets: Record<'linux' | 'mac' | 'win', string[]>;
  icons: string[];
  fileAssociations: { ext: string; name?: string }[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** `files` in any of its shapes (strings, or { filter } objects) as one list of patterns. */
function patterns(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.flatMap((item: unknown) => (typeof item === 'string' ? [item] : item && typeof item === 'object' ? strings((item as { filter?: unknown }).filter) : []));
}

const targetNames = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).flatMap((t: unknown) => (typeof t === 'string' ? [t] : t && typeof t === 'object' ? strings((t as { target?: unknown }).target) : []));

/** Loads and validates electron-builder.yml (throws with the builder's own message when it is invalid). */
export async function loadBuilderConfig(root: string): Promise<BuilderConfig> {
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  const platform = (name: 'linux' | 'mac' | 'win') => (config[name] ?? {}) as { target?: unknown; icon?: unknown };
  return {
    files: patterns(config.files),
    asarUnpack: strings(config.asarUnpack),
    appId: config.appId ?? '',
    electronFuses: { ...(config.electronFuses ?? {}) } as Record<string, boolean>,
    targets: { linux: targetNames(platform('linux').target), mac: targetNames(platform('mac').target), win: targetNames(platform('win').target) },
    icons: (['linux', 'mac', 'win'] as const).flatMap((p) => strings(platform(p).icon)),
    fileAssociations: (Array.isArray(config.fileAssociations) ? config.fileAssociations : config.fileAssociations ? [config.fileAssociations] : []).map((a) => ({
      ext: strings(a.ext).join(','),
      name: a.name ?? undefined,
    })),
  };
}
