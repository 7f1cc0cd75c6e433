// Applies an exported encoder to new images: the manifest's preprocessing (the same code training used), the
// bundle's TensorFlow.js encoder, and the codes written as CSV (file,label,z_...) or NPY (+ a files list).
// For the training folder the CSV equals the bundle's features.csv.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ImageDecoder, describeDecodeError } from '../data/decode';
import { PREPROCESS_ID } from '../data/preprocess';
import { loadDataset } from '../data/load';
import { readAll } from '../data/imageRows';
import { fileFailure, type FileFailure, type LoadProgress } from '../data/types';
import { selectBackend } from '../training/backend';
import { encodeAll, featuresCsv, filesTxt, loadLayersModel } from './encoderBundle';
import { Manifest } from './manifest';
import { encodeNpy } from './npy';
import { AppError, codedError } from '../../shared/errors';
import { bounded, checkOutputFile, writeFileReplacing } from './safeFolder';

export interface ApplyProgress {
  phase: 'decode' | 'encode';
  done: number;
  total: number;
}

export interface ApplyEncoderOptions {
  bundle: string;
  /** Image folders (labelled by sub-folder, as in training) and single image files. */
  inputs: string[];
  /** Ends in .csv or .npy. */
  out: string;
  force: boolean;
  protectedPaths: string[];
  onProgress?: (p: ApplyProgress) => void;
  signal?: AbortSignal;
  /** Images per encoder call (default 1024); the event loop runs between calls. */
  batchRows?: number;
}

export interface ApplyEncoderResult {
  files: string[];
  images: number;
  failures: FileFailure[];
  manifest: Manifest;
}

/** Reads and checks a bundle's manifest; the message says what is wrong with the folder. */
export async function readBundleManifest(bundle: string): Promise<Manifest> {
  let text: string;
  try {
    text = await bounded(fs.readFile(path.join(bundle, 'manifest.json'), 'utf8'), `Reading ${bundle}`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BUNDLE_INVALID', { path: bundle, reason: 'it has no manifest.json' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('BUNDLE_INVALID', { path: bundle, reason: 'manifest.json is not valid JSON' });
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('BUNDLE_INVALID', { path: bundle, reason: `manifest.json does not match this version's format (${issue?.path.join('.')}: ${issue?.message})` });
  }
  if (parsed.data.input.pipeline !== PREPROCESS_ID) {
    throw new AppError('BUNDLE_PIPELINE', { path: bundle, pipeline: parsed.data.input.pipeline, known: PREPROCESS_ID });
  }
  return parsed.data;
}

interface Images {
  files: string[];
  labels: Array<string | null>;
  pixels: Uint8Array;
  failures: FileFailure[];
}

async function gatherImages(inputs: string[], size: number, channels: 1 | 3, progress: (p: ApplyProgress) => void, signal?: AbortSignal): Promise<Images> {
  const per = size * size * channels;
  const parts: Array<{ files: string[]; labels: Array<string | null>; pixels: Uint8Array }> = [];
  const failures: FileFailure[] = [];
  const decoder = new ImageDecoder({ size, channels });
  const singles = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    const st = await bounded(fs.stat(abs), `Reading ${abs}`).catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      throw new AppError('INPUT_NOT_FOUND', { path: abs });
    });
    if (st.isDirectory()) {
      const prefix = inputs.length > 1 ? `${path.basename(abs)}/` : '';
      const ds = await loadDataset(abs, { size, channels, signal, onProgress: (p: LoadProgress) => p.phase === 'decode' && progress({ phase: 'decode', done: p.done, total: p.total }) });
      // Without a cache folder the pixels are in memory already (loadDataset refuses more than it holds).
      const pixels = readAll(ds.images);
      ds.images.close();
      parts.push({ files: ds.files.map((f) => prefix + f), labels: Array.from(ds.labels, (l) => (l >= 0 ? ds.classes[l] : null)), pixels });
      failures.push(...ds.failures.map((f) => ({ ...f, file: prefix + f.file })));
    } else singles.push(abs);
  }
  if (singles.length) {
    const files: string[] = [];
    const chunks: Uint8Array[] = [];
    for (const [i, file] of singles.entries()) {
      if (signal?.aborted) throw new AppError('ENCODE_CANCELLED');
      try {
        chunks.push(await decoder.decode(await bounded(fs.readFile(file), `Reading ${file}`)));
        files.push(file);
      } catch (err) {
        failures.push(fileFailure(file, err instanceof AppError ? codedError(err) : describeDecodeError(err)));
      }
      progress({ phase: 'decode', done: i + 1, total: singles.length });
    }
    const pixels = new Uint8Array(chunks.length * per);
    chunks.forEach((c, i) => pixels.set(c, i * per));
    parts.push({ files, labels: files.map(() => null), pixels });
  }
  const n = parts.reduce((a, p) => a + p.files.length, 0);
  const pixels = new Uint8Array(n * per);
  let o = 0;
  for (const p of parts) {
    pixels.set(p.pixels, o);
    o += p.pixels.length;
  }
  return { files: parts.flatMap((p) => p.files), labels: parts.flatMap((p) => p.labels), pixels, failures };
}

export async function applyEncoder(opts: ApplyEncoderOptions): Promise<ApplyEncoderResult> {
  const manifest = await readBundleManifest(opts.bundle);
  const ext = path.extname(opts.out).toLowerCase();
  if (ext !== '.csv' && ext !== '.npy') throw new AppError('OUTPUT_EXTENSION', { expected: '.csv or .npy', name: path.basename(opts.out) });
  const policy = { protectedPaths: opts.protectedPaths, force: opts.force, what: 'output file' };
  const out = await checkOutputFile(opts.out, policy);
  const filesList = ext === '.npy' ? out.replace(/\.npy$/i, '.files.txt') : null;
  if (filesList) await checkOutputFile(filesList, policy);
  const progress = opts.onProgress ?? (() => undefined);
  const { width: size, channels } = manifest.input;
  const images = await gatherImages(opts.inputs, size, channels, progress, opts.signal);
  if (images.files.length === 0) {
    const examples = images.failures.slice(0, 3).map((f) => `${f.file}: ${f.reason}`).join('; ');
    throw new AppError('NOTHING_TO_ENCODE', { inputs: opts.inputs.join(', '), examples: examples ? ` (${examples})` : '' });
  }
  await selectBackend();
  const model = await loadLayersModel(opts.bundle);
  const d = size * size * channels;
  const k = manifest.output.codeSize;
  const n = images.files.length;
  const codes = new Float32Array(n * k);
  const batch = Math.max(1, opts.batchRows ?? 1024);
  try {
    for (let start = 0; start < n; start += batch) {
      if (opts.signal?.aborted) throw new AppError('ENCODE_CANCELLED');
      const rows = Math.min(batch, n - start);
      const x = tf.tensor2d(Float32Array.from(images.pixels.subarray(start * d, (start + rows) * d), (v) => v / 255), [rows, d]);
      codes.set(encodeAll(model, x), start * k);
      x.dispose();
      progress({ phase: 'encode', done: start + rows, total: n });
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    model.dispose();
  }
  const written = [out];
  if (ext === '.csv') await writeFileReplacing(out, featuresCsv(images.files, images.labels, codes, k));
  else {
    await writeFileReplacing(out, encodeNpy({ dtype: '<f4', data: codes, shape: [n, k] }));
    await writeFileReplacing(filesList as string, filesTxt(images.files));
    written.push(filesList as string);
  }
  return { files: written, images: n, failures: images.failures, manifest };
}
