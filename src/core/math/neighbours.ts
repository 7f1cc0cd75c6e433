// Nearest neighbours in code space (the latent explorer's "similar images"): exact Euclidean k-NN by a scan
// with a bounded max-heap, O(n k) memory-free; 10,000 codes of 64 values take a few milliseconds per query.

export interface Neighbour {
  index: number;
  distance: number;
}

/**
 * The `k` rows of `codes` (row-major, `dims` values per row) nearest to row `query`, nearest first, the query
 * itself left out. Ties keep the lower index first.
 */
export function nearestNeighbours(codes: ArrayLike<number>, dims: number, query: number, k: number): Neighbour[] {
  const rows = Math.floor(codes.length / dims);
  if (!(query >= 0 && query < rows)) throw new RangeError(`query row ${query} is outside 0..${rows - 1}`);
  const want = Math.max(0, Math.min(k, rows - 1));
  // heap of the best `want` so far, worst (largest distance, then largest index) at the top
  const heap: Neighbour[] = [];
  const worse = (a: Neighbour, b: Neighbour): boolean => a.distance > b.distance || (a.distance === b.distance && a.index > b.index);
  const siftUp = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  const q = query * dims;
  for (let r = 0; r < rows && want > 0; r++) {
    if (r === query) continue;
    let d2 = 0;
    const o = r * dims;
    for (let j = 0; j < dims; j++) {
      const d = codes[o + j] - codes[q + j];
      d2 += d * d;
    }
    const cand = { index: r, distance: Math.sqrt(d2) };
    if (heap.length < want) {
      heap.push(cand);
      siftUp(heap.length - 1);
    } else if (worse(heap[0], cand)) {
      heap[0] = cand;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => a.distance - b.distance || a.index - b.index);
}
