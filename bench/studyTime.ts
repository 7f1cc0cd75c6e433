// A whole study, end to end, against the same study written with Optuna + PyTorch (bench/study_optuna.py):
// 12 TPE trials (4 random startup) over dense (256-64) and conv (16/32) autoencoders, latent {16, 32, 64},
// activation {relu, elu}, learning rate 3e-4..3e-3 (log), batch 128, 6 epochs, logistic regression on the codes,
// objective = validation accuracy, on 8,000 Fashion-MNIST images (800 per class), 12.5% test, 15% validation,
// 2 trainers. Ours runs as a user would: `latent-lab search` on a fresh data folder (decoding the images,
// the baselines and the export of every trial included). Prints wall times and best validation accuracies.
// Both sides fit the same probe: `--probe cv` (default, the product's default) standardises the codes and picks
// C from LOGISTIC_C_GRID by 3-fold stratified CV; `--probe fixed` uses C = 1 on the raw codes on both sides.
//   node --import tsx bench/studyTime.ts [--seed 1] [--probe cv|fixed] [--no-optuna] [--rounds 1]
// The Optuna side needs python3-torch, python3-optuna, python3-sklearn and python3-pil; it is skipped without.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../src/core/storage/sqlite';
import { Study } from '../src/core/study/study';
import { writeFashionFolder } from './fashionMnist';
import { studyTimeSpec as spec, type ProbeChoice } from './studyTimeSpec';

const PYTHON = '/usr/bin/python3';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}


interface Side {
  wallSeconds: number;
  /** CPU seconds (user + system) of the command and every process under it: steadier than wall time on a shared machine. */
  cpuSeconds: number | null;
  bestValue: number | null;
  detail: string;
}

/**
 * CPU seconds (user + system) of a process tree, sampled from /proc every half second: each process's own time
 * as last seen, summed over every process the tree ever held (the trainers are counted even when nobody waits
 * for them). Linux only; elsewhere, and if the tree could not be read, null.
 */
function treeCpu(root: number): { stop(): number | null } {
  const hz = 100; // USER_HZ: clock ticks in /proc/<pid>/stat on Linux
  const seen = new Map<number, number>();
  const own = (pid: number): number | null => {
    try {
      // Fields after the command's closing parenthesis: state is field 3, utime 14 and stime 15.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / hz;
    } catch {
      return null;
    }
  };
  const children = (pid: number): number[] => {
    try {
      return fs.readdirSync(`/proc/${pid}/task`).flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      return [];
    }
  };
  const sample = (): void => {
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop() as number;
      const t = own(pid);
      if (t !== null) seen.set(pid, t);
      stack.push(...children(pid));
    }
  };
  sample();
  const timer = setInterval(sample, 500);
  return {
    stop() {
      clearInterval(timer);
      return seen.size ? [...seen.values()].reduce((x, y) => x + y, 0) : null;
    },
  };
}

/** Our study through the CLI on a fresh data folder; the time is the whole command's. */
async function ours(folder: string, seed: number, probe: ProbeChoice): Promise<Side> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'll-studytime-'));
  try {
    const specFile = path.join(home, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec(folder, seed, probe)));
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'latent-lab.mjs'), 'search', '--spec', specFile, '--data-dir', home], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const cpuMeter = treeCpu(child.pid as number);
    let log = '';
    let echoed = 0;
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      // Whole lines only, each with a prefix.
      const end = log.lastIndexOf('\n') + 1;
      if (end > echoed) process.stdout.write(log.slice(echoed, end).replace(/^(?=.)/gm, '  ours| '));
      echoed = Math.max(echoed, end);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const wallSeconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuMeter.stop();
    if (code !== 0) throw new Error(`latent-lab search exited with ${code}`);
    const storage = openStorage(path.join(home, 'trials.sqlite'));
    try {
      const study = await Study.load(storage, 'studyTime');
      const best = await study.bestTrial();
      const baselines = /Baselines ready in ([\d.]+) s/.exec(log)?.[1];
      return {
        wallSeconds,
        cpuSeconds,
        bestValue: best?.values[0] ?? null,
        detail: `best trial #${best?.number ?? '-'} ${JSON.stringify(best?.params ?? {})}${baselines ? `; baselines took ${baselines} s beside the trials` : ''}`,
      };
    } finally {
      await storage.close();
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function optuna(folder: string, seed: number, probe: ProbeChoice): Promise<Side | string> {
  const imports = spawnSync(PYTHON, ['-c', 'import torch, optuna, sklearn, PIL'], { encoding: 'utf8' });
  if (imports.error || imports.status !== 0) return `Optuna + PyTorch side skipped: ${PYTHON} lacks torch, optuna, sklearn or PIL (apt-get install python3-torch python3-optuna python3-sklearn python3-pil)`;
  const script = fileURLToPath(new URL('./study_optuna.py', import.meta.url));
  const child = spawn(PYTHON, [script, '--folder', folder, '--seed', String(seed), '--probe', probe], { stdio: ['ignore', 'pipe', 'inherit'] });
  const cpuMeter = treeCpu(child.pid as number);
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const cpuSeconds = cpuMeter.stop();
  const r = { status, stdout };
  if (r.status !== 0) return `Optuna + PyTorch run failed (exit ${r.status})`;
  const j = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { wallSeconds: number; bestValue: number; bestParams: object; trials: number };
  return { wallSeconds: j.wallSeconds, cpuSeconds, bestValue: j.bestValue, detail: `${j.trials} trials; best ${JSON.stringify(j.bestParams)}` };
}

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const cpu = (s: Side): string => (s.cpuSeconds === null ? '-' : s.cpuSeconds.toFixed(1));

async function main(): Promise<void> {
  const seed = Number(arg('seed', '1'));
  const rounds = Number(arg('rounds', '1'));
  const probeArg = arg('probe', 'cv');
  if (probeArg !== 'cv' && probeArg !== 'fixed') throw new Error(`--probe must be cv or fixed, not ${probeArg}`);
  const probe: ProbeChoice = probeArg;
  const folder = writeFashionFolder(path.join(os.tmpdir(), 'latent-lab-bench-fashion-800'), 800);
  console.log(`8,000 Fashion-MNIST images in ${folder}; ${os.cpus().length} cores; probe ${probe} on both sides; load average ${load()}`);
  const rows: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    const a = await ours(folder, seed, probe);
    rows.push(`| Latent Lab (latent-lab search, 2 trainers) | ${round} | ${a.wallSeconds.toFixed(1)} | ${cpu(a)} | ${a.bestValue?.toFixed(3) ?? '-'} | ${load()} | ${a.detail} |`);
    if (process.argv.includes('--no-optuna')) continue;
    const b = await optuna(folder, seed, probe);
    if (typeof b === 'string') {
      rows.push(`| Optuna + PyTorch | ${round} | - | - | - | ${load()} | ${b} |`);
    } else {
      rows.push(`| Optuna 3.1 + PyTorch (2 processes, SQLite) | ${round} | ${b.wallSeconds.toFixed(1)} | ${cpu(b)} | ${b.bestValue?.toFixed(3) ?? '-'} | ${load()} | ${b.detail} |`);
    }
  }
  console.log('\n| engine | round | wall s | cpu s | best val accuracy | load average after (1, 5, 15 min) | detail |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
