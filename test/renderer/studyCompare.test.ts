// Studies side by side: the address's study list, the shared objective, each study's best-so-far history, the
// best value per latent size merged onto one axis, the table row, and the chart options built from them.
import { describe, expect, it } from 'vitest';
import { mergeBySize, sharedObjective, studyHistories, studyRow, verdictCell } from '../../src/renderer/lib/analytics/studyCompare';
import { buildStudiesHistoryOption, buildStudiesTradeoffOption } from '../../src/renderer/components/charts/studyCompareOption';
import { comparedNames, compareStudiesRoute, createAppRouter, locationOf, MAX_COMPARED } from '../../src/renderer/router';
import { createMemoryHistory } from 'vue-router';
import type { TestVerdict } from '../../src/shared/verdict';
import { fakeStudy, trial } from './analyticsFixtures';

const dense = fakeStudy(
  [
    trial({ id: 1, number: 0, values: [0.05], latentSize: 4 }),
    trial({ id: 2, number: 1, values: [0.03], latentSize: 8 }),
    trial({ id: 3, number: 2, state: 'PRUNED', values: [null], latentSize: 16 }),
    trial({ id: 4, number: 3, values: [0.04], latentSize: 8, finishedAt: new Date(Date.UTC(2025, 0, 1, 0, 3, 50)).toISOString() }),
  ],
  { name: 'dense', bestValue: 0.03, bestTrialId: 2, state: 'finished' },
);
const conv = fakeStudy(
  [
    trial({ id: 11, number: 0, values: [0.02], latentSize: 16 }),
    trial({ id: 12, number: 1, values: [0.025], latentSize: 4 }),
    trial({ id: 13, number: 2, state: 'FAILED', values: [null], latentSize: 2 }),
  ],
  { name: 'conv', id: 2, bestValue: 0.02, bestTrialId: 11 },
);

describe('studies side by side', () => {
  it('reads the compared studies from the address: strings, no duplicates, at most four', () => {
    expect(comparedNames(['a', 'b', 'a', '', 'c', 'd', 'e'])).toEqual(['a', 'b', 'c', 'd']);
    expect(comparedNames('solo')).toEqual(['solo']);
    expect(comparedNames(undefined)).toEqual([]);
    expect(MAX_COMPARED).toBe(4);
  });

  it('has an address of its own (a study named like the view still opens as a study)', async () => {
    const router = createAppRouter(createMemoryHistory());
    await router.push(compareStudiesRoute(['dense', 'conv, v2']));
    expect(router.currentRoute.value.fullPath).toBe('/compare-studies?study=dense&study=conv,+v2');
    expect(locationOf(router.currentRoute.value)).toMatchObject({ section: 'studies', comparing: true, studyName: null });
    expect(comparedNames(router.currentRoute.value.query.study)).toEqual(['dense', 'conv, v2']);
    await router.push('/studies/compare-studies');
    expect(locationOf(router.currentRoute.value)).toMatchObject({ comparing: false, studyName: 'compare-studies' });
  });

  it('compares values only when every study optimises the same first objective the same way', () => {
    expect(sharedObjective([dense, conv])).toEqual({ name: 'val_loss', direction: 'minimize' });
    expect(sharedObjective([dense, { ...conv, objectives: ['val_accuracy'], directions: ['maximize'] }])).toBeNull();
    expect(sharedObjective([])).toBeNull();
  });

  it('gives each study its best-so-far history over its completed trials', () => {
    const [d, c] = studyHistories([dense, conv]);
    expect(d.points.map((p) => [p.number, p.value, p.best])).toEqual([[0, 0.05, 0.05], [1, 0.03, 0.03], [3, 0.04, 0.03]]);
    expect(c.points.map((p) => [p.number, p.best])).toEqual([[0, 0.02], [1, 0.02]]);
  });

  it('merges the latent sizes of all studies onto one axis, with gaps where a study never finished a size', () => {
    expect(mergeBySize([dense, conv])).toEqual({ sizes: [4, 8, 16], values: [[0.05, 0.03, null], [0.025, null, 0.02]] });
    // A maximised objective keeps the largest value per size.
    const acc = fakeStudy([trial({ id: 1, values: [0.7], latentSize: 4 }), trial({ id: 2, number: 1, values: [0.9], latentSize: 4 })], { directions: ['maximize'], objectives: ['val_accuracy'] });
    expect(mergeBySize([acc]).values).toEqual([[0.9]]);
  });

  it('sums each study up in one row: trials by state, best trial and its size, trial times, the verdict', () => {
    const row = studyRow(dense);
    expect(row).toMatchObject({ name: 'dense', complete: 3, pruned: 1, failed: 0, bestValue: 0.03, bestTrialNumber: 1, bestLatentSize: 8, architectures: ['dense'], verdict: null });
    // 30 s, 30 s, 30 s and 50 s.
    expect([row.medianSeconds, row.totalSeconds]).toEqual([30, 140]);
    expect(studyRow(conv)).toMatchObject({ complete: 2, failed: 1, bestTrialNumber: 0, bestLatentSize: 16 });
    const cmp: TestVerdict['comparisons'][number] = {
      baseline: 'pca',
      dim: 8,
      accuracy: { value: 0.8, lo: 0.78, hi: 0.82 },
      difference: { value: 0.021, lo: 0.008, hi: 0.034 },
      mcnemar: { onlyTrial: 30, onlyBaseline: 9, pValue: 0.001, method: 'chi2' },
      outcome: 'better',
    };
    const cell = verdictCell(cmp);
    expect(cell.outcome).toBe('better');
    expect([cell.points, cell.lo, cell.hi].map((v) => Number(v.toFixed(1)))).toEqual([2.1, 0.8, 3.4]);
  });

  it('draws one best-so-far line and one dot series per study, and one line per study over the merged sizes', () => {
    const labels = { objective: 'loss', trial: 'Trial', latentSize: 'Latent size', trialTitle: (n: number) => `#${n}`, best: 'Best' };
    const history = buildStudiesHistoryOption(studyHistories([dense, conv]), { labels });
    const series = history.series as unknown as { type: string; name: string; data: unknown[] }[];
    expect(series.map((s) => [s.type, s.name, s.data.length])).toEqual([['line', 'dense', 3], ['scatter', 'dense', 3], ['line', 'conv', 2], ['scatter', 'conv', 2]]);
    const tradeoff = buildStudiesTradeoffOption(mergeBySize([dense, conv]), ['dense', 'conv'], { labels });
    expect((tradeoff.xAxis as { data: string[] }).data).toEqual(['4', '8', '16']);
    expect((tradeoff.series as unknown as { data: unknown[] }[]).map((s) => s.data)).toEqual([[0.05, 0.03, null], [0.025, null, 0.02]]);
  });
});
