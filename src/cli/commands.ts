// `latent-lab train`: the same engine, storage and export as the app, without Electron.
import path from 'node:path';
import { resolveLocations } from '../core/paths';
import { loadDataset } from '../core/data/load';
import { ensureSampleDataset, isSampleRef } from '../core/data/sample';
import { exportTrial } from '../core/export/exportBundle';
import { AppError } from '../shared/errors';
import { DEFAULT_PARAMS, type AutoencoderParams } from '../shared/dto';
import { trialConfiguration } from '../core/study/trialDto';
import { openStorage } from '../core/storage/sqlite';
import { createManualTrial } from '../core/trainer/manualTrial';
import { runTrial } from '../core/trainer/runTrial';
import type { BackendName } from '../core/training/backend';
import { announceBackend, terminalTrialEvents } from './trainHere';
import { checkTrialFits, isMemoryError } from '../core/study/trainerMemory';
import { parseTrainArgs, UsageError } from './args';
import { TRAIN_HELP } from './help';
import { createProgressBar } from './progress';
import { rerunWithTrainerFlags } from './rerun';

const out = (line: string): void => void process.stdout.write(line + '\n');
const fmt = (v: number | null | undefined, digits = 5): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toPrecision(digits));

interface LikeTrial {
  params: AutoencoderParams;
  datasetPath: string;
}

/** The stored trial --like names: its settings and images (the database must exist; it is only read). */
async function likeTrial(dbPath: string, trialId: number): Promise<LikeTrial> {
  const storage = openStorage(dbPath, { readonly: true });
  try {
    const t = await storage.getTrial(trialId);
    if (!t) throw new UsageError(`--like ${trialId}: there is no trial ${trialId} in ${dbPath} (see latent-lab trials).`);
    const { params, problem } = await trialConfiguration(storage, t, await storage.getTrialAttrs(trialId));
    if (!params) throw new UsageError(`--like ${trialId}: trial ${trialId}'s configuration was written by another version of Latent Lab and cannot be read here (${problem}), so it cannot be trained again.`);
    if (!t.datasetPath) throw new UsageError(`--like ${trialId}: trial ${trialId} has no stored image folder; give one with --data.`);
    return { params, datasetPath: t.datasetPath };
  } finally {
    await storage.close();
  }
}

export async function trainCommand(argv: string[]): Promise<number> {
  const args = parseTrainArgs(argv);
  if (args.help) {
    out(TRAIN_HELP);
    return 0;
  }
  const locations = resolveLocations({ dataDir: args.dataDir, dbPath: args.dbPath });
  const like = args.likeTrial === null ? null : await likeTrial(locations.dbPath, args.likeTrial);
  const params = args.paramsOn(like ? like.params : DEFAULT_PARAMS);
  // A configuration that cannot fit in memory is a usage error too (exit 2), said before anything is loaded.
  try {
    checkTrialFits(params);
  } catch (err) {
    if (isMemoryError(err)) throw new UsageError(err.message);
    throw err;
  }
  // Trains here, so it wants the V8 flags trainer processes get (FMA on Node 20); flag mistakes were caught above.
  if (args.backend !== 'cpu') await rerunWithTrainerFlags();
  const bar = createProgressBar();
  let dataPath: string;
  if (args.useSample) {
    const sample = await ensureSampleDataset(locations.sampleDir);
    dataPath = sample.path;
    out(`Sample dataset: ${dataPath} (${sample.count} images)`);
  } else if (args.dataPath !== null) {
    dataPath = path.resolve(args.dataPath);
  } else {
    // A study's trial on the bundled sample stores "sample:mnist", which means this data folder's copy.
    const stored = (like as LikeTrial).datasetPath;
    dataPath = isSampleRef(stored) ? (await ensureSampleDataset(locations.sampleDir)).path : stored;
    out(`Like trial ${args.likeTrial}: its images ${dataPath}, its settings with the flags given`);
  }
  // Load once up front: a bad folder is a usage error (exit 2) and creates no trial; runTrial then hits the cache.
  const ds = await loadDataset(dataPath, {
    size: params.imageSize,
    channels: params.channels,
    cacheDir: locations.cacheDir,
    onProgress: (p) => bar.update(p.total ? p.done / p.total : 0, `${p.phase} ${p.done}/${p.total} images`),
  });
  bar.clear();
  out(`Dataset: ${ds.files.length} images, ${ds.classes.length ? `${ds.classes.length} classes` : 'unlabeled'}, ${ds.failures.length} unreadable${ds.fromCache ? ' (from cache)' : ''}`);
  for (const f of ds.failures.slice(0, 10)) out(`  skipped ${f.file}: ${f.reason}`);
  if (ds.failures.length > 10) out(`  ... and ${ds.failures.length - 10} more`);

  await announceBackend(out, args.backend as BackendName | undefined);
  const storage = openStorage(locations.dbPath, { create: true, check: true, onCreate: (file) => out(`Created a new trial database at ${file}`) });
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const request = { datasetPath: dataPath, params };
    const trialId = await createManualTrial(storage, request);
    out(`Trial ${trialId} stored in ${locations.dbPath}`);
    const result = await runTrial({
      storage,
      trialId,
      request,
      cacheDir: locations.cacheDir,
      artifactsDir: locations.artifactsDir,
      signal: abort.signal,
      events: terminalTrialEvents(
        bar,
        out,
        (m) => `epoch ${String(m.epoch).padStart(3)}/${params.epochs}  train_loss ${fmt(m.trainLoss)}  val_loss ${fmt(m.valLoss)}  ${m.seconds.toFixed(2)} s  ${Math.round(m.samplesPerSec)} samples/s`,
      ),
    });
    bar.clear();
    if (result.state !== 'COMPLETE') {
      out(`Trial ${trialId} ${result.state}${result.reason ? `: ${result.reason}` : ''}`);
      return result.state === 'CANCELLED' ? 130 : 1;
    }
    out(`Trial ${trialId} COMPLETE: best val_loss ${fmt(Math.min(...result.epochs.map((e) => e.valLoss)))}`);
    if (args.exportDir && result.artifactDir) {
      try {
        const exported = await exportTrial({ storage, trialId, folder: path.resolve(args.exportDir), locations });
        out(`Exported ${exported.files.map((f) => path.basename(f)).join(', ')} to ${exported.folder}`);
      } catch (err) {
        // The trial is stored either way; only the copy failed.
        if (err instanceof AppError) throw new UsageError(`Trial ${trialId} is stored, but the export failed: ${err.message}`);
        throw err;
      }
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await storage.close();
  }
}

