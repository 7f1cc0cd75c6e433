// A finished trial's encoder as stored with it: tfjs LayersModel files (model.json + weights.bin, encoder only)
// and features.csv, beside training.json (manifest.ts). Exporting builds the user's bundle from them (exportBundle.ts).
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from './atomic';

/** Saves a LayersModel as model.json + one weights.bin in the standard tfjs format. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(weightData));
      writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Loads a bundle's model.json + weights.bin with plain @tensorflow/tfjs (no tfjs-node file handler). */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const joined = Buffer.concat(buffers);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
}

// Quoted when a reader could misread it: separators, quotes, line breaks, or spaces a reader might trim.
export const csvCell = (s: string): string => (/[",\n\r]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A float32 in 9 significant digits (enough to reproduce it exactly), as Number(v.toPrecision(9)).toString()
 * writes it: without an exponent that is toPrecision's digits minus trailing fractional zeros (a decimal of at
 * most 15 significant digits is the shortest text of its nearest double), without parsing and printing again
 * (features.csv has one per code value: ~2 s of a study trainer's CPU). Exponent forms take the long way.
 */
export function float32Text(v: number): string {
  const s = v.toPrecision(9);
  if (s.includes('e') || !s.includes('.')) return Number(s).toString();
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** features.csv: file, label, z_0..z_{k-1}; 9 significant digits reproduce a float32 exactly. */
export function featuresCsv(files: string[], labels: Array<string | null>, features: Float32Array, k: number): string {
  const header = ['file', 'label', ...Array.from({ length: k }, (_, i) => `z_${i}`)].join(',');
  const lines = [header];
  for (let i = 0; i < files.length; i++) {
    const z: string[] = [];
    for (let j = 0; j < k; j++) z.push(float32Text(features[i * k + j]));
    lines.push([csvCell(files[i]), csvCell(labels[i] ?? ''), ...z].join(','));
  }
  return lines.join('\n') + '\n';
}

/** files.txt: one path per line; a backslash, line feed or carriage return in a name is escaped as backslash + (backslash, n, r). */
export function filesTxt(files: readonly string[]): string {
  return files.map((s) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r')).join('\n') + (files.length ? '\n' : '');
}

/** Encodes every row of x (already normalised) in batches; returns a flat [n, k] array. */
export function encodeAll(encoder: tf.LayersModel, x: tf.Tensor2D, batchSize = 1024): Float32Array {
  const n = x.shape[0];
  const k = encoder.outputs[0].shape[1] as number;
  const out = new Float32Array(n * k);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const z = tf.tidy(() => encoder.predict(x.slice([start, 0], [size, -1])) as tf.Tensor);
    out.set(z.dataSync(), start * k);
    z.dispose();
  }
  return out;
}
