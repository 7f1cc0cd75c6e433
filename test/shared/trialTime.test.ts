// Issue 14 defect 2: the wizard's time per trial from throughput measured on comparable trials (architecture,
// image size, channels, backend), as a range; none when nothing comparable has run.
import { describe, expect, it } from 'vitest';
import { comparableTrialIds, estimateTrialSeconds, median, throughputRecords, TRIAL_OVERHEAD_SECONDS, type ThroughputRecord } from '../../src/shared/study/trialTime';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { trial } from '../renderer/analyticsFixtures';

const rec = (architecture: ThroughputRecord['architecture'], samplesPerSec: number, imageSize = 28, backend = 'wasm'): ThroughputRecord => ({ architecture, imageSize, channels: 1, backend, samplesPerSec });
const plan = { architectures: ['conv' as const], imageSize: 28, channels: 1 as const, backend: 'wasm', trainImages: 7000, minEpochs: 5, maxEpochs: 5 };

describe('estimateTrialSeconds', () => {
  it('uses only trials of the planned architecture: a fast dense trial does not make a conv study look fast', () => {
    // The walkthrough's case: dense ran at ~8 s per trial, conv took ~44 s.
    const records = [rec('dense', 7000 * 5 / 4), rec('conv', 7000 * 5 / 40), rec('conv', 7000 * 5 / 36)];
    const e = estimateTrialSeconds(plan, records);
    expect(e.kind).toBe('measured');
    if (e.kind !== 'measured') return;
    expect(e.low).toBeCloseTo(TRIAL_OVERHEAD_SECONDS + 36);
    expect(e.high).toBeCloseTo(TRIAL_OVERHEAD_SECONDS + 40);
    expect([e.basis, e.scaled]).toEqual([2, false]);
  });

  it('spans the epoch range and several architectures', () => {
    const e = estimateTrialSeconds({ ...plan, architectures: ['dense', 'conv'], minEpochs: 2, maxEpochs: 10 }, [rec('dense', 1000), rec('conv', 100)]);
    expect(e).toEqual({ kind: 'measured', low: TRIAL_OVERHEAD_SECONDS + 14, high: TRIAL_OVERHEAD_SECONDS + 700, basis: 2, scaled: false, calibrated: false });
  });

  it('uses a calibration run where no trial has finished, and a finished trial over a calibration', () => {
    const cal = { ...rec('conv', 7000 * 5 / 20), calibration: true };
    const fromCalibration = estimateTrialSeconds(plan, [cal]);
    expect(fromCalibration).toMatchObject({ kind: 'measured', basis: 0, calibrated: true });
    expect(fromCalibration.kind === 'measured' && fromCalibration.high).toBeCloseTo(TRIAL_OVERHEAD_SECONDS + 20);
    const fromTrial = estimateTrialSeconds(plan, [cal, rec('conv', 7000 * 5 / 40)]);
    expect(fromTrial).toMatchObject({ kind: 'measured', basis: 1, calibrated: false });
    expect(fromTrial.kind === 'measured' && fromTrial.high).toBeCloseTo(TRIAL_OVERHEAD_SECONDS + 40);
  });

  it('scales a trial at another image size by the pixel ratio, preferring exact sizes', () => {
    const e = estimateTrialSeconds({ ...plan, imageSize: 56 }, [rec('conv', 400, 28)]);
    expect(e.kind === 'measured' && e.scaled).toBe(true);
    expect(e.kind === 'measured' && e.high).toBeCloseTo(TRIAL_OVERHEAD_SECONDS + (7000 * 5) / 100);
    const exact = estimateTrialSeconds({ ...plan, imageSize: 56 }, [rec('conv', 400, 28), rec('conv', 50, 56)]);
    expect(exact.kind === 'measured' && exact.scaled).toBe(false);
    expect(exact.kind === 'measured' && exact.basis).toBe(1);
  });

  it('says so when nothing comparable has run (other architecture, channels or backend)', () => {
    expect(estimateTrialSeconds(plan, [])).toEqual({ kind: 'none', missing: ['conv'] });
    expect(estimateTrialSeconds(plan, [rec('dense', 1000), rec('conv', 100, 28, 'cpu')])).toEqual({ kind: 'none', missing: ['conv'] });
    expect(estimateTrialSeconds({ ...plan, channels: 3 }, [rec('conv', 100)])).toEqual({ kind: 'none', missing: ['conv'] });
    expect(estimateTrialSeconds({ ...plan, architectures: ['dense', 'conv'] }, [rec('dense', 1000)])).toEqual({ kind: 'none', missing: ['conv'] });
    // backend not known yet: any backend counts
    expect(estimateTrialSeconds({ ...plan, backend: null }, [rec('conv', 100, 28, 'cpu')]).kind).toBe('measured');
  });
});

describe('measured throughput of stored trials', () => {
  it('picks the newest few COMPLETE trials of each kind and takes the median of their epochs', () => {
    const conv = (id: number) => trial({ id, state: 'COMPLETE', epochsDone: 3 });
    const trials = [1, 2, 3, 4, 5, 6, 7].map((id) => {
      const t = conv(id);
      return { ...t, backend: 'wasm', params: { ...DEFAULT_PARAMS, architecture: 'conv' as const, imageSize: 28, channels: 1 as const } };
    });
    const pruned = { ...trials[0], id: 8, state: 'PRUNED' as const };
    // One whose configuration this version cannot read is of no known kind: never measured as a default dense one.
    const unreadable = { ...trial({ id: 9, state: 'COMPLETE', epochsDone: 3, paramsProblem: 'architecture: "transformer" is not allowed' }), backend: 'wasm' };
    expect(comparableTrialIds([...trials, pruned, unreadable], ['conv'], 5)).toEqual([7, 6, 5, 4, 3]);
    expect(comparableTrialIds([unreadable], ['dense'])).toEqual([]);
    expect(comparableTrialIds(trials, ['dense'])).toEqual([]);
    const epoch = (samplesPerSec: number) => ({ epoch: 1, trainLoss: 0.1, valLoss: 0.1, seconds: 1, samplesPerSec });
    const records = throughputRecords([...trials, unreadable], [{ trialId: 7, epochs: [epoch(100), epoch(300), epoch(120)] }, { trialId: 99, epochs: [epoch(1)] }, { trialId: 9, epochs: [epoch(50)] }]);
    expect(records).toEqual([{ architecture: 'conv', imageSize: 28, channels: 1, backend: 'wasm', samplesPerSec: 120 }]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
