// Public API of the image ingest module.
export { loadDataset } from './load';
export { stratifiedSplit } from './split';
export { previewImages, type PreviewImage } from './preview';
export { ensureSampleDataset, type SampleProgress } from './sample';
export { encodePng, decodePng, readPngHeader, type DecodedPng, type PngHeader } from './png';
export { SUPPORTED_EXTENSIONS, isSupportedExtension } from './decode';
export { CACHE_FORMAT_VERSION } from './cache';
export {
  DatasetError,
  type DecodeOptions,
  type FileFailure,
  type LoadDatasetOptions,
  type LoadedDataset,
  type LoadProgress,
} from './types';
