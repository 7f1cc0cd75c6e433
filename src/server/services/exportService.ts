// What leaves the app, behind the contract: a trial's encoder bundle, an exported encoder applied to a folder
// of images, and a study's HTML report. Every destination goes through the path policy (absolute; in the desktop
// app chosen or confirmed) and the export's safe-write rules (core/export/safeFolder.ts): nothing is replaced
// without `force`, nothing is written into the data folder's internals or onto a pseudo file system.
import path from 'node:path';
import type { Handlers } from '../../shared/contract';
import { AppError, isErrorCode, type ErrorCode, type ErrorParamValues } from '../../shared/errors';
import { reportFileName } from '../../shared/exportNames';
import type { DataLocations } from '../../core/paths';
import { exportTrial, protectedPaths } from '../../core/export/exportBundle';
import { writeStudyReport } from '../../core/export/report/studyReport';
import type { Storage } from '../../core/storage/types';
import type { ApplyProgress } from '../../core/export/applyEncoder';
import type { EncodeJob, EncodeOutcome, SpawnTrainer } from '../../core/trainer/protocol';
import type { PathPolicy } from '../pathPolicy';
import type { AnyEvent } from './types';
import { runInOwnTrainer } from './ownTrainer';

type ExportHandlers = Pick<Handlers, 'export.encoder' | 'encode.apply' | 'report.write'>;

/** Progress events at most this often (the last one of a phase always goes). */
const PROGRESS_MS = 100;
/** Images per encoder call: progress every 128 images. */
const APP_ENCODE_BATCH = 128;

/** The output file with the format's extension: added when missing, refused when it names the other format. */
export function encodeOutputPath(out: string, format: 'csv' | 'npy'): string {
  const ext = path.extname(out).toLowerCase();
  if (ext === `.${format}`) return out;
  if (ext === '.csv' || ext === '.npy') throw new AppError('OUTPUT_EXTENSION', { expected: `.${format}`, name: path.basename(out) });
  return `${out}.${format}`;
}

/**
 * Runs an encode job in a trainer process of its own (TensorFlow.js work stays out of the app's process, which
 * keeps answering), relays its progress, and ends the process when the job is done. An AppError comes back
 * with its code and parameters; anything else is an unexpected error.
 */
function encodeInTrainer(spawn: SpawnTrainer, job: EncodeJob, onProgress: (p: ApplyProgress) => void): Promise<Extract<EncodeOutcome, { ok: true }>> {
  return runInOwnTrainer(spawn, { type: 'encode', job }, 'The encoding process', (m) => {
    if (m.type === 'encode.step') onProgress(m.payload);
    if (m.type !== 'encode.done') return undefined;
    const r = m.outcome;
    return () => {
      if (r.ok) return r;
      if (isErrorCode(r.code)) throw new (AppError as unknown as new (c: ErrorCode, p: ErrorParamValues) => AppError)(r.code, r.params);
      throw new Error(`Encoding in the trainer process failed: ${r.message}`);
    };
  });
}

export function createExportHandlers(o: { storage: Storage; locations: DataLocations; paths: PathPolicy; emit: (e: AnyEvent) => void; spawnTrainer: SpawnTrainer }): ExportHandlers {
  const { storage, locations, paths } = o;
  return {
    'export.encoder': async ({ trialId, folder: typed, force }) => {
      const folder = await paths.fromPage(typed, 'export');
      if (!(await storage.getTrial(trialId))) throw new AppError('TRIAL_NOT_FOUND', { trialId });
      const r = await exportTrial({ storage, trialId, folder, force, locations });
      return { folder: r.folder, files: r.files };
    },
    'encode.apply': async ({ bundle: typedBundle, data: typedData, out: typedOut, format, force }) => {
      const bundle = await paths.fromPage(typedBundle, 'dataset');
      const data = await paths.fromPage(typedData, 'dataset');
      const out = encodeOutputPath(await paths.fromPage(typedOut, 'export'), format);
      let last = 0;
      const outcome = await encodeInTrainer(o.spawnTrainer, { bundle, inputs: [data], out, force, protectedPaths: protectedPaths(locations), batchRows: APP_ENCODE_BATCH }, (p) => {
        const now = performance.now();
        if (p.done !== p.total && now - last < PROGRESS_MS) return;
        last = now;
        o.emit({ event: 'encode.progress', payload: { out: typedOut, ...p } });
      });
      const { ok: _ok, ...result } = outcome;
      return result;
    },
    'report.write': async ({ study, folder: typed, force }) => {
      const folder = await paths.fromPage(typed, 'export');
      const r = await writeStudyReport({
        storage,
        study,
        out: path.join(folder, reportFileName(study)),
        force,
        protectedPaths: protectedPaths(locations),
        artifactsRoot: locations.artifactsDir,
      });
      return { files: r.files, chosenTrialNumber: r.report.chosenTrialNumber };
    },
  };
}
