// Kills an exporting child process at random moments and checks what it leaves: the old bundle or the new
// one, never a mix; after recovery (what the next export to that folder does first) no stray files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILES } from '../../src/core/export/exportBundle';
import { recoverFolder } from '../../src/core/export/safeFolder';

export interface KillOutcome {
  /** What was at the destination right after the kill. */
  found: 'bundle' | 'missing';
  /** Trial number of the bundle after recovery. */
  trialNumber: number;
}

const root = path.resolve(__dirname, '../..');

/** Files of a complete bundle of the trial its manifest names, byte for byte as `references` (trial number -> folder). */
export function checkBundle(folder: string, references: Map<number, string>): number {
  const names = fs.readdirSync(folder).sort();
  if (JSON.stringify(names) !== JSON.stringify([...BUNDLE_FILES].sort())) throw new Error(`${folder} holds ${names.join(', ')}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { study: { trialNumber: number } };
  const ref = references.get(manifest.study.trialNumber);
  if (!ref) throw new Error(`unexpected trial #${manifest.study.trialNumber}`);
  for (const f of BUNDLE_FILES) {
    if (!fs.readFileSync(path.join(folder, f)).equals(fs.readFileSync(path.join(ref, f)))) throw new Error(`${f} is not trial #${manifest.study.trialNumber}'s: a mix`);
  }
  return manifest.study.trialNumber;
}

export function strays(folder: string): string[] {
  const base = path.basename(folder);
  return fs.readdirSync(path.dirname(folder)).filter((n) => n.startsWith(`.${base}.latent-lab-`));
}

/** One try: start the export loop, kill -9 after `delayMs` of looping, then check and recover. */
export async function killDuringExport(args: { locations: object; trialIds: number[]; folder: string; delayMs: number; references: Map<number, string> }): Promise<KillOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/export/exportLoop.ts'), JSON.stringify(args.locations), args.trialIds.join(','), args.folder], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('looping')) resolve();
    });
    void exited.then((code) => reject(new Error(`export loop exited (${code}) before looping: ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, args.delayMs));
  child.kill('SIGKILL');
  await exited;
  let found: KillOutcome['found'] = 'missing';
  if (fs.existsSync(args.folder)) {
    checkBundle(args.folder, args.references);
    found = 'bundle';
  } else if (strays(args.folder).length === 0) {
    throw new Error('the destination is gone and nothing can restore it');
  }
  await recoverFolder(args.folder);
  const trialNumber = checkBundle(args.folder, args.references);
  const left = strays(args.folder);
  if (left.length) throw new Error(`stray siblings after recovery: ${left.join(', ')}`);
  return { found, trialNumber };
}
