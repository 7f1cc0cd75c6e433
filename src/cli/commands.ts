// `latent-lab train | trials | show | export`: the same engine, storage and export as the app, no Electron.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLocations, type DataLocations } from '../core/paths';
import { loadDataset } from '../core/data/load';
import { ensureSampleDataset } from '../core/data/sample';
import { DatasetError } from '../core/data/types';
import { exportBundle } from '../core/export/encoderBundle';
import { openStorage } from '../core/storage/sqlite';
import type { Storage } from '../core/storage/types';
import { createManualTrial, runTrial } from '../core/trainer/runTrial';
import { selectBackend, type BackendName } from '../core/training/backend';
import { parseTrainArgs, UsageError } from './args';
import { TRAIN_HELP } from './help';
import { createProgressBar, formatDuration } from './progress';

const out = (line: string): void => void process.stdout.write(line + '\n');
const fmt = (v: number | null | undefined, digits = 5): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toPrecision(digits));

export async function trainCommand(argv: string[]): Promise<number> {
  const args = parseTrainArgs(argv);
  if (args.help) {
    out(TRAIN_HELP);
    return 0;
  }
  const locations = resolveLocations({ dataDir: args.dataDir, dbPath: args.dbPath });
  const bar = createProgressBar();
  let dataPath: string;
  if (args.useSample) {
    const sample = await ensureSampleDataset(locations.sampleDir);
    dataPath = sample.path;
    out(`Sample dataset: ${dataPath} (${sample.count} images)`);
  } else {
    dataPath = path.resolve(args.dataPath as string);
  }
  // Load once up front: a bad folder is a usage error (exit 2) and creates no trial; runTrial then hits the cache.
  const ds = await loadDataset(dataPath, {
    size: args.params.imageSize,
    channels: args.params.channels,
    cacheDir: locations.cacheDir,
    onProgress: (p) => bar.update(p.total ? p.done / p.total : 0, `${p.phase} ${p.done}/${p.total} images`),
  });
  bar.clear();
  out(`Dataset: ${ds.files.length} images, ${ds.classes.length ? `${ds.classes.length} classes` : 'unlabeled'}, ${ds.failures.length} unreadable${ds.fromCache ? ' (from cache)' : ''}`);
  for (const f of ds.failures.slice(0, 10)) out(`  skipped ${f.file}: ${f.reason}`);
  if (ds.failures.length > 10) out(`  ... and ${ds.failures.length - 10} more`);

  const backend = await selectBackend(args.backend as BackendName | undefined);
  out(`Backend: ${backend.note}`);
  const storage = openStorage(locations.dbPath);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const request = { datasetPath: dataPath, params: args.params };
    const trialId = createManualTrial(storage, request);
    out(`Trial ${trialId} stored in ${locations.dbPath}`);
    const result = await runTrial({
      storage,
      trialId,
      request,
      cacheDir: locations.cacheDir,
      artifactsDir: locations.artifactsDir,
      signal: abort.signal,
      events: {
        progress: (p) => bar.update((p.epoch - 1 + p.batch / p.batches) / p.epochs, `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} ETA ${formatDuration(p.etaSeconds)}`),
        epoch: ({ metrics: m }) => {
          bar.clear();
          out(`epoch ${String(m.epoch).padStart(3)}/${args.params.epochs}  train_loss ${fmt(m.trainLoss)}  val_loss ${fmt(m.valLoss)}  ${m.seconds.toFixed(2)} s  ${Math.round(m.samplesPerSec)} samples/s`);
        },
      },
    });
    bar.clear();
    if (result.state !== 'COMPLETE') {
      out(`Trial ${trialId} ${result.state}${result.reason ? `: ${result.reason}` : ''}`);
      return result.state === 'CANCELLED' ? 130 : 1;
    }
    out(`Trial ${trialId} COMPLETE: best val_loss ${fmt(Math.min(...result.epochs.map((e) => e.valLoss)))}`);
    if (args.exportDir && result.artifactDir) {
      const files = exportBundle(result.artifactDir, path.resolve(args.exportDir));
      out(`Exported ${files.map((f) => path.basename(f)).join(', ')} to ${path.resolve(args.exportDir)}`);
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    storage.close();
  }
}

function commonArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { db: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function openFromArgs(values: { db?: string; 'data-dir'?: string }): { storage: Storage; locations: DataLocations } {
  const locations = resolveLocations({ dataDir: values['data-dir'], dbPath: values.db });
  if (!fs.existsSync(locations.dbPath)) throw new UsageError(`No trial database at ${locations.dbPath} yet: train a trial first, or pass --db.`);
  return { storage: openStorage(locations.dbPath), locations };
}

export function trialsCommand(argv: string[]): number {
  const { values } = commonArgs(argv);
  const { storage } = openFromArgs(values);
  try {
    const rows = storage.listTrials();
    if (rows.length === 0) return (out('No trials yet.'), 0);
    out(['id', 'study', '#', 'state', 'latent', 'epochs', 'best val_loss', 'backend', 'created'].join('\t'));
    for (const t of rows) {
      const m = storage.getMetrics(t.id);
      const vals = m.map((s) => s.values.valLoss).filter((v): v is number => typeof v === 'number');
      out([t.id, t.studyName, t.number, t.state, String(t.params.latentSize ?? '-'), m.length, vals.length ? fmt(Math.min(...vals)) : '-', t.backend ?? '-', t.createdAt].join('\t'));
    }
    return 0;
  } finally {
    storage.close();
  }
}

function trialIdArg(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id < 1) throw new UsageError(`Give a trial id (a positive integer, see latent-lab trials), got "${raw ?? ''}".`);
  return id;
}

export function showCommand(argv: string[]): number {
  const { values, positionals } = commonArgs(argv);
  const id = trialIdArg(positionals[0]);
  const { storage } = openFromArgs(values);
  try {
    const t = storage.getTrial(id);
    if (!t) throw new UsageError(`Trial ${id} does not exist in ${storage.path}.`);
    out(`Trial ${t.id} (${t.studyName} #${t.number}): ${t.state}${t.failReason ? ` (${t.failReason})` : ''}`);
    out(`dataset  ${t.datasetPath}`);
    out(`seed     ${t.seed}   backend ${t.backend ?? '-'}   created ${t.createdAt}   finished ${t.finishedAt ?? '-'}`);
    out(`params   ${JSON.stringify(t.params)}`);
    out(`versions ${JSON.stringify(storage.getTrialAttrs(id).versions ?? {})}`);
    if (t.artifactDir) out(`artifacts ${t.artifactDir}`);
    out('epoch\ttrain_loss\tval_loss\tseconds\tsamples/s');
    for (const s of storage.getMetrics(id)) {
      const v = s.values;
      out([s.step, fmt(v.trainLoss), fmt(v.valLoss), fmt(v.seconds, 3), Math.round(v.samplesPerSec ?? 0)].join('\t'));
    }
    return 0;
  } finally {
    storage.close();
  }
}

export function exportCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { db: { type: 'string' }, 'data-dir': { type: 'string' }, trial: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const id = trialIdArg(values.trial);
  if (!values.out) throw new UsageError('Give the destination folder with --out <folder>.');
  const { storage } = openFromArgs(values);
  try {
    const t = storage.getTrial(id);
    if (!t) throw new UsageError(`Trial ${id} does not exist in ${storage.path}.`);
    if (t.state !== 'COMPLETE' || !t.artifactDir) throw new UsageError(`Trial ${id} is ${t.state}: only a COMPLETE trial can be exported.`);
    const files = exportBundle(t.artifactDir, path.resolve(values.out));
    for (const f of files) out(f);
    return 0;
  } finally {
    storage.close();
  }
}

export { DatasetError, UsageError };
