// Principal component analysis, fit on one matrix (the training split) and applied to others.
import { createRng } from '../../../shared/rng';
import { scatter } from '../../math/linalg';
import { symmetricEigen } from '../../math/symmetricEigen';
import type { Matrix } from '../matrix';
import { createRowProducts } from '../probes/f64Kernels';

/** Below this many elements (rows x columns) the randomized solver's JS loops beat copying into wasm. */
const WASM_MIN_ELEMENTS = 1_000_000;

export interface PcaModel {
  /** Input dimension and number of components. */
  d: number;
  k: number;
  mean: Float64Array;
  /** k x d, row c is the unit loading vector of component c; its largest-|.| entry is positive. */
  components: Float64Array;
  /** Variance along each component (ddof 1, like sklearn's explained_variance_). */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance of the input (ddof 1). */
  explainedVarianceRatio: Float64Array;
  totalVariance: number;
  method: 'covariance' | 'gram' | 'randomized';
}

export interface PcaOptions {
  /** 'auto' (default): exact when min(rows, cols) <= exactLimit, else a seeded randomized SVD (Halko et al.). */
  method?: 'auto' | 'covariance' | 'gram' | 'randomized';
  exactLimit?: number;
  /** Seed of the randomized method's test matrix. */
  seed?: number;
  /** Power iterations of the randomized method (sklearn uses 7 when k is small). */
  powerIterations?: number;
  /** Where the hot loops run (products, scatter, eigen-decomposition): wasm for large inputs by default; both give the same result. */
  engine?: 'auto' | 'js' | 'wasm';
}

function centered(x: Matrix): { xc: Float64Array; mean: Float64Array; total: number } {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  const xc = new Float64Array(rows * cols);
  let ss = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j] - mean[j];
      xc[i * cols + j] = v;
      ss += v * v;
    }
  }
  return { xc, mean, total: ss / (rows - 1) };
}

/** Flips each row so its largest-magnitude entry (first one on ties) is positive: a deterministic sign. */
function fixSigns(components: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let j = 1; j < d; j++) if (Math.abs(components[c * d + j]) > Math.abs(components[c * d + best])) best = j;
    if (components[c * d + best] < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j];
  }
}

/** Orthonormalises the l columns (stored as rows of length n) in place: modified Gram-Schmidt, twice for stability. */
function orthonormalizeRows(q: Float64Array, l: number, n: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < l; a++) {
      const oa = a * n;
      for (let b = 0; b < a; b++) {
        const ob = b * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[oa + i] * q[ob + i];
        for (let i = 0; i < n; i++) q[oa + i] -= dot * q[ob + i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += q[oa + i] * q[oa + i];
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) q[oa + i] = norm > 0 ? q[oa + i] / norm : 0;
    }
  }
}

/** Seeded randomized range finder with power iterations; returns eigenpairs of Xc^T Xc for the top l directions. */
function randomizedTop(
  xc: Float64Array,
  rows: number,
  cols: number,
  l: number,
  seed: number,
  iters: number,
  engine: 'auto' | 'js' | 'wasm' = 'auto',
): { values: Float64Array; vectors: Float64Array } {
  const rng = createRng(seed);
  // Omega: cols x l, stored as l rows of length cols; Y = Xc Omega stored as l rows of length `rows`.
  const omega = new Float64Array(l * cols);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  const y = new Float64Array(l * rows);
  // Large inputs (images: thousands of rows x thousands of pixels) take the wasm products, which sum in the
  // same order as the loops below: the same components either way, ~5x sooner.
  const wasm = engine === 'wasm' || (engine === 'auto' && rows * cols >= WASM_MIN_ELEMENTS) ? createRowProducts(xc, rows, cols, l) : null;
  if (engine === 'wasm' && !wasm) throw new Error('fitPca: the wasm kernels are not available here');
  const lp = l + (l % 2);
  const applyX = wasm
    ? (src: Float64Array, dst: Float64Array): void => {
        for (let a = 0; a < l; a++) for (let j = 0; j < cols; j++) wasm.wt[j * lp + a] = src[a * cols + j];
        wasm.scores();
        for (let i = 0; i < rows; i++) for (let a = 0; a < l; a++) dst[a * rows + i] = wasm.z[i * l + a];
      }
    : applyXJs;
  const applyXt = wasm
    ? (src: Float64Array, dst: Float64Array): void => {
        for (let i = 0; i < rows; i++) for (let a = 0; a < l; a++) wasm.z[i * l + a] = src[a * rows + i];
        wasm.gradientSequential();
        dst.set(wasm.g);
      }
    : applyXtJs;
  function applyXJs(src: Float64Array, dst: Float64Array): void {
    dst.fill(0);
    for (let i = 0; i < rows; i++) {
      const oi = i * cols;
      for (let a = 0; a < l; a++) {
        let s = 0;
        const oa = a * cols;
        for (let j = 0; j < cols; j++) s += xc[oi + j] * src[oa + j];
        dst[a * rows + i] = s;
      }
    }
  }
  function applyXtJs(src: Float64Array, dst: Float64Array): void {
    dst.fill(0);
    for (let i = 0; i < rows; i++) {
      const oi = i * cols;
      for (let a = 0; a < l; a++) {
        const s = src[a * rows + i];
        if (s === 0) continue;
        const oa = a * cols;
        for (let j = 0; j < cols; j++) dst[oa + j] += s * xc[oi + j];
      }
    }
  }
  applyX(omega, y);
  orthonormalizeRows(y, l, rows);
  for (let it = 0; it < iters; it++) {
    applyXt(y, omega);
    orthonormalizeRows(omega, l, cols);
    applyX(omega, y);
    orthonormalizeRows(y, l, rows);
  }
  // B = Q^T Xc (l x cols); the eigenvectors of B B^T give the right singular vectors of Xc within the range.
  const bmat = new Float64Array(l * cols);
  applyXt(y, bmat);
  const bbt = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += bmat[a * cols + j] * bmat[b * cols + j];
      bbt[a * l + b] = s;
      bbt[b * l + a] = s;
    }
  }
  const small = symmetricEigen(bbt, l, engine);
  const vectors = new Float64Array(l * cols);
  for (let c = 0; c < l; c++) {
    const sigma = Math.sqrt(Math.max(small.values[c], 0));
    for (let a = 0; a < l; a++) {
      const u = small.vectors[c * l + a];
      if (u === 0) continue;
      for (let j = 0; j < cols; j++) vectors[c * cols + j] += u * bmat[a * cols + j];
    }
    for (let j = 0; j < cols; j++) vectors[c * cols + j] = sigma > 0 ? vectors[c * cols + j] / sigma : 0;
  }
  return { values: small.values, vectors };
}

/** Fits PCA with k components on the rows of x (at least 2 rows; k <= min(rows, cols)). */
export function fitPca(x: Matrix, k: number, opts: PcaOptions = {}): PcaModel {
  const { rows, cols } = x;
  if (rows < 2) throw new Error(`fitPca: need at least 2 rows, got ${rows}`);
  if (!Number.isInteger(k) || k < 1 || k > Math.min(rows, cols)) {
    throw new Error(`fitPca: components must be an integer in [1, min(rows, cols) = ${Math.min(rows, cols)}], got ${k}`);
  }
  const { xc, mean, total } = centered(x);
  const limit = opts.exactLimit ?? 1200;
  let method = opts.method ?? 'auto';
  if (method === 'auto') method = Math.min(rows, cols) <= limit ? (cols <= rows ? 'covariance' : 'gram') : 'randomized';

  const components = new Float64Array(k * cols);
  const explainedVariance = new Float64Array(k);
  if (method === 'covariance') {
    const eig = symmetricEigen(scatter(xc, rows, cols, opts.engine), cols, opts.engine);
    components.set(eig.vectors.subarray(0, k * cols));
    for (let c = 0; c < k; c++) explainedVariance[c] = Math.max(eig.values[c], 0) / (rows - 1);
  } else if (method === 'gram') {
    // Xc Xc^T = U S^2 U^T; the loadings are Xc^T u / s. Cheaper when there are fewer rows than columns.
    const g = scatter(transpose(xc, rows, cols), cols, rows, opts.engine);
    const eig = symmetricEigen(g, rows, opts.engine);
    for (let c = 0; c < k; c++) {
      const s2 = Math.max(eig.values[c], 0);
      explainedVariance[c] = s2 / (rows - 1);
      const s = Math.sqrt(s2);
      if (s === 0) continue;
      for (let i = 0; i < rows; i++) {
        const u = eig.vectors[c * rows + i] / s;
        for (let j = 0; j < cols; j++) components[c * cols + j] += u * xc[i * cols + j];
      }
    }
  } else {
    const l = Math.min(k + 10, rows, cols);
    const top = randomizedTop(xc, rows, cols, l, opts.seed ?? 0, opts.powerIterations ?? 7, opts.engine);
    components.set(top.vectors.subarray(0, k * cols));
    for (let c = 0; c < k; c++) explainedVariance[c] = Math.max(top.values[c], 0) / (rows - 1);
  }
  fixSigns(components, k, cols);
  const explainedVarianceRatio = explainedVariance.map((v) => (total > 0 ? v / total : 0));
  return { d: cols, k, mean, components, explainedVariance, explainedVarianceRatio, totalVariance: total, method };
}

/**
 * The first k components of a fitted model (components are ordered by variance, so PCA(k) for every k up to
 * the fitted one comes from one fit; exact for the covariance and gram methods).
 */
export function truncatePca(model: PcaModel, k: number): PcaModel {
  if (!Number.isInteger(k) || k < 1 || k > model.k) throw new Error(`truncatePca: components must be an integer in [1, ${model.k}], got ${k}`);
  return {
    ...model,
    k,
    components: model.components.slice(0, k * model.d),
    explainedVariance: model.explainedVariance.slice(0, k),
    explainedVarianceRatio: model.explainedVarianceRatio.slice(0, k),
  };
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/** Rows centred and copied into wasm at a time by pcaTransform. */
const TRANSFORM_CHUNK_ROWS = 1024;

/**
 * Scores (rows x k): (x - mean) projected on the components. Large inputs (a study's pixels: thousands of rows
 * of hundreds of pixels) take the wasm row products, which sum each score in the same order as the loop below:
 * the same scores either way. `engine` forces one path (tests).
 */
export function pcaTransform(model: PcaModel, x: Matrix, engine: 'auto' | 'js' | 'wasm' = 'auto'): Matrix {
  const { d, k, mean, components } = model;
  if (x.cols !== d) throw new Error(`pcaTransform: model expects ${d} columns, got ${x.cols}`);
  const out = new Float64Array(x.rows * k);
  const wasm = engine === 'wasm' || (engine === 'auto' && x.rows * d >= WASM_MIN_ELEMENTS);
  if (wasm && x.rows > 0 && transformWasm(model, x, out)) return { data: out, rows: x.rows, cols: k };
  if (engine === 'wasm' && x.rows > 0) throw new Error('pcaTransform: the wasm kernels are not available here');
  const row = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < d; j++) row[j] = x.data[i * d + j] - mean[j];
    for (let c = 0; c < k; c++) {
      let s = 0;
      const oc = c * d;
      for (let j = 0; j < d; j++) s += row[j] * components[oc + j];
      out[i * k + c] = s;
    }
  }
  return { data: out, rows: x.rows, cols: k };
}

/** pcaTransform's scores through the wasm row products, a chunk of centred rows at a time; false without wasm. */
function transformWasm(model: PcaModel, x: Matrix, out: Float64Array): boolean {
  const { d, k, mean, components } = model;
  const kp = k + (k % 2);
  const chunk = new Float64Array(Math.min(TRANSFORM_CHUNK_ROWS, x.rows) * d);
  for (let r0 = 0; r0 < x.rows; r0 += TRANSFORM_CHUNK_ROWS) {
    const n = Math.min(TRANSFORM_CHUNK_ROWS, x.rows - r0);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) chunk[i * d + j] = x.data[(r0 + i) * d + j] - mean[j];
    const products = createRowProducts(chunk, n, d, k);
    if (!products) return false;
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) products.wt[j * kp + c] = components[c * d + j];
    products.scores();
    out.set(products.z.subarray(0, n * k), r0 * k);
  }
  return true;
}

/** Maps scores back to input space (mean + scores * components): PCA's reconstruction. */
export function pcaInverseTransform(model: PcaModel, scores: Matrix): Matrix {
  const { d, k, mean, components } = model;
  if (scores.cols !== k) throw new Error(`pcaInverseTransform: model has ${k} components, got ${scores.cols} columns`);
  const out = new Float64Array(scores.rows * d);
  for (let i = 0; i < scores.rows; i++) {
    const oi = i * d;
    out.set(mean, oi);
    for (let c = 0; c < k; c++) {
      const s = scores.data[i * k + c];
      const oc = c * d;
      for (let j = 0; j < d; j++) out[oi + j] += s * components[oc + j];
    }
  }
  return { data: out, rows: scores.rows, cols: d };
}
