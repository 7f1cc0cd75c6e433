// One number format per kind of quantity, and one notation per column (issue 14 defect 1).
import { describe, expect, it } from 'vitest';
import { columnFormatter, formatNumber, quantityKind } from '../../src/shared/numberFormat';

describe('formatNumber', () => {
  it('formats each kind of quantity one way', () => {
    expect(formatNumber('learningRate', 0.00224748378524472)).toBe('2.25e-3');
    expect(formatNumber('learningRate', 0.05)).toBe('0.05');
    expect(formatNumber('loss', 0.006613)).toBe('0.006613');
    expect(formatNumber('loss', 0.000769)).toBe('7.690e-4');
    expect(formatNumber('score', 0.8734)).toBe('0.873');
    expect(formatNumber('param', 0.25)).toBe('0.25');
    expect(formatNumber('param', 64)).toBe('64');
    expect(formatNumber('count', 12345)).toBe('12,345');
    expect(formatNumber('seconds', 44.2)).toBe('44.2 s');
    expect(formatNumber('loss', null)).toBe('—');
    expect(formatNumber('loss', Number.NaN)).toBe('NaN');
  });

  it('knows the kind of a parameter, metric or objective by its name', () => {
    expect(quantityKind('learningRate')).toBe('learningRate');
    expect(quantityKind('val_accuracy')).toBe('score');
    expect(quantityKind('val_f1_macro')).toBe('score');
    expect(quantityKind('val reconstruction (MSE)')).toBe('loss');
    expect(quantityKind('noiseLevel')).toBe('param');
  });
});

describe('columnFormatter', () => {
  it('gives a column one notation: exponents for all when one value needs it', () => {
    const f = columnFormatter('loss', [0.000769, 0.006613, 0.12, null]);
    expect([0.000769, 0.006613, 0.12].map(f)).toEqual(['7.690e-4', '6.613e-3', '1.200e-1']);
    expect(f(null)).toBe('—');
  });

  it('else the same decimals for every value, enough for the smallest', () => {
    const f = columnFormatter('loss', [0.006613, 0.0452, 0.12]);
    expect([0.006613, 0.0452, 0.12].map(f)).toEqual(['0.006613', '0.045200', '0.120000']);
    const lr = columnFormatter('learningRate', [0.0001, 0.00224748378524472, 0.01]);
    expect([0.0001, 0.00224748378524472, 0.01].map(lr)).toEqual(['1.00e-4', '2.25e-3', '1.00e-2']);
    expect(columnFormatter('param', [2, 16, 64])(16)).toBe('16');
  });
});
