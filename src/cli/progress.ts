// Terminal progress: a redrawn bar on a TTY, nothing extra when piped (one line per epoch is printed anyway).
export interface ProgressBar {
  update(fraction: number, label: string): void;
  clear(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 28): ProgressBar {
  const tty = Boolean(stream.isTTY);
  let shown = false;
  return {
    update(fraction, label) {
      if (!tty) return;
      const f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * width);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${label}\x1b[K`);
      shown = true;
    },
    clear() {
      if (tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
