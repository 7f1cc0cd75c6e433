// Reconstruction errors on plain arrays, and the "trivial" error that makes them comparable across datasets.

export type ReconLoss = 'mse' | 'bce';

/** Keras's epsilon: predictions are clipped to [eps, 1 - eps] before the logarithms of BCE. */
const EPS = 1e-7;

function elementLoss(t: number, p: number, loss: ReconLoss): number {
  if (loss === 'mse') return (t - p) ** 2;
  const q = Math.min(Math.max(p, EPS), 1 - EPS);
  return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
}

/** Mean over all elements of the squared error or the binary cross-entropy (targets in [0, 1]). */
export function reconstructionError(target: ArrayLike<number>, prediction: ArrayLike<number>, loss: ReconLoss): number {
  if (target.length !== prediction.length) throw new Error(`reconstructionError: ${target.length} targets, ${prediction.length} predictions`);
  if (!target.length) throw new Error('reconstructionError: no values');
  let s = 0;
  for (let i = 0; i < target.length; i++) s += elementLoss(target[i], prediction[i], loss);
  return s / target.length;
}

/**
 * Error of "reconstructing" every validation image as the mean training image (per pixel). It is what a model
 * that learned nothing achieves, so reconstructionError / meanImageError is 1 for a useless model and 0 for a
 * perfect one, whatever the dataset or loss: the scale the weighted objective uses.
 */
export function meanImageError(trainMean: ArrayLike<number>, valImages: ArrayLike<number>, loss: ReconLoss): number {
  const d = trainMean.length;
  if (!d || !valImages.length || valImages.length % d !== 0) throw new Error(`meanImageError: ${valImages.length} values are not whole images of ${d} pixels`);
  let s = 0;
  for (let i = 0; i < valImages.length; i++) s += elementLoss(valImages[i], trainMean[i % d], loss);
  return s / valImages.length;
}
