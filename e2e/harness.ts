// Shared setup of the end-to-end tests: the renderer built with vite into a private folder, Debian's Chromium
// via playwright-core, the real HTTP bridge on a temporary data folder, a page probe for console errors and CSP
// violations, and whole-page screenshots into e2e/artifacts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { startBridgeServer } from '../src/bridge/server';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const artifactsDir = path.join(root, 'e2e', 'artifacts');
/** The viewport every test page starts with. */
export const viewport = { width: 1440, height: 960 };

export type Bridge = Awaited<ReturnType<typeof startBridgeServer>>;

/**
 * The renderer build folder of one test file, under .tmp. Each file has its own: out/renderer is shared with
 * `npm start` and the electron-vite build, and another test file may be building at the same time.
 */
export function staticDirFor(name: string): string {
  return path.join(root, '.tmp', name);
}

/**
 * Builds the current renderer sources with vite.web.config.ts into a private folder. out/renderer is shared
 * with `npm start` and the electron-vite build, which may rewrite it while the tests run.
 */
export async function buildRenderer(outDir: string): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production'; // vitest sets 'test', which would give a development bundle
  try {
    await build({ configFile: path.join(root, 'vite.web.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/** Debian's Chromium (or CHROMIUM_PATH), headless, without background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * The real bridge, on loopback, serving the built renderer from staticDir with its data in dataDir. Each new
 * page (a new browser context) signs in through its own one-time launch address: bridge.newLaunchUrl().
 */
export function startBridge(dataDir: string, staticDir: string): Promise<Bridge> {
  return startBridgeServer({ dataDir, staticDir, host: '127.0.0.1' });
}

/** A new empty folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

export interface PageProbe {
  consoleErrors: string[];
  cspViolations: string[];
}

/** Records console errors, uncaught errors and CSP violations (both the event and Chromium's console report). */
export async function probe(page: Page): Promise<PageProbe> {
  const result: PageProbe = { consoleErrors: [], cspViolations: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') result.consoleErrors.push(msg.text());
    if (/Content Security Policy/i.test(msg.text())) result.cspViolations.push(msg.text());
  });
  page.on('pageerror', (err) => result.consoleErrors.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__reportCsp', (text: string) => result.cspViolations.push(text));
  await page.addInitScript(() => {
    // Typed by hand rather than through the DOM lib: name only what is used.
    type Violation = { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
    const g = globalThis as unknown as {
      document: { addEventListener(type: string, cb: (e: Violation) => void): void };
      __reportCsp(text: string): Promise<void>;
    };
    g.document.addEventListener('securitypolicyviolation', (e) => {
      void g.__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return result;
}

/**
 * Waits for a write's result (its files list) or its error note inside `scope` (e.g. an export panel's card).
 * A failed write fails at once with the page's message, and a timeout says what the scope showed, instead of
 * a bare timeout on the files list that hides both.
 */
export async function waitForWrite(scope: Locator, ids: { files: string; error: string }, timeout: number): Promise<void> {
  const error = scope.getByTestId(ids.error);
  try {
    await scope.getByTestId(ids.files).or(error).first().waitFor({ timeout });
  } catch (err) {
    const shown = (await scope.innerText({ timeout: 1_000 }).catch(() => '(not on the page)')).replace(/\s+/g, ' ').slice(0, 400);
    throw new Error(`Neither ${ids.files} nor ${ids.error} within ${timeout / 1000} s; the panel showed: ${shown}`, { cause: err });
  }
  if ((await error.count()) > 0) throw new Error(`The write failed: ${(await error.first().innerText()).replace(/\s+/g, ' ')}`);
}

export interface ScreenshotOptions {
  /** How long to wait after resizing: ECharts resizes on the next frame, then animates. Default 400 ms. */
  settleMs?: number;
  /** Upper bound on the grown viewport height. Default: none. */
  maxHeight?: number;
}

/** The app shell scrolls inside <main>; grow the viewport so a screenshot shows the whole section. */
export async function screenshotWhole(page: Page, file: string, options: ScreenshotOptions = {}): Promise<void> {
  const { settleMs = 400, maxHeight = Number.POSITIVE_INFINITY } = options;
  const current = page.viewportSize() ?? viewport;
  const needed = await page.evaluate(() => {
    type Box = { scrollHeight: number; clientHeight: number };
    const doc = (globalThis as unknown as { document: { documentElement: Box; querySelector(s: string): Box | null } }).document;
    const main = doc.querySelector('main');
    if (!main) return doc.documentElement.scrollHeight;
    return doc.documentElement.clientHeight + (main.scrollHeight - main.clientHeight);
  });
  await page.setViewportSize({ width: current.width, height: Math.min(maxHeight, Math.max(current.height, Math.ceil(needed))) });
  await page.waitForTimeout(settleMs);
  await page.screenshot({ path: path.join(artifactsDir, file), fullPage: true });
  await page.setViewportSize(current);
}
