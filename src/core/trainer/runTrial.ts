// One hand-configured trial from start to finish: load (cached) data, split, build, fit, store every epoch,
// write the encoder bundle. Runs inside the trainer process and, in-process, in the CLI.
import path from 'node:path';
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type {
  DatasetProgress,
  EpochMetrics,
  TrainRequest,
  TrialEpoch,
  TrialProgress,
  TrialState,
  TrialStateEvent,
} from '../../shared/dto';
import { APP_VERSION } from '../../shared/version';
import { loadDataset } from '../data/load';
import { stratifiedSplit } from '../data/split';
import type { LoadedDataset, LoadProgress } from '../data/types';
import { buildDenseAutoencoder, type Autoencoder } from '../model/dense';
import type { Storage } from '../storage/types';
import { selectBackend } from '../training/backend';
import { fitAutoencoder } from '../training/fit';
import { createOptimizer } from '../training/optimizer';
import { encodeAll, featuresCsv, saveLayersModel, type Manifest } from '../export/encoderBundle';
import { describeWriteError, writeFileAtomic } from '../export/atomic';

import { MANUAL_STUDY } from './manualTrial';

export interface TrialEvents {
  datasetProgress?: (p: DatasetProgress) => void;
  progress?: (p: TrialProgress) => void;
  epoch?: (e: TrialEpoch) => void;
  state?: (s: TrialStateEvent) => void;
}

export interface RunTrialOptions {
  storage: Storage;
  trialId: number;
  request: TrainRequest;
  cacheDir: string;
  artifactsDir: string;
  signal?: AbortSignal;
  events?: TrialEvents;
  /** Asked after every epoch with the intermediate value (validation loss); true prunes the trial. */
  shouldPrune?: (epoch: number, value: number) => boolean;
}

export interface TrialOutcome {
  state: TrialState;
  reason: string | null;
  epochs: EpochMetrics[];
  artifactDir: string | null;
}

export function versionsRecord(backend: string, tfjsVersion: string): Record<string, string> {
  const v: Record<string, string> = {
    app: APP_VERSION,
    tfjs: tfjsVersion,
    backend,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
  if (process.versions.electron) v.electron = process.versions.electron;
  return v;
}

function toTensors(ds: LoadedDataset, idx: Int32Array): tf.Tensor2D {
  const dim = ds.width * ds.height * ds.channels;
  const out = new Float32Array(idx.length * dim);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r] * dim;
    for (let j = 0; j < dim; j++) out[r * dim + j] = ds.pixels[src + j] / 255;
  }
  return tf.tensor2d(out, [idx.length, dim]);
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function runTrial(opts: RunTrialOptions): Promise<TrialOutcome> {
  const { storage, trialId, request, events, signal } = opts;
  const p = request.params;
  const backend = await selectBackend();
  const trial = storage.getTrial(trialId);
  if (!trial) throw new Error(`Trial ${trialId} does not exist in ${storage.path}.`);
  storage.updateTrial(trialId, { backend: backend.name, startedAt: new Date().toISOString() });
  storage.setTrialAttr(trialId, 'versions', versionsRecord(backend.name, backend.tfjsVersion));
  storage.setTrialAttr(trialId, 'backendNote', backend.note);
  storage.setTrialState(trialId, 'RUNNING');
  events?.state?.({ trialId, state: 'RUNNING', reason: null, backend: backend.name });

  const finish = (state: TrialState, reason: string | null, epochs: EpochMetrics[], artifactDir: string | null): TrialOutcome => {
    storage.setTrialState(trialId, state, reason);
    events?.state?.({ trialId, state, reason, backend: backend.name });
    return { state, reason, epochs, artifactDir };
  };

  let ae: Autoencoder | null = null;
  const tensors: tf.Tensor[] = [];
  let epochs: EpochMetrics[] = [];
  try {
    const ds = await loadDataset(request.datasetPath, {
      size: p.imageSize,
      channels: p.channels,
      cacheDir: opts.cacheDir,
      signal,
      onProgress: (pr: LoadProgress) => events?.datasetProgress?.({ path: request.datasetPath, ...pr }),
    });
    if (ds.files.length < 2) throw new Error(`The folder ${request.datasetPath} has fewer than 2 readable images; add more images.`);
    const split = stratifiedSplit(ds.labels, p.valFraction, p.seed);
    const train = toTensors(ds, split.train);
    const val = toTensors(ds, split.val);
    tensors.push(train, val);
    const inputDim = ds.width * ds.height * ds.channels;
    ae = buildDenseAutoencoder(p, inputDim, p.seed);
    const optimizer = createOptimizer(p.optimizer, p.learningRate);
    const started = performance.now();

    const outcome = await fitAutoencoder({
      ae,
      optimizer,
      train,
      val,
      batchSize: p.batchSize,
      epochs: p.epochs,
      seed: p.seed,
      signal,
      onBatch: (b) => {
        const elapsed = (performance.now() - started) / 1000;
        const fraction = (b.epoch - 1 + b.batch / b.batches) / p.epochs;
        const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : null;
        events?.progress?.({ trialId, epoch: b.epoch, epochs: p.epochs, batch: b.batch, batches: b.batches, samplesPerSec: b.samplesPerSec, etaSeconds: eta });
      },
      onEpoch: (m) => {
        storage.reportStep(trialId, m.epoch, { ...m }, m.valLoss);
        events?.epoch?.({ trialId, metrics: m });
        return opts.shouldPrune?.(m.epoch, m.valLoss) ? 'prune' : undefined;
      },
    });
    optimizer.dispose();
    epochs = outcome.epochs;
    if (outcome.state === 'CANCELLED') return finish('CANCELLED', 'cancelled by the user', epochs, null);
    if (outcome.state === 'FAILED') return finish('FAILED', outcome.reason, epochs, null);
    if (outcome.state === 'PRUNED') return finish('PRUNED', `pruned after epoch ${epochs.length}`, epochs, null);

    const artifactDir = path.join(opts.artifactsDir, `trial-${trialId}`);
    await writeBundle({ storage, trialId, request, ds, ae, artifactDir, epochs, backend: backend.name, tfjsVersion: backend.tfjsVersion });
    storage.updateTrial(trialId, { artifactDir });
    const best = Math.min(...epochs.map((e) => e.valLoss));
    storage.setTrialValues(trialId, [best]);
    return finish('COMPLETE', null, epochs, artifactDir);
  } catch (err) {
    const reason = (err as { code?: string }).code === 'CANCELLED' ? null : errorMessage(err);
    return reason === null ? finish('CANCELLED', 'cancelled by the user', epochs, null) : finish('FAILED', reason, epochs, null);
  } finally {
    ae?.dispose();
    for (const t of tensors) t.dispose();
  }
}

interface BundleInput {
  storage: Storage;
  trialId: number;
  request: TrainRequest;
  ds: LoadedDataset;
  ae: Autoencoder;
  artifactDir: string;
  epochs: EpochMetrics[];
  backend: string;
  tfjsVersion: string;
}

async function writeBundle(b: BundleInput): Promise<void> {
  const { ds, ae, request } = b;
  try {
    fs.mkdirSync(b.artifactDir, { recursive: true });
  } catch (err) {
    throw new Error(describeWriteError(b.artifactDir, err));
  }
  await saveLayersModel(ae.encoder, b.artifactDir);
  const all = toTensors(ds, Int32Array.from({ length: ds.files.length }, (_, i) => i));
  const z = encodeAll(ae.encoder, all);
  all.dispose();
  const labels = Array.from(ds.labels, (l) => (l >= 0 ? ds.classes[l] : null));
  writeFileAtomic(path.join(b.artifactDir, 'features.csv'), featuresCsv(ds.files, labels, z, ae.latentSize));
  const trial = b.storage.getTrial(b.trialId);
  const manifest: Manifest = {
    format: 'latent-lab-encoder',
    formatVersion: 1,
    appVersion: APP_VERSION,
    createdAt: new Date().toISOString(),
    trial: { id: b.trialId, study: trial?.studyName ?? MANUAL_STUDY, number: trial?.number ?? 0 },
    input: { width: ds.width, height: ds.height, channels: ds.channels, layout: 'NHWC flattened row-major', length: ae.inputDim },
    normalization: 'pixel / 255 (uint8 -> [0,1]); images resized to width x height as at training',
    latentSize: ae.latentSize,
    params: request.params,
    seed: request.params.seed,
    metrics: { final: b.epochs.at(-1) ?? null, bestValLoss: b.epochs.length ? Math.min(...b.epochs.map((e) => e.valLoss)) : null },
    backend: b.backend,
    versions: versionsRecord(b.backend, b.tfjsVersion),
    dataset: { path: request.datasetPath, images: ds.files.length, classes: ds.classes },
  };
  writeFileAtomic(path.join(b.artifactDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}
