// One hand-configured trial from start to finish: load (cached) data, split, build, fit, store every epoch,
// write the encoder bundle. Runs inside the trainer process and, in-process, in the CLI.
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
import { isAppError } from '../../shared/errors';
import { loadDataset } from '../data/load';
import { stratifiedSplit3 } from '../evaluation/split';
import type { LoadedDataset, LoadProgress } from '../data/types';
import { buildAutoencoder, type Autoencoder } from '../model';
import { seededSubset } from '../../shared/rng';
import type { Storage, TrialRecord } from '../storage/types';
import { selectBackend } from '../training/backend';
import { fitAutoencoder, imageSource } from '../training/fit';
import { floatRows, type ImageRows } from '../data/imageRows';
import { createOptimizer } from '../training/optimizer';
import { featuresCsv, saveLayersModel } from '../export/encoderBundle';
import type { TrainingRecord } from '../export/manifest';
import { inputSpec } from '../data/preprocessSpec';
import { datasetFingerprint } from '../data/fingerprint';
import { writeFileAtomic } from '../export/atomic';
import { createTrialArtifacts, shareTrialArtifacts, type StoredLatents, type TrialArtifacts } from '../storage/artifacts';
import { currentOwner } from '../study/trialOwner';
import { writeTrialAttributes } from '../study/attributes';
import { faultPoint } from '../faultPoints';

import { DEFAULT_EVALUATION, evaluateTrial, type EvaluationOptions } from './evaluateTrial';
import { explorerPoints } from './explorerPoints';
import { liveReconstructionsWriter } from './liveReconstructions';
import { encodeImages } from './encodeImages';
import { downstreamPruneScorer } from './pruneScore';
import type { PruneSignal } from '../../shared/study/prunerConfig';

/** Reconstructions of a fixed validation sample (chosen by the trial seed), pixels as 0-255 integers. */
export interface TrialReconstructions {
  trialId: number;
  epoch: number;
  width: number;
  height: number;
  channels: number;
  /** One flattened NHWC image per row. */
  originals: number[][];
  reconstructions: number[][];
}

/** Codes of (up to LATENT_LIMIT) validation images after training, for latent-space plots. */
export interface TrialLatents {
  trialId: number;
  dims: number;
  codes: number[][];
  /** Class index per code into `classes`; -1 for an unlabeled image. */
  labels: number[];
  classes: string[];
}

export interface TrialEvents {
  datasetProgress?: (p: DatasetProgress) => void;
  progress?: (p: TrialProgress) => void;
  epoch?: (e: TrialEpoch) => void;
  state?: (s: TrialStateEvent) => void;
  reconstructions?: (r: TrialReconstructions) => void;
  latents?: (l: TrialLatents) => void;
  /** Something the user should hear that is no trial event (e.g. files kept on this machine only). */
  log?: (level: 'info' | 'warn', message: string) => void;
}

export const RECONSTRUCTION_SAMPLE = 8;
export const LATENT_LIMIT = 2000;

const toPixels = (v: Float32Array | number[], from: number, len: number): number[] =>
  Array.from({ length: len }, (_, j) => Math.round(Math.min(1, Math.max(0, v[from + j])) * 255));

export interface RunTrialOptions {
  storage: Storage;
  trialId: number;
  request: TrainRequest;
  cacheDir: string;
  /** The data folder's artifacts root; the trial's own folder inside it comes from storage/artifacts.ts. */
  artifactsDir: string;
  signal?: AbortSignal;
  events?: TrialEvents;
  /** Asked with each intermediate value (see `pruning`); true prunes the trial. */
  shouldPrune?: (epoch: number, value: number) => Promise<boolean>;
  /**
   * What the study's pruner compares (its spec's pruner.signal) and at which epochs it decides on this trial.
   * Absent or 'reconstruction': the validation MSE, every epoch. 'downstream': the primary objective from a
   * quick probe (pruneScore.ts), measured only where the pruner decides.
   */
  pruning?: { signal: PruneSignal; decidesAt: (epoch: number) => boolean };
  /** How the finished trial is judged (objectives, probe, test split); reconstruction only by default. */
  evaluation?: EvaluationOptions;
  /**
   * The images the autoencoder learns from: the training split (every search and manual trial), or training +
   * validation for a refit. The probe is fitted on the training split's codes either way, like the baselines it
   * is compared with, and the test split stays unseen.
   */
  fitOn?: 'train' | 'train+validation';
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

/** A few images as one float tensor (pixel / 255). */
function toTensor(ds: LoadedDataset, idx: Int32Array): tf.Tensor2D {
  return tf.tensor2d(floatRows(ds.images, idx), [idx.length, ds.images.rowLength]);
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function runTrial(opts: RunTrialOptions): Promise<TrialOutcome> {
  const { storage, trialId, request, events, signal } = opts;
  const p = request.params;
  const backend = await selectBackend();
  const trial = await storage.getTrial(trialId);
  if (!trial) throw new Error(`Trial ${trialId} does not exist in ${storage.path}.`);
  // This process owns the trial now: if it dies, a resume on this host sees at once that the owner is gone.
  await storage.updateTrial(trialId, { backend: backend.name, startedAt: new Date().toISOString(), owner: currentOwner() });
  await writeTrialAttributes(storage, trialId, { versions: versionsRecord(backend.name, backend.tfjsVersion), backendNote: backend.note });
  await storage.setTrialState(trialId, 'RUNNING');
  events?.state?.({ trialId, state: 'RUNNING', reason: null, backend: backend.name });

  // Watchers on other machines see the reconstructions as they come (a shared database only).
  const live = liveReconstructionsWriter(storage, (message) => events?.log?.('warn', message));
  const finish = async (state: TrialState, reason: string | null, epochs: EpochMetrics[], artifactDir: string | null): Promise<TrialOutcome> => {
    await live?.settled();
    // Failed as stale by another process meanwhile (it took us for dead, e.g. a remote heartbeat check): that
    // verdict stands and its retry runs; a result recorded now would count the trial twice.
    const now = await storage.getTrial(trialId);
    if (now && now.state !== 'RUNNING') return { state: now.state, reason: now.failReason, epochs, artifactDir: null };
    await storage.setTrialState(trialId, state, reason);
    events?.state?.({ trialId, state, reason, backend: backend.name });
    return { state, reason, epochs, artifactDir };
  };

  let ae: Autoencoder | null = null;
  // The images' file, when they are read from the cache per batch: closed with the trial.
  let images: ImageRows | null = null;
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
    images = ds.images;
    if (ds.files.length < 2) throw new Error(`The folder ${request.datasetPath} has fewer than 2 readable images; add more images.`);
    const judge = opts.evaluation ?? DEFAULT_EVALUATION;
    // The test split is held out of training and selection alike; it is scored once the trial is done.
    const split = stratifiedSplit3(ds.labels, p.valFraction, judge.testFraction, p.seed);
    // Batches are read from the images and converted to floats one at a time: a trainer never holds the
    // training split as float32 (20,000 RGB images of 64x64 would be ~1 GB).
    const refit = opts.fitOn === 'train+validation';
    const fitRows = refit ? Int32Array.from([...split.train, ...split.val]) : split.train;
    const train = imageSource(ds.images, fitRows);
    const val = imageSource(ds.images, split.val);
    const inputDim = ds.width * ds.height * ds.channels;
    ae = buildAutoencoder(p, { width: ds.width, height: ds.height, channels: ds.channels }, p.seed);
    const optimizer = createOptimizer(p);
    const started = performance.now();
    const sampleRows = seededSubset(split.val.length, RECONSTRUCTION_SAMPLE, p.seed ^ 0x2c1b3c6d);
    const sample = toTensor(ds, Int32Array.from(sampleRows, (r) => split.val[r]));
    tensors.push(sample);
    const originals = sample.dataSync() as Float32Array;
    const shape = { width: ds.width, height: ds.height, channels: ds.channels };
    let lastReconstructions: TrialReconstructions | null = null;
    const pruneScore = opts.pruning?.signal === 'downstream' ? downstreamPruneScorer(ae, ds, split, p.seed, judge) : null;

    const outcome = await fitAutoencoder({
      ae,
      optimizer,
      train,
      val,
      batchSize: p.batchSize,
      epochs: p.epochs,
      seed: p.seed,
      signal,
      earlyStopping: { patience: p.earlyStoppingPatience, minDelta: p.earlyStoppingMinDelta, restoreBestWeights: p.restoreBestWeights },
      reconstructions: {
        sample,
        every: Math.max(1, Math.round(p.epochs / 10)),
        onReconstruct: (epoch, rec) => {
          // The last set is kept with the trial, so finished trials can be compared by their reconstructions.
          lastReconstructions = {
            trialId,
            epoch,
            ...shape,
            originals: sampleRows.map((_, i) => toPixels(originals, i * inputDim, inputDim)),
            reconstructions: sampleRows.map((_, i) => toPixels(rec, i * inputDim, inputDim)),
          };
          events?.reconstructions?.(lastReconstructions);
          live?.write(lastReconstructions);
        },
      },
      onBatch: (b) => {
        const elapsed = (performance.now() - started) / 1000;
        const fraction = (b.epoch - 1 + b.batch / b.batches) / p.epochs;
        const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : null;
        events?.progress?.({ trialId, epoch: b.epoch, epochs: p.epochs, batch: b.batch, batches: b.batches, samplesPerSec: b.samplesPerSec, etaSeconds: eta });
      },
      // The reconstruction signal is the validation reconstruction MSE: valLoss also holds KL/L1/weight-decay
      // terms, which would make architectures incomparable.
      onEpoch: async (m) => {
        const value = !pruneScore
          ? m.valMse
          : opts.pruning?.decidesAt(m.epoch)
            ? pruneScore({ mse: m.valMse ?? m.valLoss, bce: p.loss === 'bce' ? m.valLoss : undefined })
            : undefined;
        // A downstream score is kept with the epoch's metrics too, so the study pages read it with the curves
        // (the reconstruction signal is valMse, already there).
        const metrics = pruneScore && value !== undefined ? { ...m, intermediate: value } : m;
        await storage.reportStep(trialId, m.epoch, { ...metrics }, value);
        faultPoint('trial.epoch', { number: trial.number, epoch: m.epoch });
        events?.epoch?.({ trialId, metrics });
        return value !== undefined && (await opts.shouldPrune?.(m.epoch, value)) ? 'prune' : undefined;
      },
    });
    optimizer.dispose();
    epochs = outcome.epochs;
    if (outcome.state === 'CANCELLED') return finish('CANCELLED', 'cancelled by the user', epochs, null);
    if (outcome.state === 'FAILED') return finish('FAILED', outcome.reason, epochs, null);
    if (outcome.state === 'PRUNED') return finish('PRUNED', `pruned after epoch ${epochs.length}`, epochs, null);

    const k = ae.latentSize;
    const codes = encodeImages(ae, ds);
    const finalEpoch = epochs.find((e) => e.epoch === outcome.bestEpoch) ?? epochs[epochs.length - 1];
    const judged = evaluateTrial(ds, split, codes, k, { mse: finalEpoch.valMse ?? finalEpoch.valLoss, bce: p.loss === 'bce' ? finalEpoch.valLoss : undefined }, judge);
    if (refit) {
      judged.notes.unshift(
        `Refit: the autoencoder learned from ${split.train.length} training + ${split.val.length} validation images, so its validation figures are not held out; the probe was fitted on the ${split.train.length} training images' codes, like the baselines', and the ${split.test.length} test images stayed unseen.`,
      );
    }
    const artifacts = createTrialArtifacts(opts.artifactsDir, storage, trial);
    const artifactDir = artifacts.dir;
    await writeBundle({ trial, request, ds, ae, codes, artifacts, epochs, bestEpoch: finalEpoch.epoch, backend: backend.name, tfjsVersion: backend.tfjsVersion, fitImages: fitRows.length, fitOn: refit ? 'train+validation' : 'train' });
    const rows = seededSubset(split.val.length, LATENT_LIMIT, p.seed ^ 0x68e31da4);
    const latents: TrialLatents = {
      trialId,
      dims: k,
      codes: rows.map((r) => Array.from(codes.subarray(split.val[r] * k, (split.val[r] + 1) * k))),
      labels: rows.map((r) => ds.labels[split.val[r]]),
      classes: ds.classes,
    };
    writeFileAtomic(
      artifacts.file('latents'),
      JSON.stringify({ latentSize: k, codes: latents.codes, labels: latents.labels.map((l) => (l >= 0 ? ds.classes[l] : null)) } satisfies StoredLatents),
    );
    events?.latents?.(latents);
    const explorer = explorerPoints(ae, ds, rows.map((r) => split.val[r]), codes, judged.valPredictions);
    writeFileAtomic(artifacts.file('points'), JSON.stringify(explorer.points));
    writeFileAtomic(artifacts.file('pointImages'), explorer.images);
    if (lastReconstructions) writeFileAtomic(artifacts.file('reconstructions'), JSON.stringify(lastReconstructions));
    await storage.updateTrial(trialId, { artifactDir });
    // A shared study database keeps a copy for the other machines (over its cap: said, and kept here only).
    const shared = await shareTrialArtifacts(storage, trial, artifacts);
    if (shared && !shared.stored) events?.log?.('warn', shared.message);
    await writeTrialAttributes(storage, trialId, {
      classes: ds.classes,
      evaluation: judged.evaluation,
      testMetrics: judged.test ?? undefined,
      evaluationNotes: judged.notes.length ? judged.notes : undefined,
      testPredictions: judged.testPredictions ?? undefined,
    });
    // Values before the state: a COMPLETE trial is never seen without them (samplers read concurrently).
    await storage.setTrialValues(trialId, judged.values);
    return finish('COMPLETE', null, epochs, artifactDir);
  } catch (err) {
    const reason = isAppError(err) && err.code === 'LOAD_CANCELLED' ? null : errorMessage(err);
    return reason === null ? finish('CANCELLED', 'cancelled by the user', epochs, null) : finish('FAILED', reason, epochs, null);
  } finally {
    ae?.dispose();
    for (const t of tensors) t.dispose();
    images?.close();
  }
}

interface BundleInput {
  trial: TrialRecord;
  request: TrainRequest;
  ds: LoadedDataset;
  ae: Autoencoder;
  /** The encoder's codes of every image, [n, latentSize]. */
  codes: Float32Array;
  artifacts: TrialArtifacts;
  epochs: EpochMetrics[];
  /** The epoch whose weights the encoder holds (early stopping may restore an earlier one). */
  bestEpoch: number | null;
  backend: string;
  tfjsVersion: string;
  /** How many images the autoencoder learned from, and which splits they were. */
  fitImages: number;
  fitOn: 'train' | 'train+validation';
}

async function writeBundle(b: BundleInput): Promise<void> {
  const { ds, ae, request, trial } = b;
  await saveLayersModel(ae.encoder, b.artifacts.dir);
  const labels = Array.from(ds.labels, (l) => (l >= 0 ? ds.classes[l] : null));
  writeFileAtomic(b.artifacts.file('features'), featuresCsv(ds.files, labels, b.codes, ae.latentSize));
  faultPoint('trial.bundle', { number: trial.number });
  const record: TrainingRecord = {
    format: 'latent-lab-trial',
    formatVersion: 1,
    appVersion: APP_VERSION,
    createdAt: new Date().toISOString(),
    trialId: trial.id,
    input: inputSpec(ds.width, ds.channels),
    latentSize: ae.latentSize,
    params: request.params,
    dataset: { path: request.datasetPath, images: ds.files.length, classes: ds.classes, fingerprint: datasetFingerprint(ds) },
    training: {
      epochs: b.epochs.length,
      bestEpoch: b.bestEpoch,
      final: b.epochs.find((e) => e.epoch === b.bestEpoch) ?? b.epochs.at(-1) ?? null,
      backend: b.backend,
      versions: versionsRecord(b.backend, b.tfjsVersion),
      fitOn: b.fitOn,
      fitImages: b.fitImages,
    },
  };
  writeFileAtomic(b.artifacts.file('training'), JSON.stringify(record, null, 2));
}
