// What leaves the app, behind the contract: a trial's encoder bundle, an exported encoder applied to a folder
// of images, and a study's HTML report. Every destination goes through the path policy (absolute; in the desktop
// app chosen or confirmed) and the export's safe-write rules (core/export/safeFolder.ts): nothing is replaced
// without `force`, nothing is written into the data folder's internals or onto a pseudo file system.
import path from 'node:path';
import type { Handlers } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { reportFileName } from '../../shared/exportNames';
import type { DataLocations } from '../../core/paths';
import { exportTrial, protectedPaths } from '../../core/export/exportBundle';
import { writeStudyReport } from '../../core/export/report/studyReport';
import type { Storage } from '../../core/storage/types';
import type { PathPolicy } from '../pathPolicy';
import type { AnyEvent } from './types';

type ExportHandlers = Pick<Handlers, 'export.encoder' | 'encode.apply' | 'report.write'>;

/** Progress events at most this often (the last one of a phase always goes). */
const PROGRESS_MS = 100;
/** Images per encoder batch in the app: small enough that the event loop answers other calls in between. */
const APP_ENCODE_BATCH = 128;

/** The output file with the format's extension: added when missing, refused when it names the other format. */
export function encodeOutputPath(out: string, format: 'csv' | 'npy'): string {
  const ext = path.extname(out).toLowerCase();
  if (ext === `.${format}`) return out;
  if (ext === '.csv' || ext === '.npy') throw new AppError('OUTPUT_EXTENSION', { expected: `.${format}`, name: path.basename(out) });
  return `${out}.${format}`;
}

export function createExportHandlers(o: { storage: Storage; locations: DataLocations; paths: PathPolicy; emit: (e: AnyEvent) => void }): ExportHandlers {
  const { storage, locations, paths } = o;
  return {
    'export.encoder': async ({ trialId, folder: typed, force }) => {
      const folder = await paths.fromPage(typed, 'export');
      if (!storage.getTrial(trialId)) throw new AppError('TRIAL_NOT_FOUND', { trialId });
      const r = await exportTrial({ storage, trialId, folder, force, locations });
      return { folder: r.folder, files: r.files };
    },
    'encode.apply': async ({ bundle: typedBundle, data: typedData, out: typedOut, format, force }) => {
      const bundle = await paths.fromPage(typedBundle, 'dataset');
      const data = await paths.fromPage(typedData, 'dataset');
      const out = encodeOutputPath(await paths.fromPage(typedOut, 'export'), format);
      // TensorFlow.js is loaded on first use only: the app starts without it (training runs in trainers).
      const { applyEncoder } = await import('../../core/export/applyEncoder');
      let last = 0;
      const r = await applyEncoder({
        bundle,
        inputs: [data],
        out,
        force,
        protectedPaths: protectedPaths(locations),
        batchRows: APP_ENCODE_BATCH,
        onProgress: (p) => {
          const now = performance.now();
          if (p.done !== p.total && now - last < PROGRESS_MS) return;
          last = now;
          o.emit({ event: 'encode.progress', payload: { out: typedOut, ...p } });
        },
      });
      return {
        files: r.files,
        images: r.images,
        codeSize: r.manifest.output.codeSize,
        study: r.manifest.study.name,
        trialNumber: r.manifest.study.trialNumber,
        failures: r.failures,
      };
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
