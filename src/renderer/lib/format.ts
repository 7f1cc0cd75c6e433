// Small display helpers shared by the panels. Pure, so they can be unit-tested.

/** Losses span many orders of magnitude: 4 significant digits, exponent notation when tiny or huge. */
export function formatLoss(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} m`;
  return `${m} m ${String(sec).padStart(2, '0')} s`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return intFormat.format(n);
}

export function formatRate(samplesPerSec: number | null | undefined): string {
  if (samplesPerSec === null || samplesPerSec === undefined || !Number.isFinite(samplesPerSec)) return '—';
  return `${intFormat.format(samplesPerSec)} samples/s`;
}

/** `locale`: a BCP 47 tag (the UI language); the system's when omitted. */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Last path segment, for either separator (the engine may run on Windows). */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter((s) => s !== '');
  return parts.length ? parts[parts.length - 1] : p;
}

export function channelsLabel(channels: number): string {
  return channels === 1 ? 'grayscale' : 'RGB';
}

export function formatHiddenUnitsOrNone(units: readonly number[]): string {
  return units.length ? units.join(', ') : 'none';
}
