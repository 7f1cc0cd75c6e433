// Small display helpers shared by the panels. Pure, so they can be unit-tested. Numbers come from the one
// formatter per kind of quantity in src/shared/numberFormat.ts.
import { formatNumber } from '../../shared/numberFormat';

/** Losses span many orders of magnitude: 4 significant digits, exponent notation when tiny or huge. */
export function formatLoss(v: number | null | undefined): string {
  return formatNumber('loss', v);
}

export function formatSeconds(s: number | null | undefined): string {
  return formatNumber('seconds', s);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatInt(n: number): string {
  return formatNumber('count', n);
}

export function formatRate(samplesPerSec: number | null | undefined): string {
  if (samplesPerSec === null || samplesPerSec === undefined || !Number.isFinite(samplesPerSec)) return '—';
  return `${formatNumber('count', samplesPerSec)} samples/s`;
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
