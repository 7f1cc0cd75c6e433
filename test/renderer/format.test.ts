import { describe, expect, it } from 'vitest';
import { baseName, formatLoss, formatSeconds } from '../../src/renderer/lib/format';

describe('format', () => {
  it('formats losses with 4 significant digits', () => {
    expect(formatLoss(0.123456)).toBe('0.1235');
    expect(formatLoss(0.00001234)).toBe('1.234e-5');
    expect(formatLoss(null)).toBe('—');
    expect(formatLoss(Number.NaN)).toBe('NaN');
  });
  it('formats durations', () => {
    expect(formatSeconds(1.234)).toBe('1.23 s');
    expect(formatSeconds(42.1)).toBe('42.1 s');
    expect(formatSeconds(125)).toBe('2 m 05 s');
    expect(formatSeconds(3725)).toBe('1 h 02 m');
  });
  it('takes the last path segment for either separator', () => {
    expect(baseName('/a/b/mnist/')).toBe('mnist');
    expect(baseName('C:\\data\\digits')).toBe('digits');
  });
});
