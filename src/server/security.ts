// The pure, Electron-free parts of the window's security: the Content-Security-Policy, which URLs the window
// may navigate to or fetch, which frames may call the IPC contract, and how app:// URLs map to files.
// Everything here is unit-tested under plain Node (test/server/security.test.ts).
import path from 'node:path';
import { decodeUrlPath, staticFileFor } from './staticFiles';

/** The privileged custom scheme the built renderer is served from (see appProtocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'latent-lab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export interface CspOptions {
  /** Vite dev server (electron-vite dev only): allows its HMR websocket and injected styles. */
  devServerUrl?: string;
}

/**
 * The renderer's Content-Security-Policy. Keep it in step with the meta tag in src/renderer/index.html:
 * both are enforced, so the page gets the stricter of the two. No 'unsafe-eval', no inline scripts, no remote
 * origins.
 */
export function buildCsp(opts: CspOptions = {}): string {
  const connect = ["'self'"];
  const style = ["'self'"];
  if (opts.devServerUrl) {
    const dev = new URL(opts.devServerUrl);
    const ws = dev.protocol === 'https:' ? 'wss:' : 'ws:';
    connect.push(`${ws}//${dev.host}`);
    style.push("'unsafe-inline'"); // Vite's dev server injects CSS as <style> elements
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': style,
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': connect,
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when both URLs belong to the same app origin. Compares scheme and host explicitly: WHATWG `origin` is
 * the string "null" for custom schemes such as app:, so it cannot be used. file: URLs have no host, so for
 * them the whole path must match.
 */
export function isSameApp(url: string, appUrl: string): boolean {
  const a = parse(url);
  const b = parse(appUrl);
  if (!a || !b) return false;
  if (a.protocol !== b.protocol) return false;
  if (a.username || a.password) return false;
  if (a.protocol === 'file:') return a.pathname === b.pathname;
  return a.host !== '' && a.host === b.host;
}

/** `will-navigate` / `will-redirect`: the window only ever shows the app itself. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return isSameApp(url, appUrl);
}

/** An IPC call is honoured only from a frame showing the app (a top-level frame; checked by the caller). */
export function isTrustedSender(frameUrl: string | null | undefined, appUrl: string): boolean {
  return typeof frameUrl === 'string' && isSameApp(frameUrl, appUrl);
}

/**
 * Network requests the session lets through: the app origin (and the dev server in development) plus
 * in-memory data: / blob: and devtools. Everything remote is cancelled: Latent Lab works offline.
 */
export function isAllowedRequest(url: string, appUrl: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true;
  if (isSameApp(url, appUrl)) return true;
  // The dev server's HMR websocket lives on the same host as the http app URL.
  const app = parse(appUrl);
  return !!app && app.protocol === 'http:' && u.protocol === 'ws:' && u.host === app.host;
}

/** The only sites a link may open in the system browser (after the user confirms). */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'www.tensorflow.org', 'optuna.org'];

/**
 * A link the renderer tried to open in a new window: returned (normalised) only when it is a plain https URL
 * without credentials or an explicit port, on one of EXTERNAL_HOSTS; main then asks the user before handing
 * it to the system browser. Everything else is refused.
 */
export function externalUrlToOpen(url: string): string | null {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port) return null;
  return EXTERNAL_HOSTS.includes(u.hostname) ? u.href : null;
}

/**
 * Maps an app:// request URL to a file inside `rootDir`, or null when the URL is for another host, is
 * malformed, or would escape the folder (`..`, encoded separators, absolute paths). "/" serves index.html.
 * Symbolic links are checked when the file is read (readStaticFile).
 */
export function resolveAppFile(url: string, rootDir: string): string | null {
  const u = parse(url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const decoded = decodeUrlPath(u.pathname);
  return decoded === null ? null : staticFileFor(decoded, rootDir);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
