// Exporting a finished trial: the stored encoder and features become a self-describing bundle (manifest + its
// JSON Schema, ONNX and TensorFlow.js encoders, features as CSV and NPY with labels and file names), written
// into a new or empty folder in one piece (safeFolder.ts). No TensorFlow.js needed, so the CLI's export is quick.
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_VERSION } from '../../shared/version';
import { parseCsvRecords } from '../csv';
import type { DataLocations } from '../paths';
import type { Storage, TrialRecord } from '../storage/types';
import { filesTxt } from './encoderBundle';
import { BUNDLE_FILE_NOTES, buildManifest, ONNX_INPUT, ONNX_OUTPUT } from './bundleManifest';
import { manifestJsonSchema, TrainingRecord, type Manifest } from './manifest';
import { ARTIFACT_FILES, trialArtifacts, type TrialArtifacts } from '../storage/artifacts';
import { encodeNpy } from './npy';
import { layersModelToOnnx } from './onnx/fromLayers';
import { AppError } from '../../shared/errors';
import { bounded, writeFileDurable, writeFolderAtomically, type DestinationPolicy } from './safeFolder';

export const BUNDLE_FILES = Object.keys(BUNDLE_FILE_NOTES);

/** The data folder's internals: an export never goes into, onto or around them. */
export function protectedPaths(l: Pick<DataLocations, 'artifactsDir' | 'cacheDir' | 'sampleDir' | 'dbPath'>): string[] {
  return [l.artifactsDir, l.cacheDir, l.sampleDir, l.dbPath, `${l.dbPath}-wal`, `${l.dbPath}-shm`];
}

/** An existing folder --force may replace: an earlier bundle, nothing else in it. */
async function isEarlierBundle(entries: string[], dir: string): Promise<boolean> {
  if (!entries.includes('manifest.json') || !entries.every((e) => BUNDLE_FILES.includes(e))) return false;
  try {
    const m = JSON.parse(await bounded(fs.readFile(path.join(dir, 'manifest.json'), 'utf8'), 'Reading the earlier manifest')) as { format?: unknown };
    return m.format === 'latent-lab-encoder';
  } catch {
    return false;
  }
}

export function bundlePolicy(locations: Parameters<typeof protectedPaths>[0], force: boolean): DestinationPolicy {
  return { protectedPaths: protectedPaths(locations), force, replaceable: isEarlierBundle, what: 'encoder bundle' };
}

export interface ExportTrialOptions {
  storage: Storage;
  trialId: number;
  /** Absolute destination folder. */
  folder: string;
  force?: boolean;
  locations: Parameters<typeof protectedPaths>[0];
  now?: Date;
}

export interface ExportTrialResult {
  folder: string;
  files: string[];
  manifest: Manifest;
}

async function readArtifact(dir: string, name: string): Promise<Buffer> {
  try {
    return await bounded(fs.readFile(path.join(dir, name)), `Reading ${name}`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('ARTIFACT_MISSING', { file: name, folder: dir });
  }
}

/**
 * A trial's stored files (checked to belong to this database's trial) and its training record; trials from
 * before the preprocessing was specified cannot export.
 */
export async function readTrainingRecord(storage: Storage, t: TrialRecord, artifactsRoot: string): Promise<{ record: TrainingRecord; artifacts: TrialArtifacts }> {
  if (t.state !== 'COMPLETE' || !t.artifactDir) throw new AppError('NOT_EXPORTABLE', { number: `#${t.number} of ${t.studyName}`, state: t.state });
  const artifacts = await trialArtifacts(storage, t, artifactsRoot);
  const raw = await readArtifact(artifacts.dir, ARTIFACT_FILES.training).catch((err: unknown) => {
    if (!artifacts.has('legacyManifest')) throw err;
    throw new AppError('EXPORT_LEGACY_TRIAL', { number: t.number, study: t.studyName });
  });
  const parsed = TrainingRecord.safeParse(JSON.parse(raw.toString('utf8')));
  if (!parsed.success) throw new AppError('ARTIFACT_DAMAGED', { file: ARTIFACT_FILES.training, folder: artifacts.dir, reason: parsed.error.issues[0]?.message ?? 'unreadable' });
  return { record: parsed.data, artifacts };
}

/** features.csv back into arrays (the file is ours: file,label,z_0..z_{k-1}). */
export function parseFeaturesCsv(text: string, k: number, classes: string[]): { files: string[]; labels: Int32Array; features: Float32Array } {
  const records = parseCsvRecords(text, (line, message) => new Error(`features.csv line ${line}: ${message}`));
  const rows = records.slice(1);
  const features = new Float32Array(rows.length * k);
  const labels = new Int32Array(rows.length);
  const index = new Map(classes.map((c, i) => [c, i]));
  const files = rows.map((r, i) => {
    if (r.fields.length !== k + 2) throw new Error(`features.csv line ${r.line}: expected ${k + 2} fields, got ${r.fields.length}`);
    labels[i] = r.fields[1] === '' ? -1 : (index.get(r.fields[1]) ?? -1);
    for (let j = 0; j < k; j++) features[i * k + j] = Number(r.fields[j + 2]);
    return r.fields[0];
  });
  return { files, labels, features };
}

export async function exportTrial(opts: ExportTrialOptions): Promise<ExportTrialResult> {
  const { storage } = opts;
  const trial = await storage.getTrial(opts.trialId);
  if (!trial) throw new AppError('TRIAL_NOT_FOUND', { trialId: opts.trialId });
  const { record, artifacts } = await readTrainingRecord(storage, trial, opts.locations.artifactsDir);
  const [modelJson, weights, featuresCsv] = await Promise.all((['model', 'weights', 'features'] as const).map((f) => readArtifact(artifacts.dir, ARTIFACT_FILES[f])));
  const manifest = await buildManifest({ storage, trial, record, exportedAt: opts.now ?? new Date() });
  const onnx = layersModelToOnnx(JSON.parse(modelJson.toString('utf8')), weights, {
    inputName: ONNX_INPUT,
    outputName: ONNX_OUTPUT,
    graphName: 'encoder',
    producerVersion: APP_VERSION,
    docString: `Latent Lab encoder: ${trial.studyName} trial #${trial.number}. Input: ${record.input.summary} Output: ${manifest.output.meaning}.`,
    metadata: { study: trial.studyName, trial_number: String(trial.number), preprocessing: record.input.pipeline, code_size: String(record.latentSize) },
  });
  const k = record.latentSize;
  const parsed = parseFeaturesCsv(featuresCsv.toString('utf8'), k, record.dataset.classes);
  const contents: Record<string, Uint8Array | string> = {
    'manifest.json': JSON.stringify(manifest, null, 2) + '\n',
    'manifest.schema.json': JSON.stringify(manifestJsonSchema(), null, 2) + '\n',
    'encoder.onnx': onnx,
    'model.json': modelJson,
    'weights.bin': weights,
    'features.csv': featuresCsv,
    'features.npy': encodeNpy({ dtype: '<f4', data: parsed.features, shape: [parsed.files.length, k] }),
    'labels.npy': encodeNpy({ dtype: '<i4', data: parsed.labels, shape: [parsed.files.length] }),
    'files.txt': filesTxt(parsed.files),
    'classes.txt': filesTxt(record.dataset.classes),
  };
  const folder = await writeFolderAtomically(opts.folder, {
    policy: bundlePolicy(opts.locations, opts.force ?? false),
    write: async (tmp) => {
      for (const name of BUNDLE_FILES) await writeFileDurable(path.join(tmp, name), contents[name]);
    },
  });
  return { folder, files: BUNDLE_FILES.map((f) => path.join(folder, f)), manifest };
}
