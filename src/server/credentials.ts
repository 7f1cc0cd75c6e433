// Passwords of shared study databases the user connected to. The desktop app keeps them with Electron's
// safeStorage (encrypted on disk, the key in the OS keychain: src/main/keychainCredentials.ts); browser mode
// and the CLI's `serve` keep them in this process's memory only, and say so (kind 'memory').
export interface CredentialStore {
  /** 'keychain': kept across restarts, encrypted with a key the OS keychain holds; 'memory': until the app quits. */
  readonly kind: 'keychain' | 'memory';
  /** The saved password of a (password-free) database address, or null. */
  get(url: string): Promise<string | null>;
  set(url: string, password: string): Promise<void>;
  delete(url: string): Promise<void>;
  /** The addresses that have a saved password. */
  list(): Promise<string[]>;
}

export function memoryCredentials(): CredentialStore {
  const saved = new Map<string, string>();
  return {
    kind: 'memory',
    get: async (url) => saved.get(url) ?? null,
    set: async (url, password) => void saved.set(url, password),
    delete: async (url) => void saved.delete(url),
    list: async () => [...saved.keys()],
  };
}
