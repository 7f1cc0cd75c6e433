import { describe, expect, it } from 'vitest';
import { matchTargets, parseTargetsCsv, TargetsCsvError } from '../../src/core/evaluation/targets';

describe('parseTargetsCsv', () => {
  it('reads rows with or without a header, quoted fields, CRLF and a BOM', () => {
    expect([...parseTargetsCsv('a.png,1\nb.png,-2.5e1\n')]).toEqual([
      ['a.png', 1],
      ['b.png', -25],
    ]);
    const text = '\uFEFFfile,value\r\n"dir/with, comma.png",3\r\n"say ""hi"".png", .5\r\n\r\n';
    expect([...parseTargetsCsv(text)]).toEqual([
      ['dir/with, comma.png', 3],
      ['say "hi".png', 0.5],
    ]);
  });

  it('picks the file and value columns by header name', () => {
    const m = parseTargetsCsv('id,value,note,file\n1,2.5,x,cats/a.png\n2,7,y,.\\dogs\\b.png\n');
    expect([...m]).toEqual([
      ['cats/a.png', 2.5],
      ['dogs/b.png', 7],
    ]);
  });

  it('names the line of each error', () => {
    const err = (text: string): TargetsCsvError => {
      try {
        parseTargetsCsv(text);
      } catch (e) {
        return e as TargetsCsvError;
      }
      throw new Error('expected an error');
    };
    expect(err('file,value\na.png,1\nb.png,abc\n').message).toBe('targets CSV line 3: value "abc" for "b.png" is not a number');
    expect(err('a.png,1\nb.png\n').line).toBe(2);
    expect(err('a.png,1\nb.png,2\na.png,3\n').message).toMatch(/line 3: "a.png" already has a value \(line 1\)/);
    expect(err('a.png,1\n"b.png,2\n').message).toMatch(/line 2: a quoted field is never closed/);
    expect(err('').message).toMatch(/empty/);
    expect(err('file,value\n').message).toMatch(/no data rows/);
    expect(err('a.png,1\n,2\n').message).toMatch(/line 2: the file name is empty/);
    expect(err('a.png,Infinity\n').line).toBe(1);
  });
});

describe('matchTargets', () => {
  it('matches by relative path, else by a unique file name, and lists what is missing', () => {
    const targets = new Map([
      ['cats/a.png', 1],
      ['b.png', 2],
      ['x/dup.png', 3],
      ['y/dup.png', 4],
    ]);
    const files = ['cats/a.png', 'dogs/b.png', 'z/dup.png', 'cats/c.png'];
    const { values, missing } = matchTargets(files, targets);
    expect(Array.from(values.slice(0, 2))).toEqual([1, 2]);
    expect(values[2]).toBeNaN(); // dup.png is ambiguous in the CSV
    expect(missing).toEqual(['z/dup.png', 'cats/c.png']);
  });
});
