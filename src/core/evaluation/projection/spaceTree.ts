// Barnes-Hut space-partitioning tree (quadtree in 2D, octree in 3D) over an embedding, in flat typed arrays so a
// rebuild every t-SNE iteration makes no garbage.

const MAX_DEPTH = 48; // deeper than float resolution needs; stops runaway splitting of (near) duplicates

export class SpaceTree {
  readonly dims: number;
  private readonly fan: number;
  private capacity = 0;
  size = 0;
  /** Per node: cell centre (dims), centre of mass (dims), half width, point count, first child (-1 = leaf), point. */
  center: Float64Array = new Float64Array(0);
  com: Float64Array = new Float64Array(0);
  half: Float64Array = new Float64Array(0);
  count: Int32Array = new Int32Array(0);
  child: Int32Array = new Int32Array(0);
  point: Int32Array = new Int32Array(0);
  depth: Int32Array = new Int32Array(0);
  /** Leaf node holding each point (duplicates share a leaf), so a point can leave itself out. */
  leafOf: Int32Array = new Int32Array(0);
  /** Chain of the points sharing a leaf: point[leaf] is the head, nextInLeaf[p] the next one (-1 = end). */
  private nextInLeaf: Int32Array = new Int32Array(0);

  constructor(dims: 2 | 3) {
    this.dims = dims;
    this.fan = 1 << dims;
  }

  private grow(min: number): void {
    if (min <= this.capacity) return;
    const cap = Math.max(min, this.capacity * 2, 64);
    const d = this.dims;
    const used = this.size;
    const f = (old: Float64Array, per: number): Float64Array => {
      const a = new Float64Array(cap * per);
      a.set(old.subarray(0, used * per));
      return a;
    };
    const i = (old: Int32Array): Int32Array => {
      const a = new Int32Array(cap);
      a.set(old.subarray(0, used));
      return a;
    };
    this.center = f(this.center, d);
    this.com = f(this.com, d);
    this.half = f(this.half, 1);
    this.count = i(this.count);
    this.child = i(this.child);
    this.point = i(this.point);
    this.depth = i(this.depth);
    this.capacity = cap;
  }

  private newNode(center: ArrayLike<number>, half: number, depth: number): number {
    this.grow(this.size + 1);
    const n = this.size++;
    for (let a = 0; a < this.dims; a++) {
      this.center[n * this.dims + a] = center[a];
      this.com[n * this.dims + a] = 0;
    }
    this.half[n] = half;
    this.count[n] = 0;
    this.child[n] = -1;
    this.point[n] = -1;
    this.depth[n] = depth;
    return n;
  }

  /** Rebuilds the tree over y (n x dims, row-major). */
  build(y: Float64Array, n: number): void {
    const d = this.dims;
    this.size = 0;
    if (this.leafOf.length < n) {
      this.leafOf = new Int32Array(n);
      this.nextInLeaf = new Int32Array(n);
    }
    const lo = new Float64Array(d).fill(Infinity);
    const hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        lo[a] = Math.min(lo[a], y[i * d + a]);
        hi[a] = Math.max(hi[a], y[i * d + a]);
      }
    }
    const center = new Float64Array(d);
    let half = 0;
    for (let a = 0; a < d; a++) {
      center[a] = (lo[a] + hi[a]) / 2;
      half = Math.max(half, (hi[a] - lo[a]) / 2);
    }
    this.grow((d === 3 ? 8 : 4) * n + 64); // typical trees need ~3.5n (2D) to ~7n (3D) nodes; more grows on demand
    this.newNode(center, half * (1 + 1e-9) + 1e-12, 0);
    for (let i = 0; i < n; i++) this.insert(y, i);
    // Insertion summed coordinates into com; turn the sums into centres of mass.
    for (let node = 0; node < this.size; node++) {
      const cnt = this.count[node];
      if (cnt > 0) for (let a = 0; a < d; a++) this.com[node * d + a] /= cnt;
    }
  }

  private childFor(node: number, y: Float64Array, p: number): number {
    const d = this.dims;
    const center = this.center;
    let slot = 0;
    for (let a = 0; a < d; a++) if (y[p * d + a] > center[node * d + a]) slot |= 1 << a;
    return this.child[node] + slot;
  }

  private readonly scratch = new Float64Array(3);

  private split(node: number): void {
    const d = this.dims;
    const h = this.half[node] / 2;
    const first = this.size;
    const c = this.scratch;
    for (let slot = 0; slot < this.fan; slot++) {
      for (let a = 0; a < d; a++) c[a] = this.center[node * d + a] + ((slot >> a) & 1 ? h : -h);
      this.newNode(c, h, this.depth[node] + 1);
    }
    this.child[node] = first;
  }

  /** Adds point p: counts and coordinate sums along its path (build() divides them into centres of mass). */
  private insert(y: Float64Array, p: number): void {
    const d = this.dims;
    let node = 0;
    for (;;) {
      const cnt = ++this.count[node];
      const com = this.com;
      for (let a = 0; a < d; a++) com[node * d + a] += y[p * d + a];
      if (this.child[node] >= 0) {
        node = this.childFor(node, y, p);
        continue;
      }
      if (cnt === 1) {
        this.point[node] = p;
        this.nextInLeaf[p] = -1;
        this.leafOf[p] = node;
        return;
      }
      const q = this.point[node];
      let same = true;
      for (let a = 0; a < d; a++) if (y[q * d + a] !== y[p * d + a]) same = false;
      if (same || this.depth[node] >= MAX_DEPTH) {
        // Duplicates (or points closer than float resolution) stay together in one leaf.
        this.nextInLeaf[p] = q;
        this.point[node] = p;
        this.leafOf[p] = node;
        return;
      }
      // Push the resident points (q and its exact duplicates) one level down, then keep descending with p.
      this.split(node);
      const qc = this.childFor(node, y, q);
      this.count[qc] = cnt - 1;
      for (let a = 0; a < d; a++) this.com[qc * d + a] = (cnt - 1) * y[q * d + a];
      this.point[qc] = q;
      for (let r = q; r >= 0; r = this.nextInLeaf[r]) this.leafOf[r] = qc;
      this.point[node] = -1;
      node = this.childFor(node, y, p);
    }
  }

  /** Packed node records for the force loops, stride dims + 3: [centre of mass (dims), width^2, count, first child]. */
  packed: Float64Array = new Float64Array(0);
  /** The points in depth-first leaf order: every subtree's points are one contiguous run. */
  order: Int32Array = new Int32Array(0);
  /** Parent of each node (-1 for the root). */
  parent: Int32Array = new Int32Array(0);
  /** Groups: the highest nodes holding at most groupSize points (or leaves), and where their points start in `order`. */
  groups: Int32Array = new Int32Array(0);
  groupStart: Int32Array = new Int32Array(0);
  groupCount = 0;

  /** Fills packed, order, parent and the groups after build(); returns the record stride. */
  prepare(n: number, groupSize: number): number {
    const d = this.dims;
    const stride = d + 3;
    if (this.packed.length < this.size * stride) this.packed = new Float64Array(this.capacity * stride);
    if (this.parent.length < this.size) this.parent = new Int32Array(this.capacity);
    if (this.order.length < n) {
      this.order = new Int32Array(n);
      this.groups = new Int32Array(n);
      this.groupStart = new Int32Array(n);
    }
    this.parent[0] = -1;
    for (let node = 0; node < this.size; node++) {
      const o = node * stride;
      for (let a = 0; a < d; a++) this.packed[o + a] = this.com[node * d + a];
      const w = 2 * this.half[node];
      this.packed[o + d] = w * w;
      this.packed[o + d + 1] = this.count[node];
      this.packed[o + d + 2] = this.child[node];
      if (this.child[node] >= 0) for (let c = 0; c < this.fan; c++) this.parent[this.child[node] + c] = node;
    }
    let k = 0;
    this.groupCount = 0;
    const stack = [0];
    while (stack.length) {
      const node = stack.pop() as number;
      const first = this.child[node];
      if (this.count[node] <= groupSize || first < 0) {
        this.groups[this.groupCount] = node;
        this.groupStart[this.groupCount++] = k;
        // Depth-first listing of the group's points.
        const sub = [node];
        while (sub.length) {
          const x = sub.pop() as number;
          if (this.child[x] >= 0) {
            for (let c = this.fan - 1; c >= 0; c--) if (this.count[this.child[x] + c] > 0) sub.push(this.child[x] + c);
          } else {
            for (let p = this.point[x]; p >= 0; p = this.nextInLeaf[p]) this.order[k++] = p;
          }
        }
      } else {
        for (let c = this.fan - 1; c >= 0; c--) if (this.count[first + c] > 0) stack.push(first + c);
      }
    }
    return stride;
  }
}
