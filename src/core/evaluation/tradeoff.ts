// The latent-size trade-off (the seed article's chart): per latent size, the best reconstruction error and the
// best downstream score any trial reached, beside PCA at the same size. Reconstruction keeps improving with
// size; usefulness peaks, then falls.
import type { PcaAtSize } from '../../shared/dto';
import type { Direction } from '../../shared/study/objectives';

export interface TradeoffTrial {
  trialId: number | string;
  latentSize: number;
  /** Validation reconstruction error (lower is better); null or NaN when the trial has none. */
  reconError: number | null;
  /** Validation downstream score; null or NaN when the trial has none. */
  downstream: number | null;
}

export interface TradeoffRow {
  latentSize: number;
  trials: number;
  bestRecon: number | null;
  bestReconTrial: number | string | null;
  bestDownstream: number | null;
  bestDownstreamTrial: number | string | null;
  /** PCA at this size on the same validation split (when the study stored it). */
  pcaRecon: number | null;
  pcaDownstream: number | null;
}

const usable = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Rows in ascending latent size; ties in value keep the first trial given. `pca` adds PCA at the same sizes. */
export function latentTradeoff(trials: readonly TradeoffTrial[], downstreamDirection: Direction = 'maximize', pca: readonly PcaAtSize[] = []): TradeoffRow[] {
  const rows = new Map<number, TradeoffRow>();
  for (const t of trials) {
    let row = rows.get(t.latentSize);
    if (!row) {
      const p = pca.find((x) => x.latentSize === t.latentSize);
      row = { latentSize: t.latentSize, trials: 0, bestRecon: null, bestReconTrial: null, bestDownstream: null, bestDownstreamTrial: null, pcaRecon: p?.reconMse ?? null, pcaDownstream: p?.accuracy ?? null };
      rows.set(t.latentSize, row);
    }
    row.trials++;
    if (usable(t.reconError) && (row.bestRecon === null || t.reconError < row.bestRecon)) {
      row.bestRecon = t.reconError;
      row.bestReconTrial = t.trialId;
    }
    if (usable(t.downstream)) {
      const better = row.bestDownstream === null || (downstreamDirection === 'maximize' ? t.downstream > row.bestDownstream : t.downstream < row.bestDownstream);
      if (better) {
        row.bestDownstream = t.downstream;
        row.bestDownstreamTrial = t.trialId;
      }
    }
  }
  return [...rows.values()].sort((a, b) => a.latentSize - b.latentSize);
}

/** A plain-text table of the rows (for `latent-lab tradeoff`). */
export function formatTradeoff(rows: readonly TradeoffRow[], labels: { recon?: string; downstream?: string } = {}): string {
  const withPca = rows.some((r) => r.pcaRecon !== null || r.pcaDownstream !== null);
  const head = ['latent', 'trials', `best ${labels.recon ?? 'recon'}`, 'trial', `best ${labels.downstream ?? 'downstream'}`, 'trial', ...(withPca ? [`PCA ${labels.recon ?? 'recon'}`, 'PCA accuracy'] : [])];
  const fmt = (v: number | null): string => (v === null ? '-' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3));
  const body = rows.map((r) => [
    String(r.latentSize),
    String(r.trials),
    fmt(r.bestRecon),
    String(r.bestReconTrial ?? '-'),
    fmt(r.bestDownstream),
    String(r.bestDownstreamTrial ?? '-'),
    ...(withPca ? [fmt(r.pcaRecon), fmt(r.pcaDownstream)] : []),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  return [head, ...body].map((cells) => cells.map((s, c) => s.padStart(widths[c])).join('  ')).join('\n');
}
