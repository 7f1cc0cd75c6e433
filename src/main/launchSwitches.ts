// Development switches of the Electron main process, decided once from the launch facts. Each is inert in a
// packaged build, and in development it must be asked for explicitly: an environment variable left behind
// on a user's machine must not open DevTools or make another origin trusted for IPC. No Electron import:
// index.ts passes app.isPackaged and process.env in (tested under plain Node).

import { readConfig } from '../core/config';

export interface LaunchFacts {
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
}

export interface LaunchSwitches {
  /** DevTools: LATENT_LAB_DEVTOOLS=1 in an unpackaged run only. */
  devTools: boolean;
  /**
   * The Vite dev server the window loads instead of app://, trusted for IPC: only under `electron-vite dev`
   * (which sets NODE_ENV_ELECTRON_VITE=development), unpackaged, and only a loopback http address.
   */
  rendererUrl: string | null;
}


function loopbackHttpUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
    return u.protocol === 'http:' && loopback && !u.username && !u.password ? u.origin : null;
  } catch {
    return null;
  }
}

export function launchSwitches({ isPackaged, env }: LaunchFacts): LaunchSwitches {
  if (isPackaged) return { devTools: false, rendererUrl: null };
  const viteDev = env.NODE_ENV_ELECTRON_VITE === 'development';
  return {
    devTools: readConfig(env).devTools,
    rendererUrl: viteDev ? loopbackHttpUrl(env.ELECTRON_RENDERER_URL) : null,
  };
}
