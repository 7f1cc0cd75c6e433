// The evaluation engine: splits, probes and metrics, baselines, projections and objectives.
// Plain typed-array math (no tfjs), so it runs in the trainer, the main process or a worker alike.
export * from './matrix';
export * from './split';
export * from './metrics';
export * from './targets';
export * from './reconstruction';
export * from './probes/index';
export * from './baselines';
export { fitPca, pcaTransform, pcaInverseTransform, type PcaModel, type PcaOptions } from './projection/pca';
export { tsne, tsneSteps, type TsneOptions, type StepProgress } from './projection/tsne';
export { umapSteps, type UmapOptions } from './projection/umap';
export { project, type Projection, type ProjectionMethod, type ProjectionProgress, type ProjectOptions } from './projection/project';
export * from './objectives';
export * from './tradeoff';
