/** Parses the hidden-layer widths field ("256, 64") into layer sizes; an empty field means no hidden layer. */
export type HiddenUnitsResult = { ok: true; value: number[] } | { ok: false; message: string };

const notWholeNumber = (part: string): string => `"${part}" is not a whole number. Write layer widths like "256, 64".`;

/** `message` words the error for a part that is not a whole number (English by default). */
export function parseHiddenUnits(text: string, message: (part: string) => string = notWholeNumber): HiddenUnitsResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: [] };
  const parts = trimmed.split(/[\s,;]+/).filter((p) => p !== '');
  const value: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part)) {
      return { ok: false, message: message(part) };
    }
    value.push(Number(part));
  }
  return { ok: true, value };
}

export function formatHiddenUnits(units: readonly number[]): string {
  return units.join(', ');
}
