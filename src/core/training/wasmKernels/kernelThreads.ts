// Worker threads that run our wasm loops (gemm, im2row, col2im, the direct convolutions) on one shared
// WebAssembly memory, so a single training step uses every core the trial was given. The calling thread takes
// the first share of each job and blocks (Atomics.wait) until the workers finish theirs: a job is a list of
// calls per thread, each call writing its own disjoint part of the output, so the result is bit-identical
// whatever the thread count.
// Why not the tfjs threaded wasm build: it does not start under Node (tfjs-backend-wasm disables it there),
// and its memory is the only one the stock kernels use; ours is a separate shared memory that operands are
// copied into (an O(size) copy against O(size * width) work in the products that go through it).
import { Worker } from 'node:worker_threads';
import { PAGE, WA, type WasmMemory } from '../../wasm/api';
import { SHARED_MAX_PAGES, compiledLoops, instantiateLoops, type Loops } from './loops';

/** One call of a loops export, by name, with its (numeric) arguments. */
export interface LoopCall {
  fn: keyof Loops;
  args: number[];
}

/** Calls one worker's control block holds; longer parts run in rounds of this many (see run). */
const MAX_CALLS = 32;
/** The direct convolutions take 18-20 arguments (pointers, then the 12 geometry values). */
const MAX_ARGS = 24;
const STRIDE = MAX_ARGS + 2;
/** Busy-wait iterations before sleeping in Atomics.wait: covers the gap between the jobs of one step. */
const SPIN = 20_000;

// Control block of one worker (Int32 view): [0] job sequence (-1: exit), [1] finished sequence, [2] calls,
// [3] error flag; then, as float64 from byte 64, the calls: [function index, argument count, ...arguments].
const SEQ = 0;
const DONE = 1;
const CALLS = 2;
const ERROR = 3;

/** The worker, as source (eval'd, so bundling the trainer needs no extra entry file). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, names } = workerData;
const exported = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exported[n]);
const ctl = new Int32Array(control, 0, 16);
const calls = new Float64Array(control, 64);
let seen = 0;
for (;;) {
  for (let i = 0; i < ${SPIN} && Atomics.load(ctl, ${SEQ}) === seen; i++);
  if (Atomics.load(ctl, ${SEQ}) === seen) Atomics.wait(ctl, ${SEQ}, seen);
  const seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) continue;
  if (seq < 0) break;
  seen = seq;
  try {
    const n = ctl[${CALLS}];
    for (let c = 0; c < n; c++) {
      const base = c * ${STRIDE};
      const args = Array.from(calls.subarray(base + 2, base + 2 + calls[base + 1]));
      fns[calls[base]](...args);
    }
    ctl[${ERROR}] = 0;
  } catch (err) {
    ctl[${ERROR}] = 1;
  }
  Atomics.store(ctl, ${DONE}, seq);
  Atomics.notify(ctl, ${DONE});
}
`;

const NAMES: Array<keyof Loops> = ['pack8', 'gemm', 'colsum', 'adam', 'im2row', 'im2panel', 'col2im', 'cdForward', 'cdFilter', 'cdInput'];

interface ThreadSlot {
  worker: Worker;
  ctl: Int32Array;
  calls: Float64Array;
  seq: number;
}

export class KernelPool {
  readonly memory: WasmMemory;
  /** The loops on the shared memory, for the calling thread's share and for copies. */
  readonly loops: Loops;
  private readonly slots: ThreadSlot[] = [];
  /** Jobs run so far (tests check that a kernel took the threaded path). */
  jobs = 0;

  constructor(readonly fma: boolean, module: object) {
    this.memory = new WA.Memory({ initial: 256, maximum: SHARED_MAX_PAGES, shared: true });
    this.loops = instantiateLoops({ module, fma }, this.memory);
    this.module = module;
  }

  private readonly module: object;

  /** Threads a job runs on, the calling one included. */
  get threads(): number {
    return this.slots.length + 1;
  }

  /** Starts or stops workers so that jobs run on `threads` threads. */
  resize(threads: number): void {
    while (this.slots.length < threads - 1) {
      const control = new SharedArrayBuffer(64 + MAX_CALLS * STRIDE * 8);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: this.module, memory: this.memory, control, names: NAMES } });
      // Idle workers must not keep the process alive.
      worker.unref();
      this.slots.push({ worker, ctl: new Int32Array(control, 0, 16), calls: new Float64Array(control, 64), seq: 0 });
    }
    while (this.slots.length > Math.max(0, threads - 1)) {
      const slot = this.slots.pop() as ThreadSlot;
      Atomics.store(slot.ctl, SEQ, -1);
      Atomics.notify(slot.ctl, SEQ);
      void slot.worker.terminate();
    }
  }

  /** Makes the shared memory at least `bytes` long. Views of it taken before are stale afterwards. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** A float view of the whole shared memory (take it after reserve). */
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /**
   * Runs parts[0] on this thread and parts[i] on worker i - 1, and returns when all are done. Parts must
   * write disjoint memory. At most `threads` parts, of any length: a part longer than a control block holds
   * (a conv forward's runs of images over a large batch) goes in rounds of MAX_CALLS calls, in its order.
   */
  run(parts: LoopCall[][]): void {
    if (parts.length > this.threads) throw new Error(`a job of ${parts.length} parts on ${this.threads} threads`);
    const rounds = Math.max(1, ...parts.map((p) => Math.ceil(p.length / MAX_CALLS)));
    for (let r = 0; r < rounds; r++) this.runRound(parts.map((p) => p.slice(r * MAX_CALLS, (r + 1) * MAX_CALLS)));
  }

  private runRound(parts: LoopCall[][]): void {
    this.jobs++;
    const posted: ThreadSlot[] = [];
    for (let i = 1; i < parts.length; i++) {
      const slot = this.slots[i - 1];
      const calls = parts[i];
      // A part that ended in an earlier round leaves its worker asleep.
      if (calls.length === 0) continue;
      calls.forEach((c, j) => {
        if (c.args.length > MAX_ARGS) throw new Error(`${c.fn} with ${c.args.length} arguments (at most ${MAX_ARGS})`);
        const base = j * STRIDE;
        slot.calls[base] = NAMES.indexOf(c.fn);
        slot.calls[base + 1] = c.args.length;
        slot.calls.set(c.args, base + 2);
      });
      slot.ctl[CALLS] = calls.length;
      slot.seq = slot.seq + 1;
      Atomics.store(slot.ctl, SEQ, slot.seq);
      Atomics.notify(slot.ctl, SEQ);
      posted.push(slot);
    }
    let failure: unknown = null;
    try {
      for (const c of parts[0] ?? []) (this.loops[c.fn] as (...a: number[]) => void)(...c.args);
    } catch (err) {
      failure = err;
    }
    for (const slot of posted) {
      for (let i = 0; i < SPIN && Atomics.load(slot.ctl, DONE) !== slot.seq; i++);
      while (Atomics.load(slot.ctl, DONE) !== slot.seq) Atomics.wait(slot.ctl, DONE, Atomics.load(slot.ctl, DONE), 1000);
      if (slot.ctl[ERROR] !== 0) failure ??= new Error('a kernel thread failed (out-of-bounds access in a wasm loop)');
    }
    if (failure) throw failure;
  }

  dispose(): void {
    this.resize(1);
  }
}

let pool: KernelPool | null = null;
let wanted = 1;

/**
 * Threads the wasm training kernels may use in this process (1: none besides the caller). Takes effect at
 * the next kernel; results do not depend on it. Returns the count in effect (1 when threads cannot start).
 */
export function setKernelThreads(threads: number): number {
  wanted = Math.max(1, Math.floor(threads));
  if (wanted === 1) {
    pool?.resize(1);
    return 1;
  }
  try {
    if (!pool) {
      const c = compiledLoops('shared');
      if (!c) return (wanted = 1);
      pool = new KernelPool(c.fma, c.module);
    }
    pool.resize(wanted);
    return pool.threads;
  } catch {
    // No worker threads or no shared memory here (an old engine, a locked-down process): one thread.
    pool?.resize(1);
    return (wanted = 1);
  }
}

export function kernelThreads(): number {
  return wanted;
}

/** The pool when kernels should use more than one thread, else null. */
export function kernelPool(): KernelPool | null {
  return wanted > 1 && pool && pool.threads > 1 ? pool : null;
}

/** Splits [0, n) into at most `parts` contiguous ranges of near-equal size, none empty. */
export function splitRange(n: number, parts: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(parts, n));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < k; i++) out.push([Math.floor((n * i) / k), Math.floor((n * (i + 1)) / k)]);
  return out.filter(([a, b]) => b > a);
}
