// Small, failure-proof access to localStorage for remembered UI choices (language, theme, last folder, last
// spec). Storage can be missing or throw (quota, privacy settings): then nothing is remembered, nothing breaks.

const PREFIX = 'latent-lab.';

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function store(): KeyValueStore | null {
  try {
    return (globalThis as unknown as { localStorage?: KeyValueStore }).localStorage ?? null;
  } catch {
    return null;
  }
}

export function readStored(key: string): string | null {
  try {
    return store()?.getItem(PREFIX + key) ?? null;
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string | null): void {
  try {
    const s = store();
    if (!s) return;
    if (value === null) s.removeItem(PREFIX + key);
    else s.setItem(PREFIX + key, value);
  } catch {
    // not remembered; the app works the same
  }
}

export const STORAGE_KEYS = {
  locale: 'locale',
  theme: 'theme',
  lastFolder: 'lastFolder',
  lastSpec: 'lastSpec',
} as const;
