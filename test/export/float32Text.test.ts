// features.csv's number text: the fast path must write exactly what Number(v.toPrecision(9)).toString() writes.
import { describe, expect, it } from 'vitest';
import { float32Text } from '../../src/core/export/encoderBundle';

const slow = (v: number): string => Number(v.toPrecision(9)).toString();

describe('float32Text', () => {
  it('equals Number(v.toPrecision(9)).toString() on edge values and 300,000 random float32 bit patterns', () => {
    const edges = [0, -0, 1, -1, 0.1, 100000000, 123456789, 999999999, 1e9, 1e21, 1e-6, 1e-7, 9.99999e-7, 0.5, 2.5e-45, 3.4028234663852886e38, -3.4028234663852886e38, NaN, Infinity, -Infinity, 1.17549435e-38, 0.100000001, 1234.5, 10, 1000];
    for (const v of edges) expect(float32Text(Math.fround(v)), String(v)).toBe(slow(Math.fround(v)));
    const bits = new Uint32Array(1);
    const f = new Float32Array(bits.buffer);
    let state = 12345;
    let mismatches = 0;
    for (let i = 0; i < 300_000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      // Half of them in the codes' usual range (|v| < 100), half anywhere in float32.
      bits[0] = i % 2 ? state : (state & 0x80ffffff) | ((110 + (state % 24)) << 23);
      if (float32Text(f[0]) !== slow(f[0])) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('a different formula would be caught: trailing zeros are stripped only after a decimal point', () => {
    expect(float32Text(100)).toBe('100');
    expect(float32Text(Math.fround(0.25))).toBe('0.25');
    expect(float32Text(Math.fround(-1.5))).toBe('-1.5');
  });
});
