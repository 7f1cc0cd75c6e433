// manifest.json of an exported encoder: what goes in (every preprocessing step), what comes out, which trial of
// which study on which data, and how good it was. The zod schema is the one definition: it types the code, checks
// bundles we read back (encode), and becomes manifest.schema.json, shipped in every bundle.
import { z } from 'zod';
import { Architecture, AutoencoderParams, Channels, EpochMetrics } from '../../shared/schemas';
import { TestVerdict } from '../../shared/verdict';

const Metrics = z.record(z.string(), z.number().nullable()).describe('metric name -> value (null: not defined for this data)');
const Confusion = z
  .object({ classes: z.array(z.string()), matrix: z.array(z.array(z.number().int().min(0))) })
  .describe('rows: true class, columns: predicted class, in `classes` order');

export const InputSpecSchema = z.object({
  pipeline: z.string().describe('identifies this exact preprocessing; a bundle with another pipeline id needs other steps'),
  summary: z.string(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  channels: Channels,
  colour: z.enum(['grey', 'rgb']),
  decode: z.object({
    decoder: z.string().describe('the decoder and library versions the training images went through'),
    extensions: z.array(z.string()),
    steps: z.array(z.string()).describe('in order, from file bytes to W x H 8-bit samples'),
    jpeg: z.string(),
    cmyk: z.string(),
  }),
  alpha: z.object({ background: z.tuple([z.number(), z.number(), z.number()]), formula: z.string() }),
  colourConversion: z.object({ formula: z.string() }),
  resize: z.object({ fit: z.literal('cover'), position: z.literal('centre'), kernel: z.literal('area'), steps: z.array(z.string()) }),
  scaling: z.object({ formula: z.string(), dtype: z.literal('float32'), range: z.tuple([z.number(), z.number()]) }),
  layout: z.literal('NHWC'),
  tensorShape: z.array(z.number().int()).length(4),
  flatten: z.string(),
});
export type InputSpecJson = z.infer<typeof InputSpecSchema>;

/** What runTrial stores beside the weights (artifact training.json): the facts only training knows. */
export const TrainingRecord = z.object({
  format: z.literal('latent-lab-trial'),
  formatVersion: z.literal(1),
  appVersion: z.string(),
  createdAt: z.string(),
  trialId: z.number().int(),
  input: InputSpecSchema,
  latentSize: z.number().int().min(1),
  params: AutoencoderParams,
  dataset: z.object({
    path: z.string(),
    images: z.number().int(),
    classes: z.array(z.string()),
    fingerprint: z.string(),
  }),
  training: z.object({
    epochs: z.number().int(),
    bestEpoch: z.number().int().nullable(),
    final: EpochMetrics.nullable(),
    backend: z.string(),
    versions: z.record(z.string(), z.string()),
    /** Absent in trials from before refits: those learned from the training split. */
    fitOn: z.enum(['train', 'train+validation']).optional(),
    fitImages: z.number().int().optional(),
  }),
});
export type TrainingRecord = z.infer<typeof TrainingRecord>;

export const BUNDLE_FORMAT_VERSION = 2;

export const Manifest = z
  .object({
    $schema: z.literal('./manifest.schema.json'),
    format: z.literal('latent-lab-encoder'),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    appVersion: z.string(),
    trainedAt: z.string(),
    exportedAt: z.string(),
    study: z.object({
      name: z.string(),
      trialNumber: z.number().int().describe("the trial's number within its study, as Latent Lab shows it"),
      specHash: z.string().nullable().describe('sha256 of the study spec as stored (keys sorted); null for hand-configured trials'),
      objectives: z.array(z.object({ name: z.string(), direction: z.enum(['minimize', 'maximize']), value: z.number().nullable() })),
      baselines: z
        .object({
          probe: z.string(),
          pcaDim: z.number().int(),
          rawPixels: Metrics.nullable(),
          pca: Metrics,
          note: z.string().nullable(),
        })
        .nullable()
        .describe("the study's probe on raw pixels and on PCA features, validation split"),
    }),
    refit: z
      .object({
        study: z.string(),
        trialNumber: z.number().int().describe('the chosen trial of that study whose configuration was refitted'),
        trainedOn: z.literal('training + validation'),
        images: z.number().int().nullable().describe('images the autoencoder learned from'),
        epochs: z.number().int(),
      })
      .nullable()
      .optional()
      .describe(
        "set when this encoder is a refit: the study's chosen configuration trained again on its training + validation images (study.name is then the Refits study, specHash, baselines and verdict are the refitted study's); null for an encoder from a study or manual trial (absent in bundles written before refits existed)",
      ),
    trial: z.object({
      architecture: Architecture,
      seed: z.number().int(),
      params: z.record(z.string(), z.unknown()).describe('the hyperparameters this architecture and optimizer use (others omitted)'),
      epochs: z.number().int(),
      bestEpoch: z.number().int().nullable(),
      finalEpoch: EpochMetrics.nullable(),
      backend: z.string(),
      versions: z.record(z.string(), z.string()),
    }),
    dataset: z.object({
      path: z.string(),
      images: z.number().int(),
      classes: z.array(z.string()),
      fingerprint: z.string().describe('sha256 of the preprocessed dataset: file list, labels and model pixels'),
    }),
    input: InputSpecSchema,
    model: z.object({
      onnx: z.object({ file: z.literal('encoder.onnx'), input: z.string(), output: z.string(), opset: z.number().int() }),
      tfjs: z.object({ file: z.literal('model.json'), weights: z.literal('weights.bin'), input: z.string(), output: z.string() }),
      inputShape: z.tuple([z.literal(-1), z.number().int()]),
      outputShape: z.tuple([z.literal(-1), z.number().int()]),
    }),
    output: z.object({
      codeSize: z.number().int().min(1),
      meaning: z.string(),
    }),
    metrics: z.object({
      validation: Metrics,
      test: Metrics.nullable().describe('the held-out test split, scored once the trial finished; null when the study keeps no test split'),
      validationConfusion: Confusion.nullable(),
      testConfusion: Confusion.nullable(),
      verdict: TestVerdict.extend({ summary: z.array(z.string()).describe('the verdict in plain English, one line each') })
        .nullable()
        .optional()
        .describe(
          "does this encoder's code beat raw pixels and PCA at the same code size? Test accuracies with 95% bootstrap intervals and McNemar's paired test, on the same test images; null without test predictions (absent in bundles written before it existed)",
        ),
    }),
    files: z.record(z.string(), z.string()).describe('file name -> what it holds'),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

/** manifest.schema.json: the JSON Schema (draft 2020-12) generated from the zod schema above. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Manifest, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, title: 'Latent Lab encoder bundle manifest' };
}
