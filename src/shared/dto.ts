import type { z } from 'zod';
import * as S from './schemas';

export type Activation = z.infer<typeof S.Activation>;
export type OutputActivation = z.infer<typeof S.OutputActivation>;
export type OptimizerName = z.infer<typeof S.OptimizerName>;
export type Channels = z.infer<typeof S.Channels>;
export type DatasetOptions = z.infer<typeof S.DatasetOptions>;
export type DatasetSummary = z.infer<typeof S.DatasetSummary>;
export type AutoencoderParams = z.infer<typeof S.AutoencoderParams>;
export type TrainRequest = z.infer<typeof S.TrainRequest>;
export type TrialState = z.infer<typeof S.TrialState>;
export type EpochMetrics = z.infer<typeof S.EpochMetrics>;
export type TrialSummary = z.infer<typeof S.TrialSummary>;
export type TrialDetail = z.infer<typeof S.TrialDetail>;
export type AppInfo = z.infer<typeof S.AppInfo>;
export type ExportResult = z.infer<typeof S.ExportResult>;
export type EncodeResult = z.infer<typeof S.EncodeResult>;
export type ReportResult = z.infer<typeof S.ReportResult>;
export type DatasetProgress = z.infer<typeof S.DatasetProgress>;
export type TrialProgress = z.infer<typeof S.TrialProgress>;
export type TrialEpoch = z.infer<typeof S.TrialEpoch>;
export type TrialStateEvent = z.infer<typeof S.TrialStateEvent>;
export type StudySummary = z.infer<typeof S.StudySummary>;
export type PruneView = z.infer<typeof S.PruneView>;
export type StudyDetail = z.infer<typeof S.StudyDetail>;
export type PcaAtSize = z.infer<typeof S.PcaAtSize>;
export type StudyProgress = z.infer<typeof S.StudyProgress>;
export type StudyState = z.infer<typeof S.StudyState>;
export type TrialReconstructions = z.infer<typeof S.TrialReconstructions>;
export type TrialLatents = z.infer<typeof S.TrialLatents>;
export type Projection = z.infer<typeof S.Projection>;
export type ProjectionMethod = z.infer<typeof S.ProjectionMethod>;

/** The study that holds hand-configured trials (the Model & training page), apart from every search. */
export const MANUAL_STUDY = 'Manual trials';

/** The study that holds refits (a search's chosen configuration trained on training + validation images). */
export const REFIT_STUDY = 'Refits';
export type RefitOf = z.infer<typeof S.RefitOf>;
export type StudyRefit = z.infer<typeof S.StudyRefit>;

export const DEFAULT_PARAMS: AutoencoderParams = S.AutoencoderParams.parse({
  latentSize: 16,
  hiddenUnits: [128, 64],
  activation: 'relu',
  outputActivation: 'sigmoid',
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 64,
  epochs: 5,
  imageSize: 28,
  channels: 1,
  valFraction: 0.2,
  seed: 42,
});
