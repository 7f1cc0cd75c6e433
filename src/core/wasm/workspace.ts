// Memory for a kernel module's problems (the float64 kernels of evaluation and of math each hold one): a memory
// kept between problems and grown when needed, so a trainer scoring every trial's codes allocates once, or a
// one-off memory for a problem too large to keep.
import { WA, PAGE, type WasmMemory } from './api';

/** Memory of at least `bytes` and the module's exports bound to it; null without the module, or past the limit. */
export type Workspace<E> = (bytes: number) => { exports: E; buf: ArrayBuffer } | null;

/**
 * A module's workspace: problems up to keepBytes share the kept memory (so views from an earlier problem may be
 * detached: each problem's views are used only until the next problem's are made), larger ones up to maxBytes
 * get their own. Null where the module is unavailable, the problem is too large, or no memory can be had: the
 * callers' JS paths need none.
 */
export function keptWorkspace<E>(module: () => object | null, keepBytes: number, maxBytes: number): Workspace<E> {
  let kept: { memory: WasmMemory; exports: E } | null = null;
  const instance = (mod: object, memory: WasmMemory): E => new WA.Instance(mod, { env: { memory } }).exports as unknown as E;
  return (bytes) => {
    const mod = module();
    if (!mod || bytes > maxBytes) return null;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    try {
      if (bytes <= keepBytes) {
        if (!kept) {
          const memory = new WA.Memory({ initial: pages });
          kept = { memory, exports: instance(mod, memory) };
        } else if (kept.memory.buffer.byteLength < bytes) {
          kept.memory.grow(pages - kept.memory.buffer.byteLength / PAGE);
        }
        return { exports: kept.exports, buf: kept.memory.buffer };
      }
      const memory = new WA.Memory({ initial: pages });
      return { exports: instance(mod, memory), buf: memory.buffer };
    } catch {
      return null;
    }
  };
}
