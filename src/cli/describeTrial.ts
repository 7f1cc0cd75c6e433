// One line per finished trial, for `search` and `resume` output.
import type { TrialRecord } from '../core/storage/types';

/** One line per finished trial, for the CLI and logs; `only` limits the parameters shown. */
export function describeTrial(t: TrialRecord, only?: ReadonlySet<string>): string {
  const value = t.values[0];
  const params = Object.entries(t.params)
    .filter(([k]) => !only || only.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : JSON.stringify(v)}`)
    .join(' ');
  return `#${t.number} ${t.state}${value !== undefined && value !== null ? ` value=${value.toPrecision(5)}` : ''}${t.failReason && t.state !== 'COMPLETE' ? ` (${t.failReason})` : ''}  ${params}`;
}
