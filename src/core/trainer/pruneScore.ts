// The downstream prune signal (pruner.signal 'downstream'): at the epochs where the pruner decides, the
// study's primary objective on the validation split from a quick probe on the current codes, so Hyperband
// compares trials by what the study optimises instead of by reconstruction error.
import type { LoadedDataset } from '../data/types';
import type { Autoencoder } from '../model';
import { PRUNE_PROBE_TRAIN_IMAGES } from '../../shared/study/prunerConfig';
import { quickProbe } from '../../shared/study/probes';
import { seededSubset } from '../../shared/rng';
import { evaluateTrial, type EvaluationOptions, type Splits } from './evaluateTrial';
import { encodeImages } from './encodeImages';

/**
 * The training rows the quick probe learns from: a seeded subset of at most PRUNE_PROBE_TRAIN_IMAGES, the same
 * for every trial of a study (same split, same seed), so trials at a rung are scored alike.
 */
export function pruneProbeRows(train: Int32Array, seed: number): Int32Array {
  return Int32Array.from(seededSubset(train.length, PRUNE_PROBE_TRAIN_IMAGES, seed ^ 0x5bd1e995), (r) => train[r]);
}

/**
 * A trial's scorer: given an epoch's validation reconstruction errors, the primary objective's value on
 * validation (NaN when the codes are not finite: the pruner stops such a trial). Each call encodes only the
 * probe's training rows and the validation images.
 */
export function downstreamPruneScorer(ae: Autoencoder, ds: LoadedDataset, split: Splits, seed: number, judge: EvaluationOptions): (recon: { mse: number; bce?: number }) => number {
  const probeRows = pruneProbeRows(split.train, seed);
  const rows = new Int32Array(probeRows.length + split.val.length);
  rows.set(probeRows);
  rows.set(split.val, probeRows.length);
  const primary = judge.objectives.objectives[judge.objectives.primary];
  const quick: EvaluationOptions = { ...judge, objectives: { objectives: [primary], primary: 0 }, probe: quickProbe(judge.probe) };
  const splits: Splits = { train: probeRows, val: split.val, test: new Int32Array(0) };
  const k = ae.latentSize;
  return (recon) => {
    const codes = encodeImages(ae, ds, rows);
    for (const r of rows) for (let j = r * k; j < (r + 1) * k; j++) if (!Number.isFinite(codes[j])) return NaN;
    return evaluateTrial(ds, splits, codes, k, recon, quick).values[0];
  };
}
