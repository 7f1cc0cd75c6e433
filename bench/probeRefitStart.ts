// Where the logistic probe's final fit starts (not a test): from zero, or from the cross-validation folds' mean
// solution at the chosen C (what fitLogistic does, like scikit-learn's LogisticRegressionCV refit). Prints, for
// raw pixels and PCA(32/64) of Fashion-MNIST, the final fit's L-BFGS iterations and CPU time from each start, and
// how many test predictions differ. Iteration counts do not depend on the machine's load.
//   node --import tsx bench/probeRefitStart.ts [--per-class=800]
import os from 'node:os';
import { pcaFeatures } from '../src/core/evaluation/baselines';
import { columnStats, standardize, takeRows, type Matrix } from '../src/core/evaluation/matrix';
import { chooseLogisticC, classIndex, trainLogistic } from '../src/core/evaluation/probes/logistic';
import { stratifiedSplit3 } from '../src/core/evaluation/split';
import { LOGISTIC_C_GRID } from '../src/shared/study/probes';
import { fashionImages } from './fashionMnist';

const a = process.argv.find((x) => x.startsWith('--per-class='));
const PER_CLASS = a ? Number(a.slice(12)) : 800;

function predict(x: Matrix, w: Float64Array, outputs: number): Int32Array {
  const d = x.cols;
  const out = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestZ = -Infinity;
    for (let k = 0; k < outputs; k++) {
      let z = w[outputs * d + k];
      for (let j = 0; j < d; j++) z += x.data[i * d + j] * w[k * d + j];
      if (z > bestZ) [best, bestZ] = [k, z];
    }
    out[i] = best;
  }
  return out;
}

function main(): void {
  const { pixels, labels } = fashionImages(PER_CLASS);
  const raw: Matrix = { data: Float64Array.from(pixels, (v) => v / 255), rows: labels.length, cols: 784 };
  const split = stratifiedSplit3(labels, 0.15, 1000 / labels.length, 0);
  const trainRaw = takeRows(raw, split.train);
  const testRaw = takeRows(raw, split.test);
  const y = Int32Array.from(split.train, (i) => labels[i]);
  const yTest = Int32Array.from(split.test, (i) => labels[i]);
  const { index } = classIndex(y);
  console.log(`Fashion-MNIST: ${split.train.length} training, ${split.test.length} test images; C by 3-fold CV over ${LOGISTIC_C_GRID.join(', ')}; load ${os.loadavg()[0].toFixed(1)}`);
  const sets: Array<[string, Matrix, Matrix]> = [['raw pixels', trainRaw, testRaw]];
  for (const k of [32, 64]) {
    const p = pcaFeatures(trainRaw, testRaw, k, { seed: 0 });
    sets.push([`PCA(${k})`, p.train, p.eval]);
  }
  for (const [name, train, test] of sets) {
    const stats = columnStats(train);
    const xs = standardize(train, stats);
    const xt = standardize(test, stats);
    const opts = { tol: 1e-4, maxIter: 1000 };
    const c0 = process.cpuUsage();
    const { choice, start } = chooseLogisticC(xs, index, 10, LOGISTIC_C_GRID, { folds: 3, seed: 0, ...opts });
    const cvCpu = cpuSince(c0);
    const runs = [undefined, start].map((x0) => {
      const c = process.cpuUsage();
      const r = trainLogistic(xs, index, 10, choice.value, opts, { x0 });
      return { r, cpu: cpuSince(c), pred: predict(xt, r.x, 10) };
    });
    const differ = runs[0].pred.reduce((n, v, i) => n + (v !== runs[1].pred[i] ? 1 : 0), 0);
    const acc = (p: Int32Array): string => (p.reduce((n, v, i) => n + (v === yTest[i] ? 1 : 0), 0) / p.length).toFixed(4);
    console.log(
      `${name.padEnd(11)} C ${choice.value}: CV ${cvCpu.toFixed(2)} CPU s; final fit from zero ${runs[0].r.iterations} iterations ${runs[0].cpu.toFixed(2)} s (test ${acc(runs[0].pred)}), ` +
        `from the folds' mean ${runs[1].r.iterations} iterations ${runs[1].cpu.toFixed(2)} s (test ${acc(runs[1].pred)}); ${differ} of ${yTest.length} test predictions differ`,
    );
  }
}

const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

main();
