// The one app window and the session/webContents hardening around it. Policy decisions live in security.ts
// (pure, tested); this file wires them to Electron.
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { externalUrlToOpen, isAllowedNavigation, isAllowedRequest, isSameApp } from '../server/security';
import { confirmExternalLink } from './dialogs';

export interface MainWindowOptions {
  appUrl: string;
  preloadPath: string;
  /** Allow and open DevTools: only when asked for in development (launchSwitches.ts). */
  devTools: boolean;
}

/** Denies every permission, enforces the CSP on every response and cancels all remote requests. */
export function installSessionSecurity(ses: Session, appUrl: string, csp: string): void {
  // Only writing to the clipboard (the wizard's "Copy spec") from our own page; everything else is refused.
  ses.setPermissionRequestHandler((contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write' && isSameApp(contents.getURL(), appUrl)),
  );
  ses.setPermissionCheckHandler((_contents, permission, origin) => permission === 'clipboard-sanitized-write' && isSameApp(origin, appUrl));
  ses.setDevicePermissionHandler(() => false);

  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      const allowed = isAllowedRequest(details.url, appUrl);
      if (!allowed) console.warn(`[security] blocked request to ${details.url}`);
      callback({ cancel: !allowed });
    },
  );
  // app:// responses carry the CSP themselves (appProtocol.ts); this covers http (the dev server).
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}

/** Applied to every webContents the app creates (see index.ts 'web-contents-created'). */
export function hardenWebContents(contents: WebContents, appUrl: string): void {
  const guard = (event: { url: string; preventDefault(): void }): void => {
    if (!isAllowedNavigation(event.url, appUrl)) {
      event.preventDefault();
      console.warn(`[security] blocked navigation to ${event.url}`);
    }
  };
  contents.on('will-navigate', (event) => guard(event));
  contents.on('will-redirect', (event) => guard(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // No new windows, ever. An https link to an allowed host goes to the system browser, if the user agrees.
    const external = externalUrlToOpen(url);
    if (external) {
      void confirmExternalLink(external)
        .then((yes) => (yes ? shell.openExternal(external) : undefined))
        .catch(() => undefined);
    } else console.warn(`[security] refused to open ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Latent Lab',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: o.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: o.devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.once('did-fail-load', () => win.show());
  void win.loadURL(o.appUrl).catch((err: unknown) => {
    console.error(`[window] could not load ${o.appUrl}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (o.devTools) win.webContents.openDevTools({ mode: 'detach' });
  return win;
}
