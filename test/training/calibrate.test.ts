// The wizard's speed measurement: the real training step of an architecture's default model on a few
// batches of random pixels, in samples per second, leaving no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/training/backend';
import { measureThroughput } from '../../src/core/training/calibrate';

beforeAll(async () => {
  await selectBackend();
});

describe('measureThroughput', () => {
  it('times training batches of the default dense and conv models and disposes what it built', async () => {
    const before = tf.memory().numTensors;
    const dense = await measureThroughput({ architecture: 'dense', imageSize: 8, channels: 1, batches: 2 });
    const conv = await measureThroughput({ architecture: 'conv', imageSize: 8, channels: 3, batches: 2 });
    expect(dense).toBeGreaterThan(0);
    expect(conv).toBeGreaterThan(0);
    expect(Number.isFinite(dense) && Number.isFinite(conv)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('stops when asked, with a message instead of a figure', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(measureThroughput({ architecture: 'dense', imageSize: 8, channels: 1, batches: 2, signal: stop.signal })).rejects.toThrow(/stopped before a batch was timed/);
  });
});
