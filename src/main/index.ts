// Electron main process: app lifecycle only. Builds the services (shared with browser mode), wires IPC, opens
// the window. Security policy: security.ts (pure) + window.ts / appProtocol.ts (wiring).
import path from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import { resolveLocations } from '../core/paths';
import { createErrorLog } from '../server/errorLog';
import { createAppServices } from '../server/services/appServices';
import type { AppServices } from '../server/services/types';
import { registerAppScheme, serveAppProtocol } from './appProtocol';
import { createElectronSpawnTrainer } from './electronTrainer';
import { registerIpc } from './ipc';
import { APP_URL, buildCsp } from '../server/security';
import { findSqliteBinding, missingBindingMessage, SQLITE_BINDING_ENV } from './sqliteBinding';
import { confirmTypedFolder, pickFolder } from './dialogs';
import { watchSpecFiles, type SpecFileOpener } from './specFiles';
import { launchSwitches } from './launchSwitches';
import { keychainCredentials } from './keychainCredentials';
import { createMainWindow, hardenWebContents, installSessionSecurity } from './window';

// Everything is built next to this file: out/main/{index,trainer}.js, out/preload/index.cjs, out/renderer/.
const outDir = path.resolve(import.meta.dirname, '..');
// Development switches (DevTools, the Vite dev server) only when asked for, never in a packaged build.
const switches = launchSwitches({ isPackaged: app.isPackaged, env: process.env });
const devServerUrl = switches.rendererUrl ?? undefined;
const appUrl = devServerUrl ?? APP_URL;
const csp = buildCsp({ devServerUrl });

const locations = resolveLocations();
// Unexpected errors of the main process and of every contract call go to <data folder>/logs/latent-lab.log.
const errorLog = createErrorLog(locations.dataDir);
process.on('uncaughtException', (err) => errorLog.error('main', err));
process.on('unhandledRejection', (reason) => errorLog.error('main (unhandled rejection)', reason));

let services: AppServices | null = null;
let disposeIpc: (() => void) | null = null;
let mainWindow: BrowserWindow | null = null;

registerAppScheme(); // must happen before 'ready'
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appUrl));

function openWindow(): void {
  mainWindow = createMainWindow({
    appUrl,
    preloadPath: path.join(outDir, 'preload', 'index.cjs'),
    devTools: switches.devTools,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/**
 * better-sqlite3 under Electron needs the Electron-ABI build; storage and the trainer read it from the env.
 * A packaged app's node_modules copy is that build already, and the variable is cleared there.
 */
function useElectronSqliteBinding(): string | null {
  const binding = findSqliteBinding({
    electronVersion: process.versions.electron,
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
  });
  if (binding) process.env[SQLITE_BINDING_ENV] = binding;
  else {
    delete process.env[SQLITE_BINDING_ENV];
    if (!app.isPackaged) console.warn(`[main] ${missingBindingMessage(process.versions.electron)}`);
  }
  return binding;
}

async function start(): Promise<void> {
  const sqliteBinding = useElectronSqliteBinding();
  installSessionSecurity(session.defaultSession, appUrl, csp);
  serveAppProtocol(session.defaultSession, path.join(outDir, 'renderer'), csp);

  try {
    services = await createAppServices({
      mode: 'electron',
      locations,
      log: errorLog,
      spawnTrainer: createElectronSpawnTrainer({ modulePath: path.join(outDir, 'main', 'trainer.js'), sqliteBinding, isPackaged: app.isPackaged }),
      pickFolder,
      confirmPath: confirmTypedFolder,
      credentials: keychainCredentials(locations.dataDir),
    });
  } catch (err) {
    errorLog.error('startup', err);
    const message = err instanceof Error ? err.message : String(err);
    const hint = sqliteBinding || app.isPackaged ? '' : `\n\n${missingBindingMessage(process.versions.electron)}`;
    dialog.showErrorBox('Latent Lab could not start', `${message}${hint}\n\nDetails: ${errorLog.file}`);
    app.exit(1);
    return;
  }

  disposeIpc = registerIpc(services, { appUrl, windows: () => BrowserWindow.getAllWindows() });
  openWindow();
  specFiles?.ready(services);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

// One instance owns the database and the trainer; a second launch focuses the first window (and hands it
// the study spec files it was opened with).
let specFiles: SpecFileOpener | null = null;
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  specFiles = watchSpecFiles();
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Stop the trainer and close the database before exiting (bounded, so quitting never hangs).
  app.on('will-quit', (event) => {
    const running = services;
    if (!running) return;
    services = null;
    event.preventDefault();
    disposeIpc?.();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000));
    void Promise.race([running.dispose(), timeout])
      .catch((err: unknown) => errorLog.error('shutdown', err))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      errorLog.error('startup', err);
      app.exit(1);
    });
}
