// Seeded, stratified train / validation / test split. The test split exists so the chosen trial can be scored on
// images no selection decision has seen.
import { createRng } from '../../shared/rng';

export interface Split3 {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

/**
 * Splits image indices so each class (label; every unlabeled image, -1, forms one group) is divided in proportion.
 *
 * Consistency with `stratifiedSplit` (src/core/data/split.ts): each class is shuffled with the same rng draws in
 * the same (ascending label) order, and validation takes the first round(n * valFraction) shuffled images as it
 * does there. So with testFraction 0 the result is identical to `stratifiedSplit(labels, valFraction, seed)`, and
 * with testFraction > 0 validation is usually the same set too (the test images come from what would have been
 * training). The only difference: a class small enough that validation would leave fewer than 2 images gives
 * validation one fewer, so that class still gets a test image.
 *
 * Guarantees: deterministic for (labels, fractions, seed); every class with >= 3 images has at least one image in
 * each split whose fraction is > 0 and at least one training image; a class of 2 gives one to validation (if
 * valFraction > 0) and one to training; singletons train. Indices are ascending within each split.
 */
export function stratifiedSplit3(labels: Int32Array, valFraction: number, testFraction: number, seed: number): Split3 {
  const n = labels.length;
  const inRange = (f: number): boolean => Number.isFinite(f) && f >= 0 && f < 1;
  if (!inRange(valFraction)) throw new Error(`stratifiedSplit3: valFraction must be in [0, 1), got ${valFraction}`);
  if (!inRange(testFraction)) throw new Error(`stratifiedSplit3: testFraction must be in [0, 1), got ${testFraction}`);
  if (valFraction + testFraction >= 1) {
    throw new Error(`stratifiedSplit3: valFraction + testFraction must be < 1 so training keeps images, got ${valFraction + testFraction}`);
  }
  const wantVal = valFraction > 0;
  const wantTest = testFraction > 0;
  const needed = 1 + (wantVal ? 1 : 0) + (wantTest ? 1 : 0);
  if (n < needed) throw new Error(`stratifiedSplit3: need at least ${needed} images for the requested splits, got ${n}`);
  const rng = createRng(seed);

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels[i] < 0 ? -1 : labels[i];
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  // 0 = train, 1 = val, 2 = test.
  const part = new Uint8Array(n);
  const leftovers: number[] = []; // singletons: training only, unless nothing else can fill a split
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const idx = groups.get(label) as number[];
    const m = idx.length;
    if (m === 1) {
      leftovers.push(idx[0]);
      continue;
    }
    const testHere = wantTest && m >= 3;
    let nVal = wantVal ? Math.min(m - 1, Math.max(1, Math.round(m * valFraction))) : 0;
    if (testHere) nVal = Math.min(nVal, m - 2);
    const nTest = testHere ? Math.min(m - 1 - nVal, Math.max(1, Math.round(m * testFraction))) : 0;
    // Shuffle whatever the fractions, so the draws (and hence validation) match the 2-way split.
    rng.shuffle(idx);
    for (let k = 0; k < nVal; k++) part[idx[k]] = 1;
    for (let k = nVal; k < nVal + nTest; k++) part[idx[k]] = 2;
  }
  // Tiny datasets (only singletons or pairs): make sure each requested split still gets an image, drawn from
  // training images while training keeps at least one.
  const fill = (want: boolean, code: number): void => {
    if (!want || part.includes(code)) return;
    const pool = leftovers.filter((i) => part[i] === 0);
    const candidates = pool.length ? pool : [...Array(n).keys()].filter((i) => part[i] === 0);
    if (candidates.length < 2) return;
    const pick = candidates[rng.int(0, candidates.length - 1)];
    part[pick] = code;
  };
  fill(wantVal, 1);
  fill(wantTest, 2);

  const counts = [0, 0, 0];
  for (let i = 0; i < n; i++) counts[part[i]]++;
  const out = [new Int32Array(counts[0]), new Int32Array(counts[1]), new Int32Array(counts[2])];
  const at = [0, 0, 0];
  for (let i = 0; i < n; i++) out[part[i]][at[part[i]]++] = i;
  return { train: out[0], val: out[1], test: out[2] };
}
