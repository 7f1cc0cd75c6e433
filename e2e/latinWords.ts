// Issue 14 defect 5: in Simplified Chinese no English may be left on a screen. What counts as English: a word of
// two or more Latin letters that is not a path, a file name, a number or one of the terms below, which Chinese
// texts on machine learning write in Latin letters too (units, metric and method abbreviations, product names,
// the backend's technical names, the optimisers' and activations' own names).
export const LATIN_ALLOWED = new Set([
  // the product and the libraries it names
  'Latent', 'Lab', 'TensorFlow', 'js', 'Node', 'tfjs', 'tfjs-node', 'node', 'wasm', 'WebAssembly', 'SIMD', 'FMA', 'cpu', 'CPU',
  'JavaScript', 'Optuna', 'LATENT_LAB_BACKEND', 'linux-x64', 'IPC', 'HTTP', 'ONNX', 'MNIST',
  // the language switch names each language in its own words
  'English',
  // methods and tests named after their authors or known by their English name in Chinese texts too
  'McNemar', 'Parzen', 'Hyperband', 'Dropout', 'VAE', 'Softmax', 'RGB',
  // metrics and methods
  'MSE', 'BCE', 'MAE', 'PCA', 'UMAP', 't-SNE', 'SNE', 'kNN', 'k-NN', 'AUC', 'ROC', 'ROC-AUC', 'F1', 'R2', 'TPE', 'GP', 'EDF', 'KL',
  'L1', 'L2', 'ε²',
  // optimisers and activations, by their own names
  'Adam', 'RMSprop', 'Adagrad', 'SGD', 'Nesterov', 'ReLU', 'ELU', 'Leaky', 'Sigmoid', 'Tanh', 'sigmoid', 'tanh',
  // file formats and units
  'CSV', 'JSON', 'NPY', 'PNG', 'JPEG', 'WebP', 'HTML', 'GB', 'MB', 'KB', 'px', 'ms', 'GiB', 'MiB',
]);

/** Paths, file names and dotted or hyphenated identifiers carrying digits are data, not words: removed first. */
function stripData(text: string, extra: readonly string[]): string {
  let t = text;
  for (const e of extra) t = t.split(e).join(' ');
  return t
    .replace(/latent-lab(?:\s+(?:--?[\w-]+|[\w.]+|"[^"]*"))*/g, ' ') // command lines (latent-lab search --spec study.json)
    .replace(/\b[a-z]+:[\w-]+/g, ' ') // identifiers such as sample:mnist
    .replace(/\S*[\\/]\S*/g, ' ') // paths (and a/b ratios)
    .replace(/\b[\w-]+\.(png|jpe?g|webp|gif|bmp|tiff?|txt|csv|npy|json|html|sqlite|log)\b/gi, ' ') // file names
    .replace(/(^|\s)\.[a-z]{2,4}\b/gi, ' ') // an extension named alone (.txt)
    .replace(/\bv\d[\w.-]*/g, ' ') // versions (v0.1.0)
    .replace(/\b\d[\w.+-]*/g, ' '); // numbers, 2.25e-3, 14x14
}

/** The Latin words of `text` outside the allow-list (each once, in order of appearance). */
export function latinWords(text: string, extra: readonly string[] = []): string[] {
  const found = stripData(text, extra).match(/[A-Za-z][A-Za-z0-9_+-]*[A-Za-z0-9]|[A-Za-z]{2,}/g) ?? [];
  return [...new Set(found.filter((w) => !LATIN_ALLOWED.has(w)))];
}
