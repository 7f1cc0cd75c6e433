#!/usr/bin/env node
// Builds better-sqlite3 against the installed Electron's headers into
//   native/electron/<electron-version>/better_sqlite3.node
// in a temporary copy of node_modules/better-sqlite3, so node_modules/better-sqlite3/build (used by the CLI
// and the tests under plain Node) is never touched. Needs a C++ toolchain and, once, network access to
// download the Electron headers. Usage: node scripts/rebuild-sqlite-electron.mjs [--force]
// Exit code 0 = the binding exists; 1 = it could not be built (one line on stderr says why).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const force = process.argv.includes('--force');

function fail(reason) {
  console.error(`rebuild-sqlite-electron: ${reason}`);
  process.exit(1);
}

function readVersion(pkgDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** node-gyp as shipped with npm (or installed locally); never downloads anything. */
function findNodeGyp() {
  const npmGyp = ['node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'];
  const nodeDir = path.dirname(process.execPath);
  const candidates = [
    process.env.npm_config_node_gyp, // set by npm while it runs a script
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(nodeDir, '..', 'lib', ...npmGyp), // unix: <prefix>/bin/node -> <prefix>/lib/node_modules/npm
    path.join(nodeDir, ...npmGyp), // windows: <prefix>\node.exe -> <prefix>\node_modules\npm
  ];
  const found = candidates.find((file) => file && fs.existsSync(file));
  if (found) return found;
  const npmPrefix = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['prefix', '-g'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (npmPrefix.status !== 0) return null;
  const prefix = npmPrefix.stdout.trim();
  return [path.join(prefix, 'lib', ...npmGyp), path.join(prefix, ...npmGyp)].find((file) => fs.existsSync(file)) ?? null;
}

/** The most telling line of node-gyp's output, for the one-line failure message. */
function reasonFrom(log, version) {
  if (/gyp http GET .*headers/.test(log) && /network connectivity|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(log)) {
    return `the Electron ${version} headers could not be downloaded from electronjs.org (offline or behind a proxy?)`;
  }
  const lines = log.split(/\r?\n/).map((l) => l.trim());
  const stackError = lines.find((l) => /^gyp ERR! stack \w*Error: /.test(l));
  const compileError = lines.find((l) => /\b(?:fatal )?error\b[: ]/i.test(l) && !l.startsWith('gyp '));
  const hit = compileError ?? stackError ?? lines.filter(Boolean).at(-1) ?? 'node-gyp failed';
  return hit.replace(/^gyp ERR! stack /, '').slice(0, 200);
}

const electronVersion = readVersion(path.join(root, 'node_modules', 'electron'));
if (!electronVersion) fail('node_modules/electron is missing; install the dependencies first.');
const sourceDir = path.join(root, 'node_modules', 'better-sqlite3');
if (!readVersion(sourceDir)) fail('node_modules/better-sqlite3 is missing; install the dependencies first.');

const outDir = path.join(root, 'native', 'electron', electronVersion);
const outFile = path.join(outDir, 'better_sqlite3.node');
if (fs.existsSync(outFile) && !force) {
  console.log(`better-sqlite3 for Electron ${electronVersion} is already built: ${path.relative(root, outFile)}`);
  process.exit(0);
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) fail('node-gyp not found (it ships with npm); install npm or run `npm i -g node-gyp`.');

/** Builds in a temporary copy; returns null on success or the reason it failed. */
function build() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-sqlite-'));
  const buildDir = path.join(work, 'better-sqlite3');
  const logFile = path.join(os.tmpdir(), `latent-lab-sqlite-electron-${electronVersion}.log`);
  try {
    // Sources only: the existing Node-ABI build/ stays where it is.
    fs.cpSync(sourceDir, buildDir, {
      recursive: true,
      filter: (src) => !['build', 'node_modules'].includes(path.relative(sourceDir, src)),
    });
    console.log(`Building better-sqlite3 for Electron ${electronVersion} (${process.platform}-${process.arch})...`);
    const args = [
      nodeGyp,
      'rebuild',
      '--release',
      '--jobs=max',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
      '--runtime=electron',
    ];
    const run = spawnSync(process.execPath, args, { cwd: buildDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const log = `${run.stdout ?? ''}\n${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
    fs.writeFileSync(logFile, log);
    const built = path.join(buildDir, 'build', 'Release', 'better_sqlite3.node');
    if (run.status !== 0 || !fs.existsSync(built)) return `${reasonFrom(log, electronVersion)} (full log: ${logFile})`;
    fs.mkdirSync(outDir, { recursive: true });
    // Copy then rename, so a half-written file never looks like a finished build.
    fs.copyFileSync(built, `${outFile}.tmp`);
    fs.renameSync(`${outFile}.tmp`, outFile);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const failure = build();
if (failure) fail(`could not build better-sqlite3 for Electron ${electronVersion}: ${failure}`);
console.log(`Built ${path.relative(root, outFile)}`);
