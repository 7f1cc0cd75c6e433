// Cross-validated probe settings against scikit-learn (not a test). Run: node --import tsx bench/probeCv.ts
//   [--per-class=600] [--no-raw]
// Fashion-MNIST (the first N images per class), features standardised on the training images: raw pixels,
// PCA(32), PCA(64). Our logistic C (LogisticRegressionCV's role) and kNN k chosen by stratified 3-fold CV, then
// the same features and the same folds given to scikit-learn (LogisticRegressionCV and GridSearchCV over
// KNeighborsClassifier with a PredefinedSplit), so the mean held-out accuracies per grid value can be compared
// one to one. Needs python3 with scikit-learn (Debian: apt-get install python3-sklearn; $PYTHON picks another interpreter);
// without it, prints ours only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pcaFeatures } from '../src/core/evaluation/baselines';
import { columnStats, standardize, type Matrix } from '../src/core/evaluation/matrix';
import { stratifiedFolds } from '../src/core/evaluation/probes/folds';
import { chooseKnnK } from '../src/core/evaluation/probes/knn';
import { chooseLogisticC } from '../src/core/evaluation/probes/logistic';
import { KNN_K_GRID, LOGISTIC_C_GRID } from '../src/shared/study/probes';
import { fashionImages } from './fashionMnist';

const arg = (name: string, def: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : def;
};
const PER_CLASS = arg('per-class', 600);
const FOLDS = 3;
const SEED = 0;

const SKLEARN = `
import sys, json, numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.neighbors import KNeighborsClassifier
d = sys.argv[1]
meta = json.load(open(d + '/meta.json'))
X = np.fromfile(d + '/x.f64', dtype=np.float64).reshape(meta['rows'], meta['cols'])
y = np.fromfile(d + '/y.i32', dtype=np.int32)
folds = PredefinedSplit(np.fromfile(d + '/folds.i32', dtype=np.int32))
lr = LogisticRegressionCV(Cs=meta['Cs'], cv=folds, scoring='accuracy', tol=1e-4, max_iter=1000).fit(X, y)
knn = GridSearchCV(KNeighborsClassifier(), {'n_neighbors': meta['ks']}, cv=folds, scoring='accuracy').fit(X, y)
print(json.dumps({'C': float(lr.C_[0]), 'cScores': lr.scores_[next(iter(lr.scores_))].mean(axis=0).tolist(),
  'k': int(knn.best_params_['n_neighbors']), 'kScores': knn.cv_results_['mean_test_score'].tolist()}))
`;

interface Sk {
  C: number;
  cScores: number[];
  k: number;
  kScores: number[];
}

function sklearn(x: Matrix, y: Int32Array, folds: Int32Array): Sk | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-cv-'));
  try {
    fs.writeFileSync(path.join(dir, 'x.f64'), Buffer.from(Float64Array.from(x.data).buffer));
    fs.writeFileSync(path.join(dir, 'y.i32'), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    fs.writeFileSync(path.join(dir, 'folds.i32'), Buffer.from(folds.buffer, folds.byteOffset, folds.byteLength));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ rows: x.rows, cols: x.cols, Cs: LOGISTIC_C_GRID, ks: KNN_K_GRID }));
    const python = process.env.PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'); // Debian's, where apt puts sklearn
    const r = spawnSync(python, ['-c', SKLEARN, dir], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
    if (r.error || r.status !== 0) return `scikit-learn not run (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`;
    return JSON.parse(r.stdout) as Sk;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const f3 = (v: number): string => v.toFixed(3);

function main(): void {
  const { pixels, labels } = fashionImages(PER_CLASS);
  const d = 28 * 28;
  const raw: Matrix = { data: Float64Array.from(pixels, (v) => v / 255), rows: labels.length, cols: d };
  const features: [string, Matrix][] = [];
  if (!process.argv.includes('--no-raw')) features.push(['raw', raw]);
  for (const k of [32, 64]) features.push([`pca${k}`, pcaFeatures(raw, raw, k, { seed: 0 }).train]);
  const folds = stratifiedFolds(labels, FOLDS, SEED);
  console.log(`Fashion-MNIST ${labels.length} images (${PER_CLASS} per class), ${FOLDS}-fold stratified CV (seed ${SEED}); load ${os.loadavg()[0].toFixed(1)}`);
  console.log(`C grid ${LOGISTIC_C_GRID.join(', ')}; k grid ${KNN_K_GRID.join(', ')}\n`);
  for (const [name, x] of features) {
    const xs = standardize(x, columnStats(x));
    const t0 = performance.now();
    const c = chooseLogisticC(xs, labels, 10, LOGISTIC_C_GRID, { folds: FOLDS, seed: SEED, tol: 1e-4, maxIter: 1000 }).choice;
    const t1 = performance.now();
    const k = chooseKnnK(xs, labels, 10, KNN_K_GRID, { folds: FOLDS, seed: SEED, metric: 'euclidean' });
    const t2 = performance.now();
    const sk = sklearn(xs, labels, folds);
    console.log(`## ${name} (${x.cols} features, standardised)`);
    console.log(`logistic: ours C = ${c.value} (${((t1 - t0) / 1000).toFixed(1)} s); per C ${c.scores.map(f3).join(' ')}`);
    if (typeof sk === 'string') console.log(sk);
    else console.log(`          sklearn C = ${sk.C}; per C ${sk.cScores.map(f3).join(' ')}`);
    console.log(`knn:      ours k = ${k.value} (${((t2 - t1) / 1000).toFixed(1)} s); per k ${k.scores.map(f3).join(' ')}`);
    if (typeof sk !== 'string') console.log(`          sklearn k = ${sk.k}; per k ${sk.kScores.map(f3).join(' ')}`);
    console.log('');
  }
}

main();
