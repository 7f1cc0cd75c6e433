// Saved passwords of shared study databases in the desktop app: encrypted with Electron's safeStorage (its key
// is kept by the OS keychain: Keychain, DPAPI, libsecret/kwallet) in <data folder>/connections.json. Where the
// OS offers no keychain, passwords are kept in memory only, and the connection form says so (kind 'memory').
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { memoryCredentials, type CredentialStore } from '../server/credentials';

export function keychainCredentials(dataDir: string): CredentialStore {
  if (!safeStorage.isEncryptionAvailable()) return memoryCredentials();
  const file = path.join(dataDir, 'connections.json');
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, string>): void => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  return {
    kind: 'keychain',
    async get(url) {
      const sealed = read()[url];
      return sealed ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : null;
    },
    async set(url, password) {
      write({ ...read(), [url]: safeStorage.encryptString(password).toString('base64') });
    },
    async delete(url) {
      const all = read();
      delete all[url];
      write(all);
    },
    list: async () => Object.keys(read()),
  };
}
