// Development switches of the Electron main process are inert in a packaged build and need an explicit
// request in development; LATENT_LAB_SQLITE_BINDING cannot load a .node file into a packaged app.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, withoutDevelopmentSwitches } from '../../src/core/config';
import { launchSwitches } from '../../src/main/launchSwitches';
import { findSqliteBinding, sqliteBindingCandidates } from '../../src/main/sqliteBinding';

const viteDev = { NODE_ENV_ELECTRON_VITE: 'development', ELECTRON_RENDERER_URL: 'http://localhost:5173' };

describe('launch switches', () => {
  it('opens DevTools only when asked for in development, never in a packaged build', () => {
    expect(launchSwitches({ isPackaged: false, env: {} }).devTools).toBe(false);
    expect(launchSwitches({ isPackaged: false, env: { LATENT_LAB_DEVTOOLS: '1' } }).devTools).toBe(true);
    expect(launchSwitches({ isPackaged: true, env: { LATENT_LAB_DEVTOOLS: '1' } }).devTools).toBe(false);
  });

  it('trusts ELECTRON_RENDERER_URL only under electron-vite dev, unpackaged, on loopback http', () => {
    expect(launchSwitches({ isPackaged: false, env: viteDev }).rendererUrl).toBe('http://localhost:5173');
    // A stray variable (no electron-vite dev), a packaged build, or a remote origin: ignored.
    expect(launchSwitches({ isPackaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } }).rendererUrl).toBeNull();
    expect(launchSwitches({ isPackaged: true, env: viteDev }).rendererUrl).toBeNull();
    for (const url of ['https://evil.example', 'http://evil.example:5173', 'http://user:pw@localhost:5173', 'file:///tmp/x.html', 'garbage']) {
      expect(launchSwitches({ isPackaged: false, env: { ...viteDev, ELECTRON_RENDERER_URL: url } }).rendererUrl, url).toBeNull();
    }
  });
});

describe('the Electron-ABI better-sqlite3 binding', () => {
  const facts = { electronVersion: '45.5.0', appPath: path.resolve('/dev/latent-lab') };

  it('honours LATENT_LAB_SQLITE_BINDING in development', () => {
    const env = { LATENT_LAB_SQLITE_BINDING: '/tmp/custom.node' };
    expect(sqliteBindingCandidates({ ...facts, isPackaged: false, env })[0]).toBe(path.resolve('/tmp/custom.node'));
  });

  it('ignores it (and every other lookup) in a packaged build', () => {
    const env = { LATENT_LAB_SQLITE_BINDING: '/tmp/evil.node' };
    expect(sqliteBindingCandidates({ ...facts, isPackaged: true, env })).toEqual([]);
    expect(findSqliteBinding({ ...facts, isPackaged: true, env }, () => true)).toBeNull();
  });
});

describe('the environment a packaged app gives its trainers', () => {
  it('drops the fault-point and DevTools switches, and keeps everything else', () => {
    const env = { LATENT_LAB_TEST_STOP_AT: 'trial.epoch!crash', LATENT_LAB_TEST_STOP_FILE: '/tmp/x', LATENT_LAB_DEVTOOLS: '1', LATENT_LAB_HOME: '/data', PATH: '/bin' };
    const stripped = withoutDevelopmentSwitches(env);
    expect(stripped).toEqual({ LATENT_LAB_HOME: '/data', PATH: '/bin' });
    expect(readConfig(stripped)).toMatchObject({ testStopAt: undefined, testStopFile: undefined, devTools: false, home: '/data' });
    expect(env.LATENT_LAB_TEST_STOP_AT).toBe('trial.epoch!crash'); // the caller's object is untouched
  });
});
