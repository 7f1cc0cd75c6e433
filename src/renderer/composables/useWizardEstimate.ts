// The new-study wizard's duration estimate (issue 14 defect 2): the throughput of comparable finished trials,
// or a short speed measurement (estimate.calibrate) when none has run, turned into a range for the planned
// study. The estimator itself is pure (shared/study/trialTime.ts); this holds what it reads and when.
import { computed, ref, type ComputedRef, type Ref } from 'vue';
import type { DatasetSummary } from '../../shared/dto';
import { comparableTrialIds, estimateTrialSeconds, throughputRecords, type ThroughputRecord, type TrialTimeEstimate } from '../../shared/study/trialTime';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import type { WizardDraft } from '../components/wizard/draft';
import { estimateSeconds } from '../components/wizard/grid';
import type { buildSpec, WizardSpec } from '../components/wizard/specBuilder';
import { useAppStore } from '../stores/app';
import { useTrialsStore } from '../stores/trials';

export interface Estimate {
  trials: number | null;
  /** Seconds per trial from comparable finished trials' throughput (issue 14 defect 2), or none measured yet. */
  perTrial: TrialTimeEstimate;
  workers: number;
  /** The study's wall time, fastest .. slowest (null when nothing comparable has run and no time budget caps it). */
  low: number | null;
  high: number | null;
  /** the time budget caps the study */
  cappedByTime: boolean;
}

function workersFor(draft: WizardDraft, backend: string | undefined): number {
  if (draft.strategy.parallel === 'fixed') {
    const n = Number(draft.strategy.parallelN);
    return Number.isInteger(n) && n >= 1 ? n : 1;
  }
  // 'auto': the engine runs one trainer per core on single-threaded backends, one on tfjs-node
  if (backend === 'tensorflow') return 1;
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1;
  return Math.min(32, Math.max(1, cores || 1));
}

export function useWizardEstimate(o: {
  draft: WizardDraft;
  build: ComputedRef<ReturnType<typeof buildSpec>>;
  spec: ComputedRef<WizardSpec>;
  summary: Ref<DatasetSummary | null>;
}) {
  const { draft, build, spec, summary } = o;
  const app = useAppStore();
  const trials = useTrialsStore();

  // Measured throughput of the finished trials that match the planned architectures (any study, any folder):
  // fetched when the planned architectures change; the estimate below is pure.
  const throughput = ref<ThroughputRecord[]>([]);
  let throughputFor = '';
  async function loadThroughput(): Promise<void> {
    const archs = [...draft.architecture.architectures];
    const key = archs.join(',');
    throughputFor = key;
    await trials.refresh();
    const ids = comparableTrialIds(trials.list, archs);
    try {
      const curves = ids.length ? await getApi().invoke('trials.curves', { trialIds: ids }) : [];
      if (throughputFor === key) throughput.value = throughputRecords(trials.list, curves);
    } catch {
      if (throughputFor === key) throughput.value = []; // the estimate then says none is measured yet
    }
  }

  // A short speed measurement of the architectures nothing comparable has measured yet (estimate.calibrate):
  // kept for this session, beside the finished trials' throughput (which wins where both exist).
  const calibrated = ref<ThroughputRecord[]>([]);
  const calibrating = ref(false);
  const calibrateError = ref<ErrorInfo | null>(null);
  async function calibrate(): Promise<void> {
    const perTrial = estimate.value.perTrial;
    const architectures = perTrial.kind === 'none' && perTrial.missing.length ? [...perTrial.missing] : [...draft.architecture.architectures];
    const imageSize = Number(draft.dataset.imageSize) || 28;
    const channels = draft.dataset.channels;
    calibrating.value = true;
    calibrateError.value = null;
    try {
      const r = await getApi().invoke('estimate.calibrate', { architectures, imageSize, channels });
      const fresh = architectures.map((architecture, i) => ({ architecture, imageSize, channels, backend: r.backend, samplesPerSec: r.samplesPerSec[i], calibration: true }));
      const replaced = (x: ThroughputRecord): boolean => fresh.some((f) => f.architecture === x.architecture && f.imageSize === x.imageSize && f.channels === x.channels && f.backend === x.backend);
      calibrated.value = [...calibrated.value.filter((x) => !replaced(x)), ...fresh];
    } catch (err) {
      calibrateError.value = toErrorInfo(err);
    } finally {
      calibrating.value = false;
    }
  }

  function epochRange(): { min: number; max: number } {
    const p = build.value.params.find((x) => x.name === 'epochs');
    if (!p) return { min: 10, max: 10 };
    if (p.type === 'fixed') return { min: Number(p.value) || 10, max: Number(p.value) || 10 };
    if (p.type === 'categorical') {
      const e = p.choices.map((c) => Number(c) || 1);
      return { min: Math.max(1, Math.min(...e)), max: Math.max(1, ...e) };
    }
    return { min: Math.max(1, p.low), max: Math.max(1, p.high) };
  }

  const estimate = computed<Estimate>(() => {
    const s = spec.value;
    const epochs = epochRange();
    const images = summary.value?.imageCount ?? (draft.dataset.source === 'sample' ? 10000 : 5000);
    const trainImages = images * Math.max(0.1, 1 - s.dataset.valFraction - s.dataset.testFraction);
    const perTrial = estimateTrialSeconds(
      {
        architectures: draft.architecture.architectures,
        imageSize: Number(draft.dataset.imageSize) || 28,
        channels: draft.dataset.channels,
        backend: app.info?.backend ?? null,
        trainImages,
        minEpochs: epochs.min,
        maxEpochs: epochs.max,
      },
      [...throughput.value, ...calibrated.value],
    );
    let count: number | null = s.budget.trials ?? null;
    if (draft.strategy.sampler === 'grid' && build.value.grid.ok) count = Math.min(build.value.grid.total, count ?? Infinity);
    const workers = workersFor(draft, app.info?.backend);
    const budgetSeconds = s.budget.seconds;
    const total = (secondsPerTrial: number): number =>
      count === null ? (budgetSeconds ?? 0) : estimateSeconds({ trials: count, secondsPerTrial, workers, budgetSeconds });
    const measured = perTrial.kind === 'measured';
    const uncappedHigh = measured && count !== null ? estimateSeconds({ trials: count, secondsPerTrial: perTrial.high, workers }) : null;
    return {
      trials: count,
      perTrial,
      workers,
      low: measured ? total(perTrial.low) : count === null ? (budgetSeconds ?? null) : null,
      high: measured ? total(perTrial.high) : count === null ? (budgetSeconds ?? null) : null,
      cappedByTime: budgetSeconds !== undefined && (count === null || (uncappedHigh !== null && uncappedHigh > budgetSeconds)),
    };
  });

  return { estimate, calibrate, calibrating, calibrateError, loadThroughput };
}
