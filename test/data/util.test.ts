import { describe, expect, it } from 'vitest';
import { naturalCompare, sortNatural, sortPaths, throttle } from '../../src/core/data/util';

describe('natural sorting', () => {
  it('orders digit runs by value; case and leading zeros only break ties, by code point', () => {
    const names = ['img10.png', 'img2.png', 'Img1.png', 'img1.png', 'img01.png', 'a', 'b10', 'b9', '10', '9'];
    expect(sortNatural(names, (n) => n)).toEqual(['9', '10', 'a', 'b9', 'b10', 'Img1.png', 'img01.png', 'img1.png', 'img2.png', 'img10.png']);
    expect(naturalCompare('x99999999999999999999', 'x100000000000000000000')).toBeLessThan(0);
    expect(naturalCompare('same', 'same')).toBe(0);
  });

  it('keeps a folder together when sorting paths', () => {
    const paths = ['a b/1.png', 'a/2.png', 'a/10.png', 'a/sub/1.png', 'b/1.png'];
    expect(sortPaths([...paths].reverse(), (p) => p)).toEqual(['a/2.png', 'a/10.png', 'a/sub/1.png', 'a b/1.png', 'b/1.png']);
  });
});

describe('throttle', () => {
  it('drops calls closer than the interval but always passes forced ones', () => {
    const seen: number[] = [];
    const t = throttle<number>((v) => seen.push(v), 1000);
    for (let i = 0; i < 100; i++) t(i);
    t(100, true);
    expect(seen).toEqual([0, 100]);
  });
});
