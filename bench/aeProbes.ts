// The seed's point, measured: are an autoencoder's codes good features? Trains our reference dense and conv
// autoencoders (10 epochs, Fashion-MNIST 6000/1000 as in ../shared/reference) and probes their 32-d codes with
// logistic regression and kNN(5), next to scikit-learn's figures for PyTorch's codes, raw pixels and PCA(32).
// Run: node --import tsx bench/aeProbes.ts [--epochs 10]
import * as tf from '@tensorflow/tfjs';
import { buildAutoencoder } from '../src/core/model';
import { selectBackend } from '../src/core/training/backend';
import { fitAutoencoder } from '../src/core/training/fit';
import { createOptimizer } from '../src/core/training/optimizer';
import { encodeAll } from '../src/core/export/encoderBundle';
import { evaluateClassification } from '../src/core/evaluation/probes/index';
import { loadFashionMnist, REFERENCE_MODELS } from './train';

const DIM = 784;
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

const REFERENCE: Record<string, string> = {
  dense: 'PyTorch dense AE code: LR 0.753-0.758, kNN 0.737-0.764',
  conv: 'PyTorch conv AE code: LR 0.808-0.813, kNN 0.805-0.817',
};

async function main(): Promise<void> {
  const epochs = Number(arg('epochs', '10'));
  const backend = await selectBackend();
  console.log(`Backend: ${backend.note}`);
  const data = loadFashionMnist();
  const nTrain = data.train.length / DIM;
  const trainY = Int32Array.from(data.trainLabels);
  const valY = Int32Array.from(data.valLabels);
  console.log('features                 | LR acc / F1 macro | kNN(5) acc / F1 macro | reference (scikit-learn)');
  console.log('raw pixels (reference)   |  -                |  -                    | LR 0.794 / 0.794, kNN 0.797 / 0.797');
  console.log('PCA(32) (reference)      |  -                |  -                    | LR 0.811 / 0.810, kNN 0.797 / 0.796');
  for (const model of ['dense', 'conv'] as const) {
    const p = { ...REFERENCE_MODELS[model], epochs };
    const train = tf.tensor2d(data.train, [nTrain, DIM]);
    const val = tf.tensor2d(data.val, [data.val.length / DIM, DIM]);
    const ae = buildAutoencoder(p, { width: 28, height: 28, channels: 1 }, p.seed);
    const optimizer = createOptimizer(p);
    const out = await fitAutoencoder({ ae, optimizer, train, val, batchSize: p.batchSize, epochs, seed: p.seed });
    const k = ae.latentSize;
    const toMatrix = (z: Float32Array) => ({ data: Float64Array.from(z), rows: z.length / k, cols: k });
    const zTrain = toMatrix(encodeAll(ae.encoder, train));
    const zVal = toMatrix(encodeAll(ae.encoder, val));
    const lr = evaluateClassification(zTrain, trainY, zVal, valY, { kind: 'logistic' }).metrics;
    const knn = evaluateClassification(zTrain, trainY, zVal, valY, { kind: 'knn', k: 5 }).metrics;
    const f = (v: number): string => v.toFixed(3);
    const mse = out.epochs.at(-1)?.valMse ?? Number.NaN;
    console.log(`ours ${model.padEnd(5)} AE code (32) | ${f(lr.accuracy)} / ${f(lr.f1Macro)}     | ${f(knn.accuracy)} / ${f(knn.f1Macro)}         | ${REFERENCE[model]}; our val MSE ${mse.toFixed(4)}`);
    optimizer.dispose();
    ae.dispose();
    train.dispose();
    val.dispose();
  }
}

await main();
