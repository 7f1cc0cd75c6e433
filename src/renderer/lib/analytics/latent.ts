// Latent codes for the scatter: a small deterministic PCA for live codes (the engine projects finished
// trials with `trials.projection`; live codes arrive raw), and the rotation + perspective that turn 3-D
// points into a 2-D scatter (echarts-gl is not bundled). Pure.

/** Covariance of centred rows (d x d). */
function covariance(rows: readonly (readonly number[])[], mean: readonly number[]): number[][] {
  const d = mean.length;
  const c = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const a = r[i] - mean[i];
      if (a === 0) continue;
      const ci = c[i];
      for (let j = i; j < d; j++) ci[j] += a * (r[j] - mean[j]);
    }
  }
  const n = Math.max(1, rows.length - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      c[i][j] /= n;
      c[j][i] = c[i][j];
    }
  }
  return c;
}

/**
 * The first `k` principal components by power iteration with deflation, from a fixed start vector, with
 * signs fixed so the largest-magnitude loading is positive: the same codes always give the same picture.
 */
export function pcaProject(rows: readonly (readonly number[])[], k: number): number[][] {
  if (rows.length === 0) return [];
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] += r[i];
  for (let i = 0; i < d; i++) mean[i] /= rows.length;
  if (d <= k) return rows.map((r) => Array.from({ length: k }, (_, i) => (i < d ? r[i] - mean[i] : 0)));
  const cov = covariance(rows, mean);
  const comps: number[][] = [];
  for (let c = 0; c < k; c++) {
    let v = Array.from({ length: d }, (_, i) => 1 / Math.sqrt(d) + (i === c ? 0.5 : 0) + i * 1e-3);
    for (let it = 0; it < 200; it++) {
      const w = new Array<number>(d).fill(0);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += cov[i][j] * v[j];
        w[i] = s;
      }
      for (const p of comps) {
        const dot = w.reduce((s, x, i) => s + x * p[i], 0);
        for (let i = 0; i < d; i++) w[i] -= dot * p[i];
      }
      const norm = Math.hypot(...w);
      if (norm < 1e-12) break;
      const next = w.map((x) => x / norm);
      const delta = next.reduce((s, x, i) => s + Math.abs(x - v[i]), 0);
      v = next;
      if (delta < 1e-10) break;
    }
    let maxAt = 0;
    for (let i = 1; i < d; i++) if (Math.abs(v[i]) > Math.abs(v[maxAt])) maxAt = i;
    if (v[maxAt] < 0) v = v.map((x) => -x);
    comps.push(v);
  }
  return rows.map((r) => comps.map((p) => p.reduce((s, x, i) => s + x * (r[i] - mean[i]), 0)));
}

export interface Rotation {
  /** Radians around the vertical axis. */
  yaw: number;
  /** Radians around the horizontal axis. */
  pitch: number;
}

export const DEFAULT_ROTATION: Rotation = { yaw: -0.6, pitch: 0.35 };

/** Centres and scales 3-D points into the unit ball (largest distance from the centre = 1). */
export function normalise3d(points: readonly (readonly number[])[]): number[][] {
  if (points.length === 0) return [];
  const c = [0, 0, 0];
  for (const p of points) for (let i = 0; i < 3; i++) c[i] += p[i] ?? 0;
  for (let i = 0; i < 3; i++) c[i] /= points.length;
  let r = 0;
  for (const p of points) r = Math.max(r, Math.hypot((p[0] ?? 0) - c[0], (p[1] ?? 0) - c[1], (p[2] ?? 0) - c[2]));
  const s = r > 0 ? 1 / r : 1;
  return points.map((p) => [((p[0] ?? 0) - c[0]) * s, ((p[1] ?? 0) - c[1]) * s, ((p[2] ?? 0) - c[2]) * s]);
}

/**
 * Rotates unit-ball points (yaw, then pitch) and projects them with a mild perspective: returns
 * [x, y, depth] per point, depth in -1 (far) .. 1 (near), to size and fade points by distance. With the
 * default perspective a unit-ball point lands within 4/3 of the centre.
 */
export function rotateProject(points: readonly (readonly number[])[], rot: Rotation, perspective = 4): number[][] {
  const cy = Math.cos(rot.yaw);
  const sy = Math.sin(rot.yaw);
  const cp = Math.cos(rot.pitch);
  const sp = Math.sin(rot.pitch);
  return points.map(([x, y, z]) => {
    const x1 = cy * x + sy * z;
    const z1 = -sy * x + cy * z;
    const y2 = cp * y - sp * z1;
    const z2 = sp * y + cp * z1;
    const f = perspective / (perspective - z2);
    return [x1 * f, y2 * f, z2];
  });
}

/** The three rotated unit axes (for drawing x/y/z guides): [from, to] per axis. */
export function rotatedAxes(rot: Rotation, perspective = 4): number[][][] {
  const ends = rotateProject(
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ],
    rot,
    perspective,
  );
  return [0, 1, 2].map((i) => [ends[3], ends[i]]);
}

/** New rotation after dragging by (dx, dy) pixels; pitch stays within +-90 degrees. */
export function dragRotation(rot: Rotation, dx: number, dy: number, radiansPerPixel = 0.01): Rotation {
  const limit = Math.PI / 2;
  return { yaw: rot.yaw + dx * radiansPerPixel, pitch: Math.max(-limit, Math.min(limit, rot.pitch + dy * radiansPerPixel)) };
}

/**
 * The 3-D view's chart height and square plot side for a panel `width` px wide: as tall as the panel is wide
 * (within minHeight..maxHeight), so the turning cloud fills the panel instead of a small square in its middle
 * (issue 14 defect 7). 34 px above the square hold the legend, 10 below it breathe.
 */
export function threeDSize(width: number, minHeight: number, maxHeight = 640): { height: number; squarePx: number } {
  const height = Math.round(Math.min(maxHeight, Math.max(minHeight, width > 0 ? width * 0.8 : minHeight)));
  const squarePx = Math.max(120, Math.min(height - 44, width > 0 ? width - 16 : height - 44));
  return { height, squarePx };
}
