// The trials table's derivations on 2,000 trials: derive, filter, sort and paginate correctly, and the memoised
// steps do no work when nothing changed. Their wall time is printed by bench/analyticsTable.ts.
import { describe, expect, it } from 'vitest';
import { paramAxes } from '../../src/shared/analytics/params';
import { filterRows, memoLast, paginate, sortRows, toRows } from '../../src/renderer/lib/analytics/trialRows';
import { fakeTrials, SPEC } from './analyticsFixtures';

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
  });

});
