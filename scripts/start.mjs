#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, otherwise browser mode (the HTTP bridge serving the
// built renderer on 127.0.0.1). Builds whatever is stale first. Set LATENT_LAB_BROWSER=1 to force browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const at = (...p) => path.join(root, ...p);
const electronDir = at('node_modules', 'electron');

/** Newest modification time under the given files/folders (0 when none exist). */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else max = Math.max(max, st.mtimeMs);
  };
  paths.forEach(visit);
  return max;
}

/** True when an output is missing or older than any input. */
function isStale(outputs, inputs) {
  if (!outputs.every((o) => fs.existsSync(o))) return true;
  const oldestOutput = Math.min(...outputs.map((o) => fs.statSync(o).mtimeMs));
  return newest(inputs) > oldestOutput;
}

/** Runs a command to completion with inherited stdio; resolves to its exit code. */
function run(command, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...opts });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      console.error(`Could not run ${path.basename(command)}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (os.constants.signals[signal] ?? 0));
    });
  });
}

const node = (script, args = []) => run(process.execPath, [script, ...args]);

function electronBinaryPath() {
  try {
    const rel = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(electronDir, 'dist');
    const bin = path.join(dist, rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** The Electron executable, downloading it once if needed; or the short reason it is unavailable. */
function findElectron() {
  if (!fs.existsSync(path.join(electronDir, 'package.json'))) return { reason: 'the electron package is not installed' };
  let bin = electronBinaryPath();
  if (!bin) {
    const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
      cwd: electronDir,
      encoding: 'utf8',
      timeout: 90_000,
    });
    bin = electronBinaryPath();
    if (!bin) {
      const why = install.error?.message ?? (install.stderr || install.stdout || '').trim().split('\n')[0];
      return { reason: `no Electron binary, and downloading it failed${why ? `: ${why.slice(0, 80)}` : ''}` };
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set' };
  }
  return { bin };
}

function electronSqliteBinding() {
  const version = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  return at('native', 'electron', version, 'better_sqlite3.node');
}

async function startBrowserMode() {
  const cli = at('bin', 'latent-lab.mjs');
  if (!fs.existsSync(cli)) {
    console.error('bin/latent-lab.mjs is missing; browser mode cannot start.');
    return 1;
  }
  const renderer = [at('out', 'renderer', 'index.html')];
  const inputs = [at('src', 'renderer'), at('src', 'shared'), at('vite.web.config.ts')];
  if (isStale(renderer, inputs)) {
    const code = await node(at('node_modules', 'vite', 'bin', 'vite.js'), ['build', '--config', 'vite.web.config.ts']);
    if (code !== 0) {
      console.error('The renderer build failed (see above); browser mode cannot start.');
      return code;
    }
  }
  return node(cli, ['serve']);
}

async function startDesktop(bin) {
  if (!fs.existsSync(electronSqliteBinding())) {
    const code = await node(at('scripts', 'rebuild-sqlite-electron.mjs'));
    if (code !== 0) {
      console.log('better-sqlite3 could not be built for Electron; starting Latent Lab in browser mode.');
      return startBrowserMode();
    }
  }
  const outputs = ['main/index.js', 'main/trainer.js', 'preload/index.cjs', 'renderer/index.html'].map((f) => at('out', f));
  if (isStale(outputs, [at('src'), at('electron.vite.config.ts'), at('package.json')])) {
    const code = await node(at('node_modules', 'electron-vite', 'bin', 'electron-vite.js'), ['build']);
    if (code !== 0) {
      console.error('The Electron build failed (see above).');
      return code;
    }
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary behave as plain Node
  return run(bin, ['.'], { env });
}

async function main() {
  if (process.env.LATENT_LAB_BROWSER) {
    console.log('LATENT_LAB_BROWSER is set; starting Latent Lab in browser mode.');
    return startBrowserMode();
  }
  const electron = findElectron();
  if (!electron.bin) {
    console.log(`Electron is not available here (${electron.reason}); starting Latent Lab in browser mode.`);
    return startBrowserMode();
  }
  return startDesktop(electron.bin);
}

process.exitCode = await main();
