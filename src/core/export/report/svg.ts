// Static SVG charts for the study report: drawn once, embedded in the HTML, no script and no network needed.
const W = 640;
const H = 300;
const M = { left: 64, right: 20, top: 16, bottom: 44 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export { esc as escapeHtml };

export const fmt = (v: number | null | undefined, digits = 4): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(digits)));
};

interface Scale {
  lo: number;
  hi: number;
  at(v: number): number;
  ticks: number[];
}

function scale(values: number[], from: number, to: number, log = false): Scale {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 0.5;
    hi += Math.abs(hi) * 0.1 || 0.5;
  }
  const f = (v: number): number => (log ? Math.log10(v) : v);
  const a = f(lo);
  const b = f(hi);
  const ticks = Array.from({ length: 5 }, (_, i) => (log ? 10 ** (a + ((b - a) * i) / 4) : lo + ((hi - lo) * i) / 4));
  return { lo, hi, at: (v) => from + ((f(v) - a) / (b - a || 1)) * (to - from), ticks };
}

function frame(title: string, xLabel: string, yLabel: string, xs: Scale, ys: Scale, body: string, legend: Array<[string, string]> = []): string {
  const xTicks = xs.ticks.map((t) => `<g><line x1="${xs.at(t)}" x2="${xs.at(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#888"/><text x="${xs.at(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${fmt(t, 3)}</text></g>`).join('');
  const yTicks = ys.ticks.map((t) => `<g><line x1="${M.left}" x2="${W - M.right}" y1="${ys.at(t)}" y2="${ys.at(t)}" stroke="#eee"/><text x="${M.left - 6}" y="${ys.at(t) + 4}" text-anchor="end">${fmt(t, 3)}</text></g>`).join('');
  const keys = legend.map(([color, name], i) => `<g transform="translate(${M.left + 10 + i * 170},${M.top + 4})"><rect width="10" height="10" fill="${color}"/><text x="14" y="9">${esc(name)}</text></g>`).join('');
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">
<title>${esc(title)}</title>${yTicks}${xTicks}
<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#888"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#888"/>
<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
${body}${keys}</svg>`;
}

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  line?: boolean;
  /** Points to mark with a ring (the chosen trial). */
  highlight?: Array<[number, number]>;
}

/** Points and/or lines on shared axes; `logY` for values spanning decades (losses). */
export function xyChart(title: string, xLabel: string, yLabel: string, series: Series[], opts: { logX?: boolean; logY?: boolean } = {}): string {
  const all = series.flatMap((s) => s.points);
  const xs = scale(all.map((p) => p[0]), M.left, W - M.right, opts.logX);
  const ys = scale(all.map((p) => p[1]), H - M.bottom, M.top, opts.logY);
  const ok = (p: [number, number]): boolean => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!opts.logY || p[1] > 0) && (!opts.logX || p[0] > 0);
  const body = series
    .map((s) => {
      const pts = s.points.filter(ok);
      const path = s.line && pts.length > 1 ? `<polyline class="series" fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${xs.at(p[0]).toFixed(1)},${ys.at(p[1]).toFixed(1)}`).join(' ')}"/>` : '';
      const dots = pts.map((p) => `<circle class="point" cx="${xs.at(p[0]).toFixed(1)}" cy="${ys.at(p[1]).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(s.name)}: ${fmt(p[0])}, ${fmt(p[1])}</title></circle>`).join('');
      const rings = (s.highlight ?? []).filter(ok).map((p) => `<circle cx="${xs.at(p[0]).toFixed(1)}" cy="${ys.at(p[1]).toFixed(1)}" r="8" fill="none" stroke="#d62728" stroke-width="2"/>`).join('');
      return path + dots + rings;
    })
    .join('');
  return frame(title, xLabel, yLabel, xs, ys, body, series.map((s) => [s.color, s.name]));
}

/** Horizontal bars, largest first (parameter importance). */
export function barChart(title: string, bars: Array<{ label: string; value: number }>): string {
  const rowH = 24;
  const h = M.top + bars.length * rowH + 24;
  const max = Math.max(1e-12, ...bars.map((b) => b.value));
  const left = 150;
  const rows = bars
    .map((b, i) => {
      const w = ((W - left - 60) * b.value) / max;
      const y = M.top + i * rowH;
      return `<g><text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text><rect class="bar" x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="#1f77b4"/><text x="${left + w + 6}" y="${y + 15}">${(b.value * 100).toFixed(1)}%</text></g>`;
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11"><title>${esc(title)}</title>${rows}</svg>`;
}

/** A confusion matrix as a shaded table (rows: true class, columns: predicted). */
export function confusionTable(classes: string[], matrix: number[][]): string {
  const max = Math.max(1, ...matrix.flat());
  const head = `<tr><th>true \\ predicted</th>${classes.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const rows = matrix
    .map((row, i) => `<tr><th>${esc(classes[i] ?? String(i))}</th>${row.map((v) => `<td style="background:rgba(31,119,180,${(0.85 * v) / max})${v / max > 0.5 ? ';color:#fff' : ''}">${v}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="confusion">${head}${rows}</table>`;
}
