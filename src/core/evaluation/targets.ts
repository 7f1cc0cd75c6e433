// Regression targets from a user's CSV (`file,value`), matched to the dataset's image files.
import { parseCsvRecords } from '../csv';

export class TargetsCsvError extends Error {
  constructor(
    public readonly line: number,
    message: string,
  ) {
    super(`targets CSV line ${line}: ${message}`);
    this.name = 'TargetsCsvError';
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * Parses `file,value` rows into a map from (forward-slash) file path to value. A first row whose value is not a
 * number is a header; a header naming `file` and `value` columns (any case) selects them, otherwise the first two
 * columns are used. Errors name the line: a missing value, a value that is not a finite number, a duplicate file.
 */
export function parseTargetsCsv(text: string): Map<string, number> {
  const records = parseCsvRecords(text.replace(/^\uFEFF/, ''), (line, message) => new TargetsCsvError(line, message));
  if (!records.length) throw new TargetsCsvError(1, 'the file is empty; expected rows of file,value');
  let fileCol = 0;
  let valueCol = 1;
  let start = 0;
  const first = records[0];
  if (first.fields.length < 2 || !NUMBER.test(first.fields[1])) {
    const names = first.fields.map((f) => f.toLowerCase());
    const f = names.indexOf('file');
    const v = names.indexOf('value');
    if (f >= 0 && v >= 0) {
      fileCol = f;
      valueCol = v;
    } else if (first.fields.length < 2) {
      throw new TargetsCsvError(first.line, `expected two columns (file,value), got "${first.fields.join(',')}"`);
    }
    start = 1;
  }
  const out = new Map<string, number>();
  const firstLine = new Map<string, number>();
  for (let r = start; r < records.length; r++) {
    const { line, fields } = records[r];
    if (fields.length <= Math.max(fileCol, valueCol)) {
      throw new TargetsCsvError(line, `expected at least ${Math.max(fileCol, valueCol) + 1} fields (file,value), got ${fields.length}`);
    }
    const file = normalizePath(fields[fileCol]);
    const raw = fields[valueCol];
    if (!file) throw new TargetsCsvError(line, 'the file name is empty');
    if (!NUMBER.test(raw)) throw new TargetsCsvError(line, `value "${raw}" for "${file}" is not a number`);
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new TargetsCsvError(line, `value "${raw}" for "${file}" is not finite`);
    const seen = firstLine.get(file);
    if (seen !== undefined) throw new TargetsCsvError(line, `"${file}" already has a value (line ${seen})`);
    firstLine.set(file, line);
    out.set(file, value);
  }
  if (!out.size) throw new TargetsCsvError(records[0].line, 'no data rows after the header');
  return out;
}

/**
 * Value per dataset file (relative paths, forward slashes), NaN where the CSV has none. A CSV key matches a file by
 * its full relative path, or else by file name when that name is unique among the CSV's keys and the files.
 */
export function matchTargets(files: readonly string[], targets: ReadonlyMap<string, number>): { values: Float64Array; missing: string[] } {
  const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  const countNames = (paths: Iterable<string>): Map<string, number> => {
    const m = new Map<string, number>();
    for (const p of paths) m.set(baseName(p), (m.get(baseName(p)) ?? 0) + 1);
    return m;
  };
  const keyNames = countNames(targets.keys());
  const fileNames = countNames(files.map(normalizePath));
  const byName = new Map<string, number>();
  for (const [k, v] of targets) if (keyNames.get(baseName(k)) === 1) byName.set(baseName(k), v);
  const values = new Float64Array(files.length);
  const missing: string[] = [];
  files.forEach((f, i) => {
    const p = normalizePath(f);
    const name = baseName(p);
    const v = targets.get(p) ?? (fileNames.get(name) === 1 ? byName.get(name) : undefined);
    values[i] = v ?? NaN;
    if (v === undefined) missing.push(f);
  });
  return { values, missing };
}
