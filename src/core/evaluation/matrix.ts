// Row-major dense matrices as plain typed arrays, so the evaluation engine runs in any process without tfjs.

export type MatrixData = Float64Array | Float32Array;

/** A row-major rows x cols matrix: element (i, j) is data[i * cols + j]. */
export interface Matrix {
  data: MatrixData;
  rows: number;
  cols: number;
}

export function matrix(data: MatrixData, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new Error(`matrix: rows and cols must be non-negative integers, got ${rows} x ${cols}`);
  }
  if (data.length !== rows * cols) throw new Error(`matrix: data has ${data.length} values, expected ${rows} x ${cols} = ${rows * cols}`);
  return { data, rows, cols };
}

export function checkMatrix(m: Matrix, what: string): void {
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${what}: data has ${m.data.length} values, expected ${m.rows} x ${m.cols}`);
  }
}

/** Builds a matrix from nested arrays (tests, small inputs). */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const cols = rows.length ? rows[0].length : 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`fromRows: row ${i} has ${r.length} values, expected ${cols}`);
    for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
  });
  return { data, rows: rows.length, cols };
}

/** The selected rows, copied into a new Float64 matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const { cols } = m;
  const data = new Float64Array(indices.length * cols);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r] * cols;
    for (let j = 0; j < cols; j++) data[r * cols + j] = m.data[src + j];
  }
  return { data, rows: indices.length, cols };
}

export interface ColumnStats {
  mean: Float64Array;
  /** Population standard deviation (ddof 0, like StandardScaler); constant columns get 1 so they map to 0. */
  scale: Float64Array;
}

export function columnStats(m: Matrix): ColumnStats {
  const { rows, cols, data } = m;
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= Math.max(rows, 1);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = data[i * cols + j] - mean[j];
      scale[j] += d * d;
    }
  }
  for (let j = 0; j < cols; j++) {
    const sd = Math.sqrt(scale[j] / Math.max(rows, 1));
    // Same threshold idea as sklearn's _handle_zeros_in_scale: a (numerically) constant column is left unscaled.
    scale[j] = sd > 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  return { mean, scale };
}

/** (x - mean) / scale, column-wise, into a new Float64 matrix. */
export function standardize(m: Matrix, stats: ColumnStats): Matrix {
  const { rows, cols, data } = m;
  if (stats.mean.length !== cols) throw new Error(`standardize: statistics for ${stats.mean.length} columns, matrix has ${cols}`);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j] - stats.mean[j]) / stats.scale[j];
  }
  return { data: out, rows, cols };
}
