// Wall time of the analytics trials table's derivations on 2,000 fake trials (median of 5 after a warm-up).
// A frame is ~16 ms: filtering, sorting and paging should each fit in one; deriving rows happens once per reload.
import { paramImportance } from '../src/shared/analytics/importance';
import { optimizationHistory, topPercentIds } from '../src/shared/analytics/objective';
import { paramAxes } from '../src/shared/analytics/params';
import { filterRows, paginate, sortRows, toRows } from '../src/renderer/lib/analytics/trialRows';
import { fakeTrials, SPEC } from '../test/renderer/analyticsFixtures';

const time = (fn: () => void, repeat = 5): number => {
  fn();
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
};

const trials = fakeTrials(2000, 42);
const axes = paramAxes(SPEC, trials);
const fresh = Array.from({ length: 6 }, (_, i) => fakeTrials(2000, 100 + i)); // new objects: no cached rows
let k = 0;
const derive = time(() => toRows(fresh[k++], axes), 5);
const rows = toRows(trials, axes);
const filter = time(() => filterRows(rows, { states: ['COMPLETE', 'PRUNED'], params: [{ name: 'dropout', kind: 'range', min: 0.1, max: 0.4 }] }));
const sortV = time(() => sortRows(rows, { key: { kind: 'value', index: 0 }, descending: true }));
const sortP = time(() => sortRows(rows, { key: { kind: 'param', name: 'hiddenUnits' }, descending: false }));
const page = time(() => paginate(rows, 10, 100));
console.log(`2,000 trials: derive ${derive.toFixed(2)} ms, filter ${filter.toFixed(2)} ms, sort by value ${sortV.toFixed(2)} ms, sort by param ${sortP.toFixed(2)} ms, page ${page.toFixed(3)} ms`);
const history = time(() => optimizationHistory(trials, 'minimize'));
const top = time(() => topPercentIds(trials, 'minimize', 10));
const importance = time(() => paramImportance(trials, axes), 3);
console.log(`2,000 trials: history ${history.toFixed(2)} ms, top-k ${top.toFixed(2)} ms, importance ${importance.toFixed(2)} ms`);
