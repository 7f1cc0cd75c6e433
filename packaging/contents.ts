// What the installers would contain, worked out from electron-builder.yml without electron-builder's
// downloads (Electron, native rebuilds): the app files its `files` patterns take from the repository and the
// electron-vite build, the production dependencies it adds by itself (`npm ls --omit=dev`), and which of
// them its `asarUnpack` patterns keep outside app.asar. checkContents() then lists every problem a user would
// meet: a native file packed inside the archive (it cannot be loaded there), a dev-only file or package
// packed, an entry point or one of its imports that does not resolve in the package.
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';

/** The part of electron-builder's configuration this check reads. */
export interface PackConfig {
  files: string[];
  asarUnpack: string[];
}

export interface PackedFile {
  /** Path inside the app, '/'-separated: out/main/index.js, node_modules/sharp/lib/index.js. */
  path: string;
  /** Kept outside app.asar (in app.asar.unpacked). */
  unpacked: boolean;
}

export interface Listing {
  files: PackedFile[];
  /** Package folders packed under node_modules ('node_modules/sharp', 'node_modules/a/node_modules/b'). */
  packages: string[];
}

export interface ListingSource {
  /** The repository (package.json, node_modules, electron-builder.yml). */
  root: string;
  /** The electron-vite build to list as out/ (default <root>/out). */
  outDir?: string;
  /** Production package folders relative to root (default: from `npm ls --omit=dev`). */
  productionPackages?: string[];
}

/** Never part of any app: version control, build caches, the installers themselves. */
const NEVER_WALKED = new Set(['.git', 'node_modules', 'out', 'dist', '.tmp', '.vite', 'coverage']);

const toPosix = (p: string): string => p.split(path.sep).join('/');

function walk(dir: string, prefix: string, skip: (rel: string) => boolean, into: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (skip(rel)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, rel, skip, into);
    else if (entry.isFile() || entry.isSymbolicLink()) into.push(rel);
  }
}

const globOptions = { dot: true };

/** electron-builder's reading of `files`: the last pattern that matches decides (a "!" one excludes). */
export function matchesFiles(patterns: string[], rel: string): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (minimatch(rel, negated ? pattern.slice(1) : pattern, globOptions)) included = !negated;
  }
  return included;
}

export const matchesAny = (patterns: string[], rel: string): boolean => patterns.some((p) => minimatch(rel, p, globOptions));

/** The installed production packages, as npm (and electron-builder) see them. */
export function productionPackages(root: string): string[] {
  const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
  if (r.error) throw r.error;
  const lines = r.stdout.split('\n').filter(Boolean);
  if (!lines.length) throw new Error(`npm ls --omit=dev listed nothing (${r.stderr.trim().split('\n')[0] ?? 'no output'})`);
  return lines
    .map((line) => toPosix(path.relative(root, line)))
    .filter((rel) => rel.startsWith('node_modules/'))
    .sort();
}

export function listPackage(config: PackConfig, src: ListingSource): Listing {
  const root = path.resolve(src.root);
  const outDir = path.resolve(src.outDir ?? path.join(root, 'out'));
  const unpacked = (rel: string): boolean => matchesAny(config.asarUnpack, rel);
  const files: PackedFile[] = [];

  // The repository's own files (everything a pattern could name, so a pattern that packs src/ is caught).
  const own: string[] = [];
  walk(root, '', (rel) => NEVER_WALKED.has(rel), own);
  const built: string[] = [];
  if (fs.existsSync(outDir)) walk(outDir, 'out', () => false, built);
  for (const rel of [...own, ...built].sort()) {
    if (matchesFiles(config.files, rel)) files.push({ path: rel, unpacked: unpacked(rel) });
  }

  // node_modules: electron-builder adds the production dependencies whatever `files` says, and drops what
  // its "!" patterns exclude.
  const excludes = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const packages = (src.productionPackages ?? productionPackages(root)).filter((pkg) => !matchesAny(excludes, `${pkg}/package.json`));
  for (const pkg of packages) {
    const inPackage: string[] = [];
    walk(path.join(root, pkg), pkg, (rel) => rel === `${pkg}/node_modules`, inPackage);
    for (const rel of inPackage) if (!matchesAny(excludes, rel)) files.push({ path: rel, unpacked: unpacked(rel) });
  }
  return { files, packages };
}

/** A file the dynamic loader opens: it must be on disk, outside app.asar. */
export const isNativeFile = (rel: string): boolean => /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(rel);

/** Packages loaded by a computed name at run time, so no import in the build names them. */
export const LOADED_BY_NAME = ['@tensorflow/tfjs-node'];

export interface Entry {
  /** What it is, for the message: 'main', 'preload', 'trainer', 'renderer'. */
  name: string;
  path: string;
}

export interface CheckInput {
  listing: Listing;
  entries: Entry[];
  /** Reads a packed file's text by its path inside the app (see readFromDisk). */
  read: (rel: string) => string;
}

/** The reader for a listing made by listPackage: out/ from the build, the rest from the repository. */
export function readFromDisk(root: string, outDir = path.join(root, 'out')): (rel: string) => string {
  return (rel) => fs.readFileSync(rel.startsWith('out/') ? path.join(outDir, rel.slice('out/'.length)) : path.join(root, rel), 'utf8');
}

/** Bare and relative module specifiers of a built JavaScript file (bundler output: plain string literals). */
export function importsOf(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g,
    /\bexport\s*[\w$*{}\s,]*?\s*from\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[1]);
  return [...found];
}

const packageNameOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || specifier === 'electron' || specifier.startsWith('electron/') || builtinModules.includes(specifier);

/** Node's lookup of a package from a folder inside the app: nearest node_modules first, then up. */
function findPackage(name: string, fromDir: string, packed: Set<string>): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packed.has(candidate)) return candidate;
    if (!dir) return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
}


const depNames = (pkg: Record<string, unknown>): string[] =>
  [pkg.dependencies, pkg.optionalDependencies].flatMap((deps) => (deps && typeof deps === 'object' ? Object.keys(deps) : []));

export function checkContents(input: CheckInput): string[] {
  const { listing, read } = input;
  const readJson = (rel: string): Record<string, unknown> => JSON.parse(read(rel)) as Record<string, unknown>;
  const problems: string[] = [];
  const byPath = new Map(listing.files.map((f) => [f.path, f]));
  const packed = new Set(listing.packages);

  for (const f of listing.files) {
    if (isNativeFile(f.path) && !f.unpacked) problems.push(`native file packed inside app.asar, where it cannot be loaded: ${f.path} (add it to asarUnpack)`);
    if (!f.path.startsWith('node_modules/') && f.path !== 'package.json' && !f.path.startsWith('out/')) {
      problems.push(`dev-only file packed: ${f.path} (the app is out/ and package.json)`);
    }
    if (f.path.startsWith('out/') && f.path.endsWith('.map')) problems.push(`source map packed: ${f.path}`);
  }

  const rootPkg = readJson('package.json');
  if (rootPkg.main && !byPath.has(String(rootPkg.main))) problems.push(`package.json "main" (${String(rootPkg.main)}) is not in the package`);

  // Every entry point present, and every import of the build resolving inside the package.
  const needed = new Set<string>();
  const want = (name: string, fromDir: string, importer: string): void => {
    const found = findPackage(name, fromDir, packed);
    if (!found) problems.push(`${importer} imports ${name}, which is not packed`);
    else needed.add(found);
  };
  for (const entry of input.entries) if (!byPath.has(entry.path)) problems.push(`${entry.name} entry point missing: ${entry.path}`);
  for (const f of listing.files) {
    if (!f.path.startsWith('out/') || !/\.(m?js|cjs)$/.test(f.path) || f.path.startsWith('out/renderer/')) continue;
    const code = read(f.path);
    for (const spec of importsOf(code)) {
      if (isBuiltin(spec)) continue;
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.path), spec));
        if (!byPath.has(target)) problems.push(`${f.path} imports ${spec}, which is not in the package`);
      } else want(packageNameOf(spec), '', f.path);
    }
  }
  for (const name of LOADED_BY_NAME) {
    const found = findPackage(name, '', packed);
    if (found) needed.add(found);
  }
  const renderer = input.entries.find((e) => e.name === 'renderer');
  if (renderer && byPath.has(renderer.path)) {
    const html = read(renderer.path);
    for (const m of html.matchAll(/\b(?:src|href)="([^"#?]+)"/g)) {
      if (/^[a-z]+:/i.test(m[1])) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(renderer.path), m[1]));
      if (!byPath.has(target)) problems.push(`${renderer.path} refers to ${m[1]}, which is not in the package`);
    }
  }

  // What those packages need in turn; anything packed beyond that is never loaded by the app.
  const queue = [...needed];
  while (queue.length) {
    const pkg = queue.pop() as string;
    for (const dep of depNames(readJson(`${pkg}/package.json`))) {
      const found = findPackage(dep, pkg, packed);
      if (found && !needed.has(found)) {
        needed.add(found);
        queue.push(found);
      }
    }
  }
  // A devDependency may be packed only as what a production package needs (@types/node for tfjs, say).
  const devDeps = Object.keys((rootPkg.devDependencies as Record<string, string> | undefined) ?? {});
  for (const dev of devDeps) {
    if (packed.has(`node_modules/${dev}`) && !needed.has(`node_modules/${dev}`)) problems.push(`devDependency packed: ${dev}`);
  }
  for (const pkg of listing.packages) {
    if (!needed.has(pkg)) problems.push(`packed but never loaded by the app: ${pkg} (a devDependency if the renderer bundles it, or excluded in electron-builder.yml)`);
  }
  return problems;
}
