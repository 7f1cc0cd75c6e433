// How long a trial of a planned study will take, from the throughput (training samples per second) that
// finished trials measured here (issue 14 defect 2: one dense trial's time was used for conv studies, 6x too
// low). Throughput depends on the architecture, the image size, the channels and the backend, so only trials
// that match those count; a trial at another image size counts scaled by the pixel ratio (the work per image
// grows about with its pixels). The answer is a range, or honestly none when nothing comparable has run.
import type { AutoencoderParams, Channels, EpochMetrics, TrialSummary } from '../dto';

type Architecture = AutoencoderParams['architecture'];

/** One finished trial's measured training throughput (its epochs' median samples per second). */
export interface ThroughputRecord {
  architecture: Architecture;
  imageSize: number;
  channels: Channels;
  backend: string;
  samplesPerSec: number;
  /** Measured by a short calibration run of the architecture's default model, not by a finished trial. */
  calibration?: boolean;
}

export interface PlannedTrials {
  architectures: readonly Architecture[];
  imageSize: number;
  channels: Channels;
  /** The backend this machine's trainers use (app.info), or null when not known yet. */
  backend: string | null;
  trainImages: number;
  minEpochs: number;
  maxEpochs: number;
}

export type TrialTimeEstimate =
  | {
      kind: 'measured';
      /** Seconds per trial, fastest comparable throughput at the fewest epochs .. slowest at the most. */
      low: number;
      high: number;
      /** Finished trials the range rests on. */
      basis: number;
      /** Some trials were at another image size and scaled by the pixel ratio. */
      scaled: boolean;
      /** Some architecture's speed comes from a calibration run (no finished trial of it yet). */
      calibrated: boolean;
    }
  | { kind: 'none'; missing: Architecture[] };

/** Start-up of a trial (trainer, model build, evaluation): seconds beside the epochs. */
export const TRIAL_OVERHEAD_SECONDS = 4;

export function median(values: readonly number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x) && x > 0).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function estimateTrialSeconds(plan: PlannedTrials, records: readonly ThroughputRecord[]): TrialTimeEstimate {
  const missing: Architecture[] = [];
  const rates: number[] = [];
  let basis = 0;
  let scaled = false;
  let calibrated = false;
  for (const arch of plan.architectures) {
    const matching = records.filter(
      (r) => r.architecture === arch && r.channels === plan.channels && (plan.backend === null || r.backend === plan.backend) && r.samplesPerSec > 0,
    );
    // Finished trials ran the study's own settings: they win over a calibration of the default model.
    const comparable = matching.some((r) => !r.calibration) ? matching.filter((r) => !r.calibration) : matching;
    const exact = comparable.filter((r) => r.imageSize === plan.imageSize);
    const used = exact.length ? exact : comparable;
    if (!used.length) {
      missing.push(arch);
      continue;
    }
    if (!exact.length) scaled = true;
    if (used.some((r) => r.calibration)) calibrated = true;
    basis += used.filter((r) => !r.calibration).length;
    for (const r of used) rates.push((r.samplesPerSec * r.imageSize ** 2) / plan.imageSize ** 2);
  }
  if (missing.length || !rates.length) return { kind: 'none', missing };
  const images = Math.max(0, plan.trainImages);
  const seconds = (epochs: number, rate: number): number => TRIAL_OVERHEAD_SECONDS + (images * Math.max(1, epochs)) / rate;
  return {
    kind: 'measured',
    low: seconds(plan.minEpochs, Math.max(...rates)),
    high: seconds(plan.maxEpochs, Math.min(...rates)),
    basis,
    scaled,
    calibrated,
  };
}

/** The finished trials worth measuring for a plan: COMPLETE, of a planned architecture, the newest few of each kind. */
export function comparableTrialIds(trials: readonly TrialSummary[], architectures: readonly Architecture[], perKind = 5): number[] {
  const kinds = new Map<string, number[]>();
  // A trial whose configuration this version cannot read has no known kind: it is not measured.
  const newest = trials
    .flatMap((t) => (t.params && t.state === 'COMPLETE' && t.epochsDone > 0 && t.backend !== null && architectures.includes(t.params.architecture) ? [{ id: t.id, backend: t.backend, p: t.params }] : []))
    .sort((a, b) => b.id - a.id);
  for (const t of newest) {
    const key = `${t.p.architecture}|${t.p.imageSize}|${t.p.channels}|${t.backend}`;
    const ids = kinds.get(key) ?? [];
    if (ids.length < perKind) ids.push(t.id);
    kinds.set(key, ids);
  }
  return [...kinds.values()].flat();
}

/** Each measured trial's throughput: the median of its epochs' samples per second. */
export function throughputRecords(trials: readonly TrialSummary[], curves: readonly { trialId: number; epochs: readonly EpochMetrics[] }[]): ThroughputRecord[] {
  const byId = new Map(trials.map((t) => [t.id, t]));
  const out: ThroughputRecord[] = [];
  for (const c of curves) {
    const t = byId.get(c.trialId);
    const rate = median(c.epochs.map((e) => e.samplesPerSec));
    if (!t?.params || t.backend === null || rate === null) continue;
    out.push({ architecture: t.params.architecture, imageSize: t.params.imageSize, channels: t.params.channels, backend: t.backend, samplesPerSec: rate });
  }
  return out;
}
