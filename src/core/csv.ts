// RFC 4180 CSV records, shared by the readers of users' CSVs (regression targets) and of our own features.csv.

export interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180-style records: quoted fields may hold commas, "" and newlines; `line` is where a record starts. */
export function parseCsvRecords(text: string, fail: (line: number, message: string) => Error): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldWasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = (): void => {
    fields.push(fieldWasQuoted ? field : field.trim());
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.trim() !== '') throw fail(line, 'a quote may only start a field (write "" inside a quoted field)');
      field = '';
      quoted = true;
      fieldWasQuoted = true;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (fieldWasQuoted) {
      if (ch.trim() !== '') throw fail(line, `unexpected "${ch}" after a closing quote`);
    } else {
      field += ch;
    }
  }
  if (quoted) throw fail(recordLine, 'a quoted field is never closed');
  endRecord();
  return records;
}
