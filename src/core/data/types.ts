import { AppError, codedText, type CodedText, type ParamsArg } from '../../shared/errors';
import type { Channels } from '../../shared/dto';
import type { ImageRows } from './imageRows';

export interface DecodeOptions {
  /** Images are resized to size x size. */
  size: number;
  channels: Channels;
}

/** A file or folder left out, and why: as a code + parameters (the renderer translates it) and in English. */
export interface FileFailure extends CodedText {
  /** Path relative to the dataset root, with forward slashes. */
  file: string;
  /** The English text of code + params (CLI, logs). */
  reason: string;
}

export function fileFailure(file: string, why: CodedText): FileFailure {
  return { file, code: why.code, params: why.params, reason: codedText(why) };
}

/** A decoded image folder: one uint8 NHWC row per image (divide by 255 for [0,1]), read by index. */
export interface LoadedDataset {
  root: string;
  /** Relative paths (forward slashes) of the images that decoded, in a stable sorted order. */
  files: string[];
  /** Class index per file into `classes`; -1 when the folder is flat (unlabeled). */
  labels: Int32Array;
  /** Sub-folder names, sorted; empty for a flat folder. */
  classes: string[];
  width: number;
  height: number;
  channels: Channels;
  /** In memory for small folders, read from the cache file per batch for large ones (see imageRows.ts). */
  images: ImageRows;
  failures: FileFailure[];
  cacheKey: string;
  fromCache: boolean;
}

/**
 * 'scan': files found so far (total 0 until the walk ends, then done = total). 'decode': images decoded.
 * 'cache': 0/1 then 1/1 around a cache write; a single 1/1 on a cache hit. At most ~20 calls/s, finals always sent.
 */
export interface LoadProgress {
  phase: 'scan' | 'decode' | 'cache';
  done: number;
  total: number;
}

export interface LoadDatasetOptions extends DecodeOptions {
  /** Folder for decoded-tensor caches; no caching when omitted. */
  cacheDir?: string;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
  /** Decode plain PNGs already at the target size without sharp (default true; same pixels, ~10x faster). */
  fastPath?: boolean;
  /** Pixel bytes held in memory at most; a larger folder is decoded into its cache file (default IN_MEMORY_BYTES). */
  inMemoryBytes?: number;
}

export type DatasetErrorCode =
  | 'FOLDER_NOT_FOUND'
  | 'DATASET_DIFFERS'
  | 'NOT_A_FOLDER'
  | 'FOLDER_UNREADABLE'
  | 'NO_IMAGES'
  | 'IMAGES_UNDECODABLE'
  | 'DATASET_TOO_LARGE'
  | 'LOAD_CANCELLED'
  | 'SAMPLE_FOLDER_TAKEN';

/** A user-caused dataset problem; the message names the folder and what to do. */
export class DatasetError<C extends DatasetErrorCode = DatasetErrorCode> extends AppError<C> {
  constructor(code: C, ...params: ParamsArg<C>) {
    super(code, ...params);
    this.name = 'DatasetError';
  }
}
