import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildDenseAutoencoder, countParams } from '../../src/core/model/dense';

describe('dense autoencoder builder', () => {
  it('builds separate encoder and decoder with the right shapes', () => {
    const ae = buildDenseAutoencoder({ latentSize: 8, hiddenUnits: [32, 16], activation: 'relu', outputActivation: 'sigmoid' }, 64, 1);
    expect(ae.encoder.inputs[0].shape).toEqual([null, 64]);
    expect(ae.encoder.outputs[0].shape).toEqual([null, 8]);
    expect(ae.decoder.inputs[0].shape).toEqual([null, 8]);
    expect(ae.decoder.outputs[0].shape).toEqual([null, 64]);
    // 64*32+32 + 32*16+16 + 16*8+8 | 8*16+16 + 16*32+32 + 32*64+64
    expect(countParams(ae)).toBe(2080 + 528 + 136 + 144 + 544 + 2112);
    const y = tf.tidy(() => ae.decoder.predict(ae.encoder.predict(tf.ones([3, 64]))) as tf.Tensor);
    expect(y.shape).toEqual([3, 64]);
    const v = y.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    y.dispose();
    ae.dispose();
  });

  it('supports leaky ReLU as a layer and no hidden layers', () => {
    const ae = buildDenseAutoencoder({ latentSize: 2, hiddenUnits: [], activation: 'leakyRelu', outputActivation: 'linear' }, 10, 3);
    expect(ae.encoder.layers.map((l) => l.getClassName()).filter((n) => n !== 'InputLayer')).toEqual(['Dense']);
    ae.dispose();
    const lr = buildDenseAutoencoder({ latentSize: 2, hiddenUnits: [4], activation: 'leakyRelu', outputActivation: 'linear' }, 10, 3);
    expect(lr.encoder.layers.map((l) => l.getClassName()).filter((n) => n !== 'InputLayer')).toEqual(['Dense', 'LeakyReLU', 'Dense']);
    lr.dispose();
  });

  it('gives identical initial weights for the same seed and different ones for another', () => {
    const p = { latentSize: 4, hiddenUnits: [16], activation: 'tanh', outputActivation: 'sigmoid' } as const;
    const w = (seed: number): number[] => {
      const ae = buildDenseAutoencoder(p, 20, seed);
      const out = [...ae.encoder.getWeights()[0].dataSync()];
      ae.dispose();
      return out;
    };
    expect(w(5)).toEqual(w(5));
    expect(w(5)).not.toEqual(w(6));
  });
});
