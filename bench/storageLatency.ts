// Ask/tell latency and throughput of the study storages with 1, 4 and 16 concurrent workers (separate
// processes, as real workers are), PostgreSQL (a throw-away cluster) beside SQLite (one file, WAL).
// No training: each worker asks for a trial (random sampler) and tells a value at once, so this measures the
// coordination alone. Prints one table; the load average is printed beside it.
//   node --import tsx bench/storageLatency.ts [--trials-per-worker 40]
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorageAt } from '../src/core/storage/open';
import { Study } from '../src/core/study/study';
import { startPgCluster } from '../test/helpers/pgCluster';

interface WorkerReport {
  ask: number[];
  tell: number[];
}

const self = fileURLToPath(import.meta.url);
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function worker(location: string, index: number): Promise<void> {
  const storage = await openStorageAt(location);
  const study = await Study.load(storage, 'latency');
  const report: WorkerReport = { ask: [], tell: [] };
  const owner = { host: 'bench', pid: process.pid, start: `w${index}` };
  for (;;) {
    const t0 = performance.now();
    const asked = await study.ask(owner);
    report.ask.push(performance.now() - t0);
    if (asked === 'budget' || asked === 'exhausted') break;
    if (asked === 'wait') {
      await new Promise((r) => setTimeout(r, 2));
      continue;
    }
    const t1 = performance.now();
    await study.tell(asked.trialId, 'COMPLETE', [Number(asked.params.x)]);
    report.tell.push(performance.now() - t1);
  }
  await storage.close();
  process.send?.(report);
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};

async function run(location: string, workers: number, perWorker: number): Promise<{ askP50: number; askP95: number; tellP50: number; tellP95: number; perSecond: number }> {
  const storage = await openStorageAt(location, { create: true });
  await Study.create(storage, {
    name: 'latency',
    dataset: { path: '/data' },
    searchSpace: { params: [{ name: 'x', type: 'float', low: 0, high: 1 }] },
    sampler: { type: 'random' },
    pruner: { type: 'nop' },
    budget: { trials: workers * perWorker },
    seed: 1,
  });
  await storage.close();
  const started = performance.now();
  const reports = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      new Promise<WorkerReport>((resolve, reject) => {
        const child = fork(self, ['--worker', location, String(i)], { execArgv: process.execArgv, stdio: 'inherit' });
        child.once('message', (m) => resolve(m as WorkerReport));
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker ${i} exited with ${code}`))));
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const ask = reports.flatMap((r) => r.ask);
  const tell = reports.flatMap((r) => r.tell);
  return { askP50: quantile(ask, 0.5), askP95: quantile(ask, 0.95), tellP50: quantile(tell, 0.5), tellP95: quantile(tell, 0.95), perSecond: tell.length / seconds };
}

async function main(): Promise<void> {
  const perWorker = arg('trials-per-worker', 40);
  const cluster = await startPgCluster();
  if (!cluster) throw new Error('PostgreSQL is not installed (apt-get install postgresql): this bench compares it with SQLite.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-latency-'));
  const rows: string[] = [];
  const fmt = (v: number): string => v.toFixed(1).padStart(7);
  try {
    console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} cores); ${perWorker} trials per worker`);
    for (const workers of [1, 4, 16]) {
      const sqlite = await run(path.join(dir, `w${workers}.sqlite`), workers, perWorker);
      const pg = await run(await cluster.createDatabase(`latency_${workers}`), workers, perWorker);
      for (const [name, r] of [['SQLite', sqlite], ['PostgreSQL', pg]] as const) {
        rows.push(`${String(workers).padStart(7)}  ${name.padEnd(10)} ${fmt(r.askP50)} ${fmt(r.askP95)} ${fmt(r.tellP50)} ${fmt(r.tellP95)} ${fmt(r.perSecond)}`);
      }
    }
    console.log('workers  storage    ask p50 ask p95 tellp50 tellp95 trials/s   (ms, trials per second over all workers)');
    for (const r of rows) console.log(r);
    console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--worker') await worker(process.argv[3], Number(process.argv[4]));
else await main();
