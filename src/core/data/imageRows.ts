// Decoded images as uint8 rows (one NHWC-flattened image per row), read by index. A folder whose pixels fit in
// IN_MEMORY_BYTES is held in memory; a larger one is read from its cache file a batch at a time, so what a
// trainer holds does not grow with the number of images (the OS keeps the file's pages, and can drop them).
import fs from 'node:fs';

/** Pixel bytes kept in memory at most (uint8); larger datasets are read from the cache file per batch. */
export const IN_MEMORY_BYTES = 64 * 2 ** 20;

export interface ImageRows {
  readonly count: number;
  /** Bytes per image: width * height * channels. */
  readonly rowLength: number;
  /** Where the rows are: a file is read per batch (a few microseconds per row). */
  readonly backing: 'memory' | 'file';
  /** Copies rows idx[0], idx[1], ... one after another into out. */
  read(idx: ArrayLike<number>, out: Uint8Array): void;
  /** Releases the file, if any; reading afterwards fails. */
  close(): void;
}

function checkIndex(i: number, count: number): void {
  if (!(i >= 0 && i < count && Number.isInteger(i))) throw new RangeError(`image row ${i} is not in [0, ${count})`);
}

export function memoryRows(pixels: Uint8Array, rowLength: number): ImageRows {
  const count = rowLength > 0 ? Math.floor(pixels.length / rowLength) : 0;
  return {
    count,
    rowLength,
    backing: 'memory',
    read(idx, out) {
      for (let r = 0; r < idx.length; r++) {
        checkIndex(idx[r], count);
        out.set(pixels.subarray(idx[r] * rowLength, (idx[r] + 1) * rowLength), r * rowLength);
      }
    },
    close() {},
  };
}

/** Rows of a file (from byte `offset`), read with positioned reads; consecutive indices are read at once. */
export function fileRows(file: string, count: number, rowLength: number, offset = 0): ImageRows {
  let fd: number | null = fs.openSync(file, 'r');
  return {
    count,
    rowLength,
    backing: 'file',
    read(idx, out) {
      if (fd === null) throw new Error(`the image cache ${file} was closed`);
      for (let r = 0; r < idx.length; ) {
        checkIndex(idx[r], count);
        let run = 1;
        while (r + run < idx.length && idx[r + run] === idx[r] + run) run++;
        const want = run * rowLength;
        let got = 0;
        while (got < want) {
          const n = fs.readSync(fd, out, r * rowLength + got, want - got, offset + idx[r] * rowLength + got);
          if (n === 0) throw new Error(`the image cache ${file} ended early (row ${idx[r]}): it changed while in use; train again`);
          got += n;
        }
        r += run;
      }
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

/** Rows idx as floats in [0, 1] (pixel / 255), row after row, into out (allocated when not given). */
export function floatRows(rows: ImageRows, idx: ArrayLike<number>, out = new Float32Array(idx.length * rows.rowLength), scratch?: Uint8Array): Float32Array {
  const bytes = scratch && scratch.length >= idx.length * rows.rowLength ? scratch : new Uint8Array(idx.length * rows.rowLength);
  rows.read(idx, bytes);
  for (let i = 0; i < idx.length * rows.rowLength; i++) out[i] = bytes[i] / 255;
  return out;
}

/**
 * Calls fn with consecutive chunks of at most `chunk` of the rows idx as floats (the same buffer each time: copy
 * what you keep), so a pass over many images holds one chunk at a time.
 */
export function forEachChunk(rows: ImageRows, idx: ArrayLike<number>, chunk: number, fn: (floats: Float32Array, start: number, count: number) => void): void {
  const size = Math.max(1, Math.min(chunk, idx.length));
  const floats = new Float32Array(size * rows.rowLength);
  const bytes = new Uint8Array(size * rows.rowLength);
  for (let start = 0; start < idx.length; start += size) {
    const count = Math.min(size, idx.length - start);
    floatRows(rows, Array.from({ length: count }, (_, r) => idx[start + r]), floats, bytes);
    fn(count === size ? floats : floats.subarray(0, count * rows.rowLength), start, count);
  }
}

/** Every row, in order (for small datasets and tests: this holds the whole folder). */
export function readAll(rows: ImageRows): Uint8Array {
  const out = new Uint8Array(rows.count * rows.rowLength);
  rows.read(Array.from({ length: rows.count }, (_, i) => i), out);
  return out;
}

/** Rows idx as float64 pixel / 255, in chunks of `chunk` rows (the same buffer each time: copy what you keep). */
export function forEachChunk64(rows: ImageRows, idx: ArrayLike<number>, chunk: number, fn: (values: Float64Array, start: number, count: number) => void): void {
  const size = Math.max(1, Math.min(chunk, idx.length));
  const values = new Float64Array(size * rows.rowLength);
  const bytes = new Uint8Array(size * rows.rowLength);
  for (let start = 0; start < idx.length; start += size) {
    const count = Math.min(size, idx.length - start);
    rows.read(Array.from({ length: count }, (_, r) => idx[start + r]), bytes);
    for (let i = 0; i < count * rows.rowLength; i++) values[i] = bytes[i] / 255;
    fn(count === size ? values : values.subarray(0, count * rows.rowLength), start, count);
  }
}
