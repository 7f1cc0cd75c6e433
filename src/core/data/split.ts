// Seeded, stratified train/validation split of a dataset's images.
import { createRng } from '../../shared/rng';

/**
 * Splits image indices so each class (label; all unlabeled images form one group) is divided in proportion.
 * Guarantees: the same (labels, valFraction, seed) always gives the same split; every class with >= 2 images
 * has at least one validation and one training image; both splits are non-empty when there are >= 2 images;
 * indices are ascending within each split.
 */
export function stratifiedSplit(labels: Int32Array, valFraction: number, seed: number): { train: Int32Array; val: Int32Array } {
  const n = labels.length;
  if (n < 2) throw new Error(`stratifiedSplit: need at least 2 images to make a training and a validation set, got ${n}`);
  if (!(valFraction > 0 && valFraction < 1)) throw new Error(`stratifiedSplit: valFraction must be between 0 and 1 (exclusive), got ${valFraction}`);
  const rng = createRng(seed);

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(labels[i]);
    if (g) g.push(i);
    else groups.set(labels[i], [i]);
  }
  const isVal = new Uint8Array(n);
  const leftovers: number[] = []; // singleton classes: training only, unless nothing else can give validation
  // Ascending label order, so the rng draws happen in the same order whatever order the labels came in.
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const idx = groups.get(label) as number[];
    if (idx.length === 1) {
      leftovers.push(idx[0]);
      continue;
    }
    const nVal = Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * valFraction)));
    rng.shuffle(idx);
    for (let k = 0; k < nVal; k++) isVal[idx[k]] = 1;
  }
  // Only singletons (every class has one image): still give validation one image.
  if (!isVal.includes(1)) isVal[leftovers[rng.int(0, leftovers.length - 1)]] = 1;

  const nVal = isVal.reduce((s, v) => s + v, 0);
  const train = new Int32Array(n - nVal);
  const val = new Int32Array(nVal);
  let t = 0;
  let v = 0;
  for (let i = 0; i < n; i++) {
    if (isVal[i]) val[v++] = i;
    else train[t++] = i;
  }
  return { train, val };
}
