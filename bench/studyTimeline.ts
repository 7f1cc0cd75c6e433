// Where a study's CPU seconds and wall time go, process by process and trainer by trainer (not a test): runs
// the study of bench/studyTime.ts (same spec, same images) through `latent-lab search`, samples every
// process's CPU seconds from /proc, then reads the trial database for a timeline of each trainer: when its
// process started, when each of its trials started and finished, how much of a trial was training (the
// epochs' own seconds) and how much came after (encoding, probe, files), and the gaps where it had no trial.
//   node --import tsx bench/studyTimeline.ts [--seed 1] [--keep]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../src/core/storage/sqlite';
import { Study } from '../src/core/study/study';
import { writeFashionFolder } from './fashionMnist';
import { studyTimeSpec } from './studyTimeSpec';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argOf = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');


interface ProcSeen {
  pid: number;
  ppid: number;
  args: string;
  /** Seconds after the CLI's start when first seen, and last seen. */
  first: number;
  last: number;
  cpu: number;
}

/** Every process under `root`, its command line and CPU seconds as last seen (sampled every 200 ms). */
function watchTree(root: number, t0: number): { stop(): ProcSeen[] } {
  const seen = new Map<number, ProcSeen>();
  const sample = (): void => {
    const now = (performance.now() - t0) / 1000;
    const stack = [root];
    while (stack.length) {
      const pid = stack.pop() as number;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cpu = (Number(f[11]) + Number(f[12])) / 100;
        const s = seen.get(pid);
        if (s) Object.assign(s, { cpu, last: now });
        else seen.set(pid, { pid, ppid: Number(f[1]), args: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '), first: now, last: now, cpu });
        for (const t of fs.readdirSync(`/proc/${pid}/task`)) stack.push(...fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
      } catch {
        // Gone between two reads.
      }
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    stop() {
      clearInterval(timer);
      return [...seen.values()];
    },
  };
}

async function main(): Promise<void> {
  const seed = Number(argOf('seed', '1'));
  const folder = writeFashionFolder(path.join(os.tmpdir(), 'latent-lab-bench-fashion-800'), 800);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'll-timeline-'));
  const specFile = path.join(home, 'spec.json');
  fs.writeFileSync(specFile, JSON.stringify(studyTimeSpec(folder, seed)));
  console.log(`study timeline, ${os.cpus().length} cores, load ${load()}, data folder ${home}`);
  const t0 = performance.now();
  const startedAt = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'latent-lab.mjs'), 'search', '--spec', specFile, '--data-dir', home], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const watch = watchTree(child.pid as number, t0);
  const lines: Array<[number, string]> = [];
  let buf = '';
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push([(performance.now() - t0) / 1000, buf.slice(0, i)]);
      buf = buf.slice(i + 1);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wall = (performance.now() - t0) / 1000;
  const procs = watch.stop();
  console.log(`exit ${code}, ${wall.toFixed(1)} s wall, load after ${load()}`);
  for (const [t, l] of lines) if (/Baselines|baselines|\[\d+\/\d+\]/.test(l)) console.log(`  ${t.toFixed(1).padStart(6)} s  ${l.slice(0, 110)}`);

  const storage = openStorage(path.join(home, 'trials.sqlite'));
  try {
    const study = await Study.load(storage, 'studyTime');
    const trials = await storage.listTrials({ studyId: study.id });
    const rel = (iso: string | null): number => (iso ? (Date.parse(iso) - startedAt) / 1000 : NaN);
    const trainerPids = new Set(trials.map((t) => t.owner?.pid).filter((p): p is number => typeof p === 'number'));
    const role = (p: ProcSeen): string => {
      if (p.pid === child.pid) return 'cli (supervisor)';
      if (p.args.includes('esbuild')) return 'esbuild (tsx)';
      if (trainerPids.has(p.pid)) return `trainer pid ${p.pid}`;
      if (p.args.includes('entry.ts')) return `baselines pid ${p.pid}`;
      return p.args.slice(0, 60);
    };
    console.log('\n| process | first seen s | last seen s | cpu s |\n|---|---|---|---|');
    let total = 0;
    for (const p of procs.sort((a, b) => a.first - b.first)) {
      total += p.cpu;
      console.log(`| ${role(p)} | ${p.first.toFixed(1)} | ${p.last.toFixed(1)} | ${p.cpu.toFixed(1)} |`);
    }
    console.log(`| all | | ${wall.toFixed(1)} | ${total.toFixed(1)} |`);

    console.log('\n| trainer | trial | arch, k | asked s | started s | training s | after training s | finished s | gap before s |\n|---|---|---|---|---|---|---|---|---|');
    let idle = 0;
    for (const pid of trainerPids) {
      const proc = procs.find((p) => p.pid === pid);
      let free = proc ? proc.first : 0;
      for (const t of trials.filter((x) => x.owner?.pid === pid).sort((a, b) => a.number - b.number)) {
        const epochs = await storage.getMetrics(t.id);
        const trainSeconds = epochs.reduce((s, e) => s + (e.values.seconds ?? 0), 0);
        const start = rel(t.createdAt);
        const span = rel(t.finishedAt) - rel(t.startedAt);
        idle += start - free;
        console.log(
          `| ${pid} | #${t.number} | ${String(t.params.architecture)} ${String(t.params.latentSize)} | ${start.toFixed(1)} | ${rel(t.startedAt).toFixed(1)} | ${trainSeconds.toFixed(1)} | ${(span - trainSeconds).toFixed(1)} | ${rel(t.finishedAt).toFixed(1)} | ${(start - free).toFixed(1)} |`,
        );
        free = rel(t.finishedAt);
      }
      idle += (proc ? proc.last : wall) - free;
      console.log(`| ${pid} | end | | | | | | ${proc?.last.toFixed(1) ?? '-'} | ${((proc ? proc.last : wall) - free).toFixed(1)} |`);
    }
    console.log(`\ntrainer seconds without a trial (start-up, waits, tail): ${idle.toFixed(1)}`);
  } finally {
    await storage.close();
    if (!process.argv.includes('--keep')) fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
