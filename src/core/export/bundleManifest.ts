// Assembles an export's manifest from the trial's training record and what the trial database knows now
// (objective values, validation and test metrics, the study's baselines, the verdict on test).
import { createHash } from 'node:crypto';
import { activeParams } from '../../shared/activeParams';
import { APP_VERSION } from '../../shared/version';
import { baselinesOf, confusionOf, flattenSplitMetrics, validationMetrics } from '../evaluation/storedMetrics';
import { readTrialAttributes } from '../study/attributes';
import { storedVerdict } from '../evaluation/verdict';
import { verdictLinesEn } from '../../shared/verdict';
import type { JsonValue, Storage, TrialRecord } from '../storage/types';
import { BUNDLE_FORMAT_VERSION, type Manifest, type TrainingRecord } from './manifest';
import { ONNX_OPSET } from './onnx/proto';

export const ONNX_INPUT = 'pixels';
export const ONNX_OUTPUT = 'code';

/** JSON with object keys sorted at every level, so equal specs hash equally whatever their key order. */
export function canonicalJson(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, JsonValue>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const obj = (v: JsonValue | undefined): Record<string, JsonValue> | null => (v && typeof v === 'object' && !Array.isArray(v) ? v : null);

function objectiveNames(spec: Record<string, JsonValue> | null, count: number): string[] {
  const list = Array.isArray(spec?.objectives) ? spec.objectives : [];
  const names = list.map((o) => {
    const rec = obj(o);
    return typeof rec?.name === 'string' ? rec.name : typeof rec?.metric === 'string' ? rec.metric : 'objective';
  });
  return Array.from({ length: count }, (_, i) => names[i] ?? (i === 0 ? 'val_recon' : `objective_${i}`));
}

export const BUNDLE_FILE_NOTES: Record<string, string> = {
  'manifest.json': 'this file',
  'manifest.schema.json': 'the JSON Schema (draft 2020-12) this manifest validates against',
  'encoder.onnx': 'the encoder as ONNX (opset 13): input "pixels" [batch, H*W*C] float32, output "code" [batch, codeSize]',
  'model.json': 'the encoder as a TensorFlow.js LayersModel (load with tf.loadLayersModel)',
  'weights.bin': "model.json's weights (float32, little-endian, in weightsManifest order)",
  'features.csv': 'file,label,z_0..z_{k-1}: the code of every training image (9 significant digits reproduce the float32)',
  'features.npy': 'the same codes as float32 [images, codeSize] (numpy.load)',
  'labels.npy': 'int32 [images]: index into dataset.classes (and classes.txt), -1 for an unlabeled image',
  'files.txt': 'one image path per line, relative to dataset.path, in the rows\' order (a backslash, line feed or carriage return in a name is written \\\\, \\n, \\r)',
  'classes.txt': 'one class name per line, index = line number - 1 (empty for an unlabeled folder)',
};

export interface ManifestInput {
  storage: Storage;
  trial: TrialRecord;
  record: TrainingRecord;
  exportedAt: Date;
}

export async function buildManifest({ storage, trial, record, exportedAt }: ManifestInput): Promise<Manifest> {
  const study = await storage.getStudyById(trial.studyId);
  const attrs = await readTrialAttributes(storage, trial.id);
  // A refit is judged against the baselines of the study it came from, with that study's probe.
  const judgedBy = attrs.refitOf ? await storage.getStudyById(attrs.refitOf.studyId) : study;
  const spec = obj(judgedBy?.spec ?? undefined);
  const studyAttrs = judgedBy ? await storage.getStudyAttrs(judgedBy.id) : {};
  const directions = study?.directions ?? ['minimize'];
  const names = objectiveNames(attrs.refitOf ? null : spec, Math.max(directions.length, trial.values.length));
  const baselines = baselinesOf(studyAttrs, record.latentSize);
  const classes = record.dataset.classes;
  const test = attrs.testMetrics ?? null;
  const p = record.params;
  const k = record.latentSize;
  const inputDim = record.input.width * record.input.height * record.input.channels;
  // The exported trial's own verdict (not necessarily the study's chosen trial): its code against raw pixels and PCA(k).
  const verdict = storedVerdict({ id: trial.id, number: trial.number, latentSize: k }, attrs, studyAttrs);
  return {
    $schema: './manifest.schema.json',
    format: 'latent-lab-encoder',
    formatVersion: BUNDLE_FORMAT_VERSION,
    appVersion: APP_VERSION,
    trainedAt: record.createdAt,
    exportedAt: exportedAt.toISOString(),
    study: {
      name: trial.studyName,
      trialNumber: trial.number,
      specHash: judgedBy?.spec ? createHash('sha256').update(canonicalJson(judgedBy.spec)).digest('hex') : null,
      objectives: names.map((name, i) => ({ name, direction: directions[i] ?? 'minimize', value: trial.values[i] ?? null })),
      baselines: baselines
        ? {
            probe: typeof obj(spec?.probe)?.kind === 'string' ? String(obj(spec?.probe)?.kind) : 'logistic',
            pcaDim: baselines.pcaDim,
            rawPixels: baselines.raw,
            pca: baselines.pca,
            note: baselines.rawSkipped,
          }
        : null,
    },
    refit: attrs.refitOf
      ? {
          study: attrs.refitOf.study,
          trialNumber: attrs.refitOf.trialNumber,
          trainedOn: 'training + validation',
          images: record.training.fitImages ?? null,
          epochs: record.training.epochs,
        }
      : null,
    trial: {
      architecture: p.architecture,
      seed: p.seed,
      params: activeParams(p),
      epochs: record.training.epochs,
      bestEpoch: record.training.bestEpoch,
      finalEpoch: record.training.final,
      backend: record.training.backend,
      versions: record.training.versions,
    },
    dataset: record.dataset,
    input: record.input,
    model: {
      onnx: { file: 'encoder.onnx', input: ONNX_INPUT, output: ONNX_OUTPUT, opset: ONNX_OPSET },
      tfjs: { file: 'model.json', weights: 'weights.bin', input: 'encoder_input', output: 'code' },
      inputShape: [-1, inputDim],
      outputShape: [-1, k],
    },
    output: {
      codeSize: k,
      meaning:
        p.architecture === 'variational'
          ? 'the mean of q(z|x): the variational encoder without sampling (its log-variance head is not exported)'
          : `the ${p.architecture} autoencoder's bottleneck code (linear layer, no activation)`,
    },
    metrics: {
      validation: validationMetrics(attrs.evaluation),
      test: test ? flattenSplitMetrics('test', test) : null,
      validationConfusion: confusionOf(attrs.evaluation, classes),
      testConfusion: test ? confusionOf(test, classes) : null,
      verdict: verdict ? { ...verdict, summary: verdictLinesEn(verdict, attrs.refitOf ? `the refit of ${attrs.refitOf.study} trial #${attrs.refitOf.trialNumber}` : undefined) } : null,
    },
    files: { ...BUNDLE_FILE_NOTES },
  };
}
