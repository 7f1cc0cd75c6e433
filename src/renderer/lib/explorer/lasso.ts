// Lasso selection in the latent explorer: which points lie inside a polygon drawn in screen pixels. Pure and
// allocation-light so 10,000 points are tested in well under a frame: a bounding-box test first, then the
// even-odd ray-crossing rule.

export type Vec2 = readonly [number, number];

/** Even-odd rule: is (x, y) inside the polygon (closed implicitly)? Points on an edge may count either way. */
export function pointInPolygon(x: number, y: number, poly: readonly Vec2[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Indices of the points inside the polygon. `xs`/`ys` are the points' pixel positions (NaN for a point not
 * drawn). A polygon of fewer than 3 vertices selects nothing.
 */
export function lassoSelect(xs: ArrayLike<number>, ys: ArrayLike<number>, poly: readonly Vec2[]): number[] {
  if (poly.length < 3) return [];
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const [x, y] of poly) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
    if (pointInPolygon(x, y, poly)) out.push(i);
  }
  return out;
}

/** Drops lasso vertices closer than `minGap` pixels to the previous one (a mouse move event per pixel). */
export function thinPath(path: readonly Vec2[], minGap = 3): Vec2[] {
  const out: Vec2[] = [];
  for (const p of path) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= minGap) out.push(p);
  }
  return out;
}
