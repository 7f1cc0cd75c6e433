// `npm run dist:dry`: the real electron-builder, run here without its downloads. It packs the Linux app
// folder (--dir) around a stand-in for Electron's files, with the native rebuild and the fuses (which need
// the real binary) left out, then reads the app.asar it wrote and applies the same checks as the packaging
// test (packaging/contents.ts) to what was actually packed, including electron-builder's own layout of
// node_modules. About a minute and ~400 MB in .tmp/dist-dry (removed afterwards unless --keep).
// Not part of npm test (too heavy); run it after changing electron-builder.yml or the dependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { extractFile, getRawHeader } from '@electron/asar';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { checkContents, type Listing, type PackedFile } from './contents';
import { APP_ENTRIES } from './config';

const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, '.tmp', 'dist-dry');
const keep = process.argv.includes('--keep');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

type Node = { files: Record<string, Node> } | { unpacked?: boolean; size?: number; link?: string };

/** Every file recorded in an asar header, with whether electron-builder put it in app.asar.unpacked. */
function filesOf(dir: Record<string, Node>, prefix: string, into: PackedFile[]): void {
  for (const [name, node] of Object.entries(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if ('files' in node) filesOf(node.files, rel, into);
    else into.push({ path: rel, unpacked: node.unpacked === true });
  }
}

async function main(): Promise<number> {
  fs.rmSync(work, { recursive: true, force: true });
  const electronDist = path.join(work, 'electron');
  fs.mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in for Electron (packaging dry run)"\n', { mode: 0o755 });

  const { electronFuses: _fuses, ...config } = await getConfig(root, null, null);
  const dryConfig = { ...config, electronDist, npmRebuild: false, directories: { ...config.directories, output: path.join(work, 'dist') } };
  const configFile = path.join(work, 'electron-builder.json');
  fs.writeFileSync(configFile, JSON.stringify(dryConfig));

  run(bin('electron-vite'), ['build', '--logLevel', 'warn']);
  run(bin('electron-builder'), ['--dir', '--linux', '--config', configFile]);

  const archive = path.join(work, 'dist', 'linux-unpacked', 'resources', 'app.asar');
  const files: PackedFile[] = [];
  filesOf((getRawHeader(archive).header as { files: Record<string, Node> }).files, '', files);
  const packages = [...new Set(files.flatMap((f) => f.path.match(/^(?:node_modules\/(?:@[^/]+\/)?[^/]+\/)*node_modules\/(?:@[^/]+\/)?[^/]+(?=\/)/) ?? []))];
  // Every package folder on the way down counts (a/node_modules/b is inside a).
  const all = new Set<string>();
  for (const pkg of packages) {
    const parts = pkg.split('/node_modules/');
    for (let i = 1; i <= parts.length; i += 1) all.add(parts.slice(0, i).join('/node_modules/'));
  }
  const listing: Listing = { files, packages: [...all].sort() };
  const unpackedDir = `${archive}.unpacked`;
  const read = (rel: string): string => {
    const entry = files.find((f) => f.path === rel);
    return entry?.unpacked ? fs.readFileSync(path.join(unpackedDir, rel), 'utf8') : extractFile(archive, rel).toString('utf8');
  };
  const problems = checkContents({ listing, entries: APP_ENTRIES, read });

  const unpacked = files.filter((f) => f.unpacked);
  const size = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? size(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
  process.stdout.write(
    `\nelectron-builder packed ${files.length} files from ${listing.packages.length} packages: ` +
      `app.asar ${(fs.statSync(archive).size / 1e6).toFixed(0)} MB, app.asar.unpacked ${(size(unpackedDir) / 1e6).toFixed(0)} MB (${unpacked.length} files)\n` +
      `native files: ${files.filter((f) => /\.node$/.test(f.path)).map((f) => `${f.path}${f.unpacked ? '' : ' (INSIDE app.asar)'}`).join(', ')}\n`,
  );
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  if (problems.length) {
    process.stdout.write(`${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write('No problem found.\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dist:dry failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
