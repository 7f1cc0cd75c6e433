// The trials table's derivations stay smooth with thousands of trials: derive, filter, sort and paginate
// 2,000 fake trials well within a frame budget, and the memoised steps cost nothing when nothing changed.
import { describe, expect, it } from 'vitest';
import { paramImportance } from '../../src/shared/analytics/importance';
import { optimizationHistory, topPercentIds } from '../../src/shared/analytics/objective';
import { paramAxes } from '../../src/shared/analytics/params';
import { filterRows, memoLast, paginate, sortRows, toRows } from '../../src/renderer/lib/analytics/trialRows';
import { fakeTrials, SPEC } from './analyticsFixtures';

/** Median wall time of `repeat` runs after a warm-up (the median ignores a stray GC pause). */
const time = (fn: () => void, repeat = 5): number => {
  fn(); // warm up the JIT
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
};

describe('trials table with 2,000 trials', () => {
  const trials = fakeTrials(2000, 42);
  const axes = paramAxes(SPEC, trials);

  it('derives, filters, sorts and paginates correctly', () => {
    const rows = toRows(trials, axes);
    expect(rows.length).toBe(2000);
    const complete = filterRows(rows, { states: ['COMPLETE'], params: [] });
    expect(complete.every((r) => r.state === 'COMPLETE')).toBe(true);
    const relu = filterRows(rows, { states: [], params: [{ name: 'activation', kind: 'equals', value: 'relu' }] });
    expect(relu.length).toBeGreaterThan(0);
    expect(relu.every((r) => r.params.activation === 'relu')).toBe(true);
    const small = filterRows(rows, { states: [], params: [{ name: 'learningRate', kind: 'range', min: null, max: 0.001 }] });
    expect(small.every((r) => typeof r.params.learningRate === 'number' && r.params.learningRate <= 0.001)).toBe(true);

    const byValue = sortRows(rows, { key: { kind: 'value', index: 0 }, descending: false });
    const values = byValue.map((r) => r.values[0] ?? null);
    const firstNull = values.indexOf(null);
    expect(firstNull).toBe(complete.length); // missing values last
    for (let i = 1; i < firstNull; i++) expect((values[i] as number) >= (values[i - 1] as number)).toBe(true);
    const byName = sortRows(rows, { key: { kind: 'param', name: 'activation' }, descending: true });
    expect(byName[0].params.activation).toBe('tanh');

    const page = paginate(byValue, 3, 50);
    expect(page).toMatchObject({ page: 3, pages: 40, total: 2000, from: 151, to: 200 });
    expect(paginate(byValue, 99, 50).page).toBe(39); // clamped
    expect(paginate([], 0, 50)).toMatchObject({ page: 0, pages: 1, from: 0, to: 0 });
  });

  it('filters, sorts and pages within a frame; derives rows (once per reload) in a few frames at most', () => {
    const fresh = Array.from({ length: 6 }, (_, i) => fakeTrials(2000, 100 + i)); // new objects: no cached rows
    let k = 0;
    const derive = time(() => toRows(fresh[k++], axes), 5);
    const rows = toRows(trials, axes);
    const filter = time(() => filterRows(rows, { states: ['COMPLETE', 'PRUNED'], params: [{ name: 'dropout', kind: 'range', min: 0.1, max: 0.4 }] }));
    const sortV = time(() => sortRows(rows, { key: { kind: 'value', index: 0 }, descending: true }));
    const sortP = time(() => sortRows(rows, { key: { kind: 'param', name: 'hiddenUnits' }, descending: false }));
    const page = time(() => paginate(rows, 10, 100));
    console.info(`2,000 trials: derive ${derive.toFixed(2)} ms, filter ${filter.toFixed(2)} ms, sort by value ${sortV.toFixed(2)} ms, sort by param ${sortP.toFixed(2)} ms, page ${page.toFixed(3)} ms`);
    // Generous bounds for a loaded CI machine; typical figures are a few ms.
    expect(filter).toBeLessThan(16);
    expect(sortV).toBeLessThan(16);
    expect(sortP).toBeLessThan(30);
    expect(page).toBeLessThan(2);
    expect(derive).toBeLessThan(80); // typically ~10-30 ms on a 2-core machine under load
  });

  it('re-derives nothing when the same trial objects come back (cached rows, memoised steps)', () => {
    const first = toRows(trials, axes);
    const again = toRows(trials, axes);
    expect(again[123]).toBe(first[123]);
    let calls = 0;
    const memoSort = memoLast((rows: readonly ReturnType<typeof toRows>[number][], desc: boolean) => {
      calls++;
      return sortRows(rows, { key: { kind: 'number' }, descending: desc });
    });
    memoSort(first, true);
    memoSort(first, true);
    expect(calls).toBe(1);
    memoSort(first, false);
    expect(calls).toBe(2);
    const cached = time(() => toRows(trials, axes));
    expect(cached).toBeLessThan(10);
  });

  it('computes the analytics of 2,000 trials fast enough to redo on every refresh', () => {
    const history = time(() => optimizationHistory(trials, 'minimize'));
    const top = time(() => topPercentIds(trials, 'minimize', 10));
    const importance = time(() => paramImportance(trials, axes), 3);
    console.info(`2,000 trials: history ${history.toFixed(2)} ms, top-k ${top.toFixed(2)} ms, importance ${importance.toFixed(2)} ms`);
    expect(history).toBeLessThan(20);
    expect(top).toBeLessThan(20);
    expect(importance).toBeLessThan(60);
  });
});
